"""The scoring engine: answers and unit facts in, scores, classes and explanations out.

Implements scoring model version 2 (docs/scoring.md) on the precomputed impact table (see
`table.py`). Per limitation L (and the key "general"): penalty = sum of barrier severities,
possible = sum of full severities of the applicable answered items, score = 100 * (1 -
penalty / possible) for ranking only, coverage = answered / asked severity weight, where an
item answered "not applicable" counts as asked and answered (so that answering "not
applicable" instead of "pass" never changes a class through coverage). The
class comes from the barriers, first rule that matches:
1. unknown: an item rated 3-4 for L is unanswered, or coverage < min_coverage;
2. unsuitable: a blocking (4) barrier that no feasible measure removes;
3. adaptable: a severe or blocking (3-4) barrier, or severity 1-2 barriers adding up to more
   than the tolerance;
4. suitable.

Choices made where the model leaves room (documented here once):
- A register item (floor, lift) takes its value from the unit facts unless answered by hand.
- A measurement band or a choice grades the penalty; possible uses the full severity; a
  limitation a band or choice does not list gets severity 0 from it.
- `removed_items` (barriers a measure removes, for upgrade planning) count as passes.
- A checklist version that rates no item for "general" (uu-bolig v1) cannot say anything about
  every resident: its general class is unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import attrgetter, itemgetter
from typing import Any

from app.checklists.definitions import BUILDING_TYPES, GENERAL, ProfileSet
from app.errors import Unprocessable
from app.scoring.answers import ItemAnswer
from app.scoring.conditions import (
    MISSING_FACT,
    NOT_APPLICABLE,
    SATISFIED,
    UNSETTLED,
    item_states,
)
from app.scoring.profiles import extra_specs, profile_class, profile_result
from app.scoring.results import (
    Barrier,
    LimitationResult,
    ProfileResult,
    Result,
    SuitabilityClass,
    Unanswered,
)
from app.scoring.table import (
    Grade,
    Prepared,
    PreparedItem,
    feasible,
    measure_reaches,
    removers_of,
)

MODEL_VERSION = 2

_NO_FACTS: Mapping[str, Any] = {}


class _Tally:
    """Per-limitation sums of one scoring pass (plain lists indexed by limitation)."""

    __slots__ = (
        "answered",
        "applicable",
        "barriers",
        "built",
        "left_out",
        "minor",
        "penalty",
        "severe",
        "shared",
        "stuck",
        "unanswered",
        "unknown_severe",
        "worst",
    )

    def __init__(self, prepared: Prepared):
        n = len(prepared.keys)
        self.applicable = list(prepared.total_weight)
        self.answered = list(prepared.total_weight)
        self.penalty = [0] * n
        self.left_out = [0] * n  # weight of items answered "not applicable" by hand
        self.minor = [0] * n  # sum of severity 1-2 barriers
        self.unknown_severe = [False] * n  # an item rated 3-4 is unanswered
        self.severe = [False] * n  # a severe or blocking barrier exists
        self.stuck = [False] * n  # a blocking barrier no feasible measure removes
        # (item index, item, value, grade) of barriers, and unanswered items, in checklist
        # order.
        self.barriers: list[tuple[int, PreparedItem, Any, Grade]] = []
        self.unanswered: list[PreparedItem] = []
        # Filled by _explained, in checklist order: the item indexes of barriers with the
        # item's shared records (PreparedItem.static_made); (item, grade, records per
        # severity) of the others; and every barrier's record at its worst severity.
        self.shared: list[int] = []
        self.built: list[tuple[PreparedItem, Grade, dict[int, Barrier]]] = []
        self.worst: list[Barrier] = []


# fact: (accepted type, the problem in Norwegian)
_FACT_TYPES = {
    "floor": (int, "Etasje må være et heltall"),
    "storeys": (int, "Antall etasjer må være et heltall"),
    "area": ((int, float), "Areal må være et tall"),
    "has_lift": (bool, "Heis må være true eller false"),
}


def _check_input(prepared: Prepared, answers: Mapping[str, ItemAnswer], facts: Mapping[str, Any]):
    problems: dict[str, list[str]] = {}
    if not prepared.item_ids.issuperset(answers):  # no set is built in the usual case
        unknown = answers.keys() - prepared.item_ids
        problems["answers"] = [f"Ukjent punkt: {item_id}" for item_id in sorted(unknown)]
    for fact, (kind, problem) in _FACT_TYPES.items():
        value = facts.get(fact)
        if value is not None and (
            (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind)
        ):
            problems[fact] = [problem]
    building_type = facts.get("building_type")
    if building_type is not None and building_type not in BUILDING_TYPES:
        problems["building_type"] = [f"Ukjent bygningstype: {building_type}"]
    if problems:
        raise Unprocessable("Ugyldige data for beregning", errors=problems)


def _tally(
    prepared: Prepared,
    answers: Mapping[str, ItemAnswer],
    facts: Mapping[str, Any],
    feasibility: Mapping[str, bool],
    removed: frozenset[str] | set[str],
) -> _Tally:
    """One pass over the impact table; only non-passing items cost any work."""
    t = _Tally(prepared)
    applicable, answered, penalty, minor = t.applicable, t.answered, t.penalty, t.minor
    left_out, severe, stuck = t.left_out, t.severe, t.stuck
    get = answers.get
    # Plain yes_no items (most of a checklist) have no condition or register: answered true
    # (the usual case) they pass, and this filter is all they cost.
    rows = [row for row in prepared.plain_rows if (a := get(row[0])) is None or a.value is not True]
    # This pass reads "not applicable" answers itself: no LEFT_OUT states needed.
    states = item_states(prepared.gates, prepared.condition_refs, answers, facts, left_out=False)
    for probe, group, weights in prepared.gated_rows:
        # A condition drops every item of its group (their state is NOT_APPLICABLE): not
        # asked at all, whatever was answered; a dozen items leave in one step.
        if states.get(probe) is NOT_APPLICABLE:
            for li, sev in weights:
                applicable[li] -= sev
                answered[li] -= sev
        else:
            rows += group
    rows += prepared.other_rows
    for item_id, gated, register, judge, pi in rows:
        state = states.get(item_id) if gated else None
        if state is not None and state is not UNSETTLED:
            # Dropped by its condition (not asked); undecidable for a missing fact
            # (unanswered, whatever was answered); met another way (a pass). A LEFT_OUT item
            # was answered "not applicable": the answer says so below.
            if state is SATISFIED:
                continue
            if state is NOT_APPLICABLE:
                for li, sev in pi.rated:
                    applicable[li] -= sev
                    answered[li] -= sev
                continue
            if state is MISSING_FACT:
                _unanswered(t, pi)
                continue
        answer = get(item_id)
        if answer is None:
            value = facts.get(register) if register else None
        elif answer.not_applicable:  # asked, and answered "not applicable"
            for li, sev in pi.rated:
                applicable[li] -= sev
                answered[li] -= sev
                left_out[li] += sev
            continue
        else:
            value = answer.value
        if value is None:
            _unanswered(t, pi)
            continue
        if judge is None:  # yes_no: true is the good state
            if value is True:
                continue
            grade = pi.full_grade
        else:
            grade = judge(value)
            if grade is None:
                continue
        if removed and item_id in removed:
            continue
        if state is UNSETTLED:  # perhaps met another way: unknown, not a barrier
            _unanswered(t, pi)
            continue
        t.barriers.append((pi.index, pi, value, grade))
        for li, sev in grade.penalties:
            penalty[li] += sev
        for li, sev in grade.minor:
            minor[li] += sev
        for li in grade.severe:
            severe[li] = True
        if grade.blocking and not _removable(pi, value, feasibility, facts):
            for li in grade.blocking:
                stuck[li] = True
    # Back to checklist order, which breaks ties in the explanations (a few entries each).
    t.barriers.sort()  # entries start with the item's unique index
    t.unanswered.sort(key=_INDEX)
    return t


_INDEX = attrgetter("index")


def _unanswered(t: _Tally, pi: PreparedItem) -> None:
    answered, unknown_severe = t.answered, t.unknown_severe
    for li, sev in pi.rated:
        answered[li] -= sev
    for li in pi.full_grade.severe:  # rated 3-4: the class is unknown
        unknown_severe[li] = True
    t.unanswered.append(pi)


def _removable(
    pi: PreparedItem, value: Any, feasibility: Mapping[str, bool], facts: Mapping[str, Any]
) -> bool:
    if pi.simple_measures and not feasibility:
        return pi.removable_by_default
    return any(
        feasible(m, when, feasibility, facts) and measure_reaches(m, pi.item, value)
        for m, when in pi.measure_rules
    )


_BY_SEVERITY = itemgetter(3)  # Barrier.severity
_BY_WEIGHT = itemgetter(2)  # Unanswered.weight


def _explained(
    prepared: Prepared, t: _Tally, feasibility: Mapping[str, bool], facts: Mapping[str, Any]
) -> tuple[list[tuple[Barrier, ...]], list[tuple[Unanswered, ...]]]:
    """Barrier and unanswered records per limitation index (shared records per severity),
    highest severity or weight first.

    Also fills t.shared, t.built and t.worst for the profiles and the unit's list of
    barriers."""
    n = len(prepared.keys)
    barriers: list[list[Barrier]] = [[] for _ in range(n)]
    defaults = not feasibility  # no override: every measure has its default feasibility
    for _, pi, value, grade in t.barriers:
        if pi.static_made is not None and (
            defaults or feasibility.keys().isdisjoint(pi.measure_ids)
        ):
            t.shared.append(pi.index)
            t.worst.append(pi.static_worst)
            for li, barrier in pi.static_pairs:
                barriers[li].append(barrier)
            continue
        # One shared record per (item, severity): limitations and profiles reuse it.
        options = (
            pi.default_options
            if defaults and pi.simple_measures
            else removers_of(pi, value, feasibility, facts)
        )
        question = pi.item.question
        made: dict[int, Barrier] = {}
        for li, sev in grade.penalties:
            barrier = made.get(sev)
            if barrier is None:
                barrier = made[sev] = Barrier(pi.id, question, value, sev, options, (), pi.item)
            barriers[li].append(barrier)
        t.built.append((pi, grade, made))
        t.worst.append(made[max(made)])
    if not t.unanswered:
        return _in_order(barriers, _BY_SEVERITY), [()] * n
    unanswered: list[list[Unanswered]] = [[] for _ in range(n)]
    for pi in t.unanswered:
        for li, record in zip(pi.lis, pi.unanswered, strict=True):
            unanswered[li].append(record)
    return _in_order(barriers, _BY_SEVERITY), _in_order(unanswered, _BY_WEIGHT)


def _in_order(lists: list[list], key: Callable[[Any], Any]) -> list[tuple]:
    """Each list as a tuple, highest `key` first; sorting is stable: ties keep checklist
    order."""
    return [
        tuple(sorted(records, key=key, reverse=True)) if len(records) > 1 else tuple(records)
        for records in lists
    ]


def _class(
    unknown_severe: bool,
    coverage: float,
    unassessed: bool,
    stuck: bool,
    severe: bool,
    minor: int,
    rules: ProfileSet,
) -> SuitabilityClass:
    """SCORING.md's class rules for one limitation; the first that matches wins."""
    if unknown_severe or coverage < rules.min_coverage:
        return "unknown"
    if unassessed:
        return "unknown"  # the checklist does not assess what matters for every resident
    if stuck:
        return "unsuitable"
    if severe or minor > rules.tolerance:
        return "adaptable"
    return "suitable"


def _limitation_results(
    prepared: Prepared,
    t: _Tally,
    feasibility: Mapping[str, bool],
    facts: Mapping[str, Any],
    explain: bool,
) -> dict[str, LimitationResult]:
    """Results per key, "general" included (it is the last key)."""
    if explain:
        barriers, unanswered = _explained(prepared, t, feasibility, facts)
    else:
        barriers = unanswered = [()] * len(prepared.keys)
    rules = prepared.profiles
    results = {}
    for (
        key,
        possible,
        penalty,
        applicable,
        left_out,
        unknown_severe,
        unassessed,
        stuck,
        severe,
        minor,
        found,
        missing,
    ) in zip(
        prepared.keys,
        t.answered,
        t.penalty,
        t.applicable,
        t.left_out,
        t.unknown_severe,
        prepared.unassessed,
        t.stuck,
        t.severe,
        t.minor,
        barriers,
        unanswered,
        strict=True,
    ):
        score = 100.0 * (1.0 - penalty / possible) if possible else 100.0
        asked = applicable + left_out
        coverage = (possible + left_out) / asked if asked else 1.0
        suitability = _class(unknown_severe, coverage, unassessed, stuck, severe, minor, rules)
        results[key] = LimitationResult(
            key,
            score,
            suitability,
            coverage,
            penalty,
            found,
            missing,
        )
    return results


def _every_barrier(t: _Tally) -> tuple[Barrier, ...]:
    """Every failed item once, at its worst severity, worst first."""
    return tuple(sorted(t.worst, key=_BY_SEVERITY, reverse=True))


def _pass(
    prepared: Prepared,
    answers: Mapping[str, ItemAnswer],
    facts: Mapping[str, Any],
    feasibility: Mapping[str, bool],
    extra_profiles: Mapping[str, Mapping[str, float]],
    removed_items: frozenset[str] | set[str],
    explain: bool,
):
    _check_input(prepared, answers, facts)
    specs = (*prepared.profile_specs.values(), *extra_specs(prepared, extra_profiles))
    t = _tally(prepared, answers, facts, feasibility, removed_items)
    results = _limitation_results(prepared, t, feasibility, facts, explain)
    general = results.pop(GENERAL)
    return specs, t, results, general


def score(
    prepared: Prepared,
    answers: Mapping[str, ItemAnswer],
    facts: Mapping[str, Any] = _NO_FACTS,
    feasibility: Mapping[str, bool] = _NO_FACTS,
    extra_profiles: Mapping[str, Mapping[str, float]] = _NO_FACTS,
    removed_items: frozenset[str] | set[str] = frozenset(),
    explain: bool = True,
) -> Result:
    """Score one unit's answers for every limitation, profile and the general key.

    `facts` holds register facts (floor, has_lift, building_type, storeys, area);
    `feasibility` overrides measures' feasibility for this unit; `extra_profiles` adds ad-hoc
    profiles (an applicant's needs) as {key: {limitation: weight}}; `removed_items` counts
    those barriers as removed. `explain=False` skips the barrier and unanswered lists.
    """
    specs, t, limitations, general = _pass(
        prepared, answers, facts, feasibility, extra_profiles, removed_items, explain
    )
    profiles: dict[str, ProfileResult] = {
        spec.key: profile_result(prepared, spec, limitations, general, t, explain) for spec in specs
    }
    return Result(
        limitations=limitations,
        profiles=profiles,
        general=general,
        barriers=_every_barrier(t) if explain else (),
        model_version=MODEL_VERSION,
    )


def classes_after(
    prepared: Prepared,
    answers: Mapping[str, ItemAnswer],
    facts: Mapping[str, Any] = _NO_FACTS,
    feasibility: Mapping[str, bool] = _NO_FACTS,
    removed_items: frozenset[str] | set[str] = frozenset(),
    extra_profiles: Mapping[str, Mapping[str, float]] = _NO_FACTS,
) -> dict[str, SuitabilityClass]:
    """Classes per limitation, profile and "general" once `removed_items` are fixed.

    The fast path for upgrade planning: no explanations are built. Profile keys and
    limitation keys do not collide (profiles are age groups or applicant keys).
    """
    specs, _t, limitations, general = _pass(
        prepared, answers, facts, feasibility, extra_profiles, removed_items, False
    )
    classes: dict[str, SuitabilityClass] = {k: r.suitability for k, r in limitations.items()}
    for spec in specs:
        classes[spec.key] = profile_class(spec, limitations, general)
    classes[GENERAL] = general.suitability
    return classes
