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

from app.checklists.definitions import BUILDING_TYPES, GENERAL
from app.errors import Unprocessable
from app.scoring.answers import ItemAnswer
from app.scoring.conditions import (
    MISSING_FACT,
    NOT_APPLICABLE,
    SATISFIED,
    gate_outcomes,
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
    Row,
    new_record,
    removers_of,
)

MODEL_VERSION = 2

_NO_FACTS: Mapping[str, Any] = {}


class _Tally:
    """What one scoring pass found, per limitation index."""

    __slots__ = (
        "barriers",
        "built",
        "dropped",
        "left_out",
        "minor",
        "penalty",
        "severe",
        "shared",
        "stuck",
        "unanswered",
        "unanswered_weight",
        "unknown_severe",
        "worst",
    )

    def __init__(self) -> None:
        # Per limitation, packed into one int each (table.Packing): the sum of barrier
        # severities, of those of severity 1-2, the weight of items dropped by their
        # condition, answered "not applicable" by hand, and unanswered; and flags (1): an item
        # rated 3-4 is unanswered, a severe or blocking barrier exists, a blocking barrier no
        # feasible measure removes.
        self.penalty = self.minor = self.dropped = self.left_out = self.unanswered_weight = 0
        self.unknown_severe = self.severe = self.stuck = 0
        # (item index, item, value, grade) of barriers, and unanswered items, in checklist
        # order.
        self.barriers: list[tuple[int, PreparedItem, Any, Grade]] = []
        self.unanswered: list[PreparedItem] = []
        # Filled by _explained, in checklist order: the item indexes of barriers with the
        # item's shared records (PreparedItem.static_made); (item, grade, its records, one per
        # severity in grade.levels) of the others; and every barrier's record at its worst
        # severity.
        self.shared: list[int] = []
        self.built: list[tuple[PreparedItem, Grade, list[Barrier]]] = []
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
    t = _Tally()
    barriers = t.barriers
    # Packed per-limitation sums and flags (see _Tally), kept in locals while adding up
    # (_unanswered adds to t itself).
    penalty = minor = dropped = left_out = severe = stuck = 0
    get = answers.get
    # Items that apply as answered, and the gate groups in a special state. Most answers
    # pass (a yes_no answered true, a number within the requirement), and the filters
    # below are all they cost; the others are looked at one by one.
    ungated = prepared.ungated_rows
    yes_rows, measured, rows = list(ungated.yes), list(ungated.measured), list(ungated.other)
    special: list[tuple[Any, tuple[Row, ...]]] = []
    marks = gate_outcomes(prepared.gates, answers, facts)
    for gate_index, group in prepared.gated_rows:
        mark = marks[gate_index]
        if mark is None:  # the group applies as answered
            yes_rows += group.yes
            measured += group.measured
            rows += group.other
        elif mark is NOT_APPLICABLE:
            # Dropped by its condition: not asked at all, whatever was answered; a dozen
            # items leave in one step.
            dropped += group.weight
        else:
            special.append((mark, group.rows))
    rows += [row for row in yes_rows if (a := get(row[0])) is None or a.value is not True]
    # An int or float within the requirement's bounds passes; anything else goes to the judge.
    rows += [
        row
        for row, low, high in measured
        if (a := get(row[0])) is None or type(v := a.value) not in _NUMBERS or not low <= v <= high
    ]
    for item_id, register, judge, pi in rows:
        answer = get(item_id)
        if answer is None:
            value = facts.get(register) if register else None
        elif answer.not_applicable:  # asked, and answered "not applicable"
            left_out += pi.weight
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
        barriers.append((pi.index, pi, value, grade))
        penalty += grade.penalty
        minor += grade.minor
        severe |= grade.severe
        if grade.blocking and not _removable(pi, value, feasibility, facts):
            stuck |= grade.blocking
    t.penalty, t.minor, t.dropped, t.severe, t.stuck = penalty, minor, dropped, severe, stuck
    t.left_out = left_out
    for mark, group in special:
        _special_group(t, mark, group, answers, facts, removed)
    # Back to checklist order, which breaks ties in the explanations (a few entries each).
    barriers.sort(key=_FIRST)  # entries start with the item's unique index
    t.unanswered.sort(key=_INDEX)
    return t


_INDEX = attrgetter("index")
_FIRST = itemgetter(0)
_NUMBERS = frozenset((int, float))  # exactly these (a bool goes to its judge)


def _special_group(
    t: _Tally,
    mark: Any,
    group: tuple[Row, ...],
    answers: Mapping[str, ItemAnswer],
    facts: Mapping[str, Any],
    removed: frozenset[str] | set[str],
) -> None:
    """The items of a gate group in a special state (conditions.gate_outcomes): undecidable
    for a missing fact (unanswered, whatever was answered), met another way (a pass), or
    perhaps met another way (a passing answer passes; anything else is unanswered, never a
    barrier). An item answered "not applicable" is left out in the last two."""
    for item_id, register, judge, pi in group:
        if mark is MISSING_FACT:
            _unanswered(t, pi)
            continue
        answer = answers.get(item_id)
        if answer is not None and answer.not_applicable:
            t.left_out += pi.weight
            continue
        if mark is SATISFIED:
            continue
        # UNSETTLED: a passing answer passes, anything else is unanswered
        register_value = facts.get(register) if register else None
        value = answer.value if answer is not None else register_value
        if value is None:
            _unanswered(t, pi)
            continue
        fails = value is not True if judge is None else judge(value) is not None
        if fails and not (removed and item_id in removed):
            _unanswered(t, pi)


def _unanswered(t: _Tally, pi: PreparedItem) -> None:
    t.unanswered_weight += pi.weight
    t.unknown_severe |= pi.full_grade.severe  # rated 3-4: the class is unknown
    t.unanswered.append(pi)


def _removable(
    pi: PreparedItem, value: Any, feasibility: Mapping[str, bool], facts: Mapping[str, Any]
) -> bool:
    """Whether a measure feasible for the unit removes the barrier."""
    if pi.simple_measures and not feasibility:
        return pi.removable_by_default
    options = removers_of(pi, value, feasibility, facts)
    return bool(options) and options[0].feasible  # feasible ones come first


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
    shared, built, worst = t.shared, t.built, t.worst
    defaults = not feasibility  # no override: every measure has its default feasibility
    for _, pi, value, grade in t.barriers:
        if pi.static_made is not None and (
            defaults or feasibility.keys().isdisjoint(pi.measure_ids)
        ):
            shared.append(pi.index)
            worst.append(pi.static_worst)
            for li, barrier in pi.static_pairs:
                barriers[li].append(barrier)
            continue
        # One shared record per (item, severity): limitations and profiles reuse it.
        options = (
            pi.default_options
            if defaults and pi.simple_measures
            else removers_of(pi, value, feasibility, facts)
        )
        item_id, question, item = pi.id, pi.item.question, pi.item
        records = []  # a loop, not a comprehension: one to three records, no function frame
        for sev in grade.levels:
            records.append(new_record(Barrier, (item_id, question, value, sev, options, (), item)))
        for li, level in grade.slots:
            barriers[li].append(records[level])
        built.append((pi, grade, records))
        worst.append(records[0])
    if not t.unanswered:
        return _in_order(barriers, _BY_SEVERITY), [()] * n
    unanswered: list[list[Unanswered]] = [[] for _ in range(n)]
    for pi in t.unanswered:
        for li, record in pi.unanswered_pairs:
            unanswered[li].append(record)
    return _in_order(barriers, _BY_SEVERITY), _in_order(unanswered, _BY_WEIGHT)


def _in_order(lists: list[list], key: Callable[[Any], Any]) -> list[tuple]:
    """Each list (sorted in place) as a tuple, highest `key` first; sorting is stable: ties
    keep checklist order."""
    for records in lists:
        if len(records) > 1:
            records.sort(key=key, reverse=True)
    return list(map(tuple, lists))


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
    min_coverage, tolerance = rules.min_coverage, rules.tolerance
    unpack, total = prepared.packing.unpack, prepared.total_packed
    # Field by field (no field borrows from the next: an item counts in one sum at most).
    asked = total - t.dropped
    covered = asked - t.unanswered_weight  # answered, "not applicable" by hand included
    results = {}
    for (
        key,
        possible,
        penalty,
        covered_weight,
        asked_weight,
        unknown_severe,
        unassessed,
        stuck,
        severe,
        minor,
        found,
        missing,
    ) in zip(
        prepared.keys,
        unpack(covered - t.left_out),
        unpack(t.penalty),
        unpack(covered),
        unpack(asked),
        unpack(t.unknown_severe),
        prepared.unassessed,
        unpack(t.stuck),
        unpack(t.severe),
        unpack(t.minor),
        barriers,
        unanswered,
        strict=True,
    ):
        score = 100.0 * (1.0 - penalty / possible) if possible else 100.0
        coverage = covered_weight / asked_weight if asked_weight else 1.0
        # The class rules of docs/scoring.md, the first that matches wins ("general" is
        # unknown when the checklist does not assess what matters for every resident).
        if unknown_severe or coverage < min_coverage or unassessed:
            suitability = "unknown"
        elif stuck:
            suitability = "unsuitable"
        elif severe or minor > tolerance:
            suitability = "adaptable"
        else:
            suitability = "suitable"
        results[key] = new_record(
            LimitationResult, (key, score, suitability, coverage, penalty, found, missing)
        )
    return results


def _every_barrier(t: _Tally) -> tuple[Barrier, ...]:
    """Every failed item once, at its worst severity, worst first."""
    t.worst.sort(key=_BY_SEVERITY, reverse=True)
    return tuple(t.worst)


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
