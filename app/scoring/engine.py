"""The scoring engine: answers and unit facts in, scores, classes and explanations out.

Implements SCORING.md on the precomputed impact table (see `table.py`). Per limitation L:
penalty = sum of barrier severities, possible = sum of full severities of the applicable
answered items, score = 100 * (1 - penalty / possible), coverage = answered / applicable
severity weight, and the class by the first matching rule (unknown, unsuitable, adaptable,
suitable).

Choices made where SCORING.md leaves room (documented here once):
- An item whose condition cannot be decided (a referenced answer or fact is missing) applies.
- A register item (floor, lift) takes its value from the unit facts unless answered by hand.
- A measurement band or a choice grades the penalty; possible uses the full severity; a
  limitation a band or choice does not list gets severity 0 from it.
- `removed_items` (barriers a measure removes, for upgrade planning) count as passes.
- The general score rates every scored item with weight 1, so no item is "blocking" in it:
  its class is unknown when coverage < min_coverage, else suitable or adaptable by score.
  A unit's blocking barriers show in the limitations and profiles, not in the general class.
- A profile with no limitation of weight >= 0.5 is unknown when its weighted coverage is
  below min_coverage or a blocking-rated item of one of its limitations is unanswered.
- A profile with no weights (the adult age group) is the general result.
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import itemgetter
from typing import Any

from app.errors import Unprocessable
from app.scoring.answers import Answer
from app.scoring.profiles import extra_specs, profile_class, profile_result
from app.scoring.results import (
    Barrier,
    LimitationResult,
    ProfileResult,
    Result,
    SuitabilityClass,
    Unanswered,
)
from app.scoring.table import BLOCKING, Prepared, PreparedItem, options_for

_NO_FACTS: Mapping[str, Any] = {}
_NOT_APPLICABLE = Answer(None, not_applicable=True)
_ROW_INDEX = itemgetter(5)  # row position in the checklist


class _Tally:
    """Per-limitation sums of one scoring pass (plain lists indexed by limitation)."""

    __slots__ = (
        "answered",
        "applicable",
        "barriers",
        "blocked",
        "g_answered",
        "g_applicable",
        "g_barriers",
        "made",
        "penalty",
        "stuck",
        "unanswered",
        "unknown_blocking",
    )

    def __init__(self, prepared: Prepared):
        n = len(prepared.keys)
        self.applicable = list(prepared.total_weight)
        self.answered = list(prepared.total_weight)
        self.penalty = [0] * n
        self.unknown_blocking = [False] * n  # a blocking-rated item is unanswered
        self.blocked = [False] * n  # a blocking barrier exists
        self.stuck = [False] * n  # a blocking barrier no feasible measure removes
        self.g_applicable = len(prepared.items)
        self.g_answered = len(prepared.items)
        # (item, value, severities) of barriers, and unanswered items, in checklist order.
        self.barriers: list[tuple[PreparedItem, Any, tuple[int, ...]]] = []
        self.g_barriers = 0
        self.unanswered: list[PreparedItem] = []
        self.made: list[dict[int, Barrier]] = []  # shared Barrier records per t.barriers entry


def _check_input(prepared: Prepared, answers: Mapping[str, Answer], facts: Mapping[str, Any]):
    problems: dict[str, list[str]] = {}
    unknown = answers.keys() - prepared.item_ids
    if unknown:
        problems["answers"] = [f"Ukjent punkt: {item_id}" for item_id in sorted(unknown)]
    floor = facts.get("floor")
    if floor is not None and (isinstance(floor, bool) or not isinstance(floor, int)):
        problems["floor"] = ["Etasje må være et heltall"]
    lift = facts.get("has_lift")
    if lift is not None and not isinstance(lift, bool):
        problems["has_lift"] = ["Heis må være true eller false"]
    if problems:
        raise Unprocessable("Ugyldige data for beregning", errors=problems)


def _tally(
    prepared: Prepared,
    answers: Mapping[str, Answer],
    facts: Mapping[str, Any],
    feasibility: Mapping[str, bool],
    removed: frozenset[str] | set[str],
) -> _Tally:
    """One pass over the impact table; only non-passing items cost any work."""
    t = _Tally(prepared)
    applicable, answered, penalty = t.applicable, t.answered, t.penalty
    decided = [condition(answers, facts) for condition in prepared.conditions]
    get = answers.get
    # Fast path: a plain yes_no item answered true (most of a checklist) costs one lookup.
    rows = [row for row in prepared.plain_rows if (a := get(row[0])) is None or a.value is not True]
    if rows:
        rows.extend(prepared.other_rows)
        rows.sort(key=_ROW_INDEX)  # keep checklist order: it breaks ties in the explanations
    else:
        rows = prepared.other_rows
    for item_id, condition, register, judge, pi, _ in rows:
        answer = _NOT_APPLICABLE if condition >= 0 and decided[condition] is False else get(item_id)
        if answer is None:
            value = facts.get(register) if register else None
        elif answer.not_applicable:
            for li, sev in pi.rated:
                applicable[li] -= sev
                answered[li] -= sev
            t.g_applicable -= 1
            t.g_answered -= 1
            continue
        else:
            value = answer.value
        if value is None:
            for li, sev in pi.rated:
                answered[li] -= sev
                if sev == BLOCKING:
                    t.unknown_blocking[li] = True
            t.g_answered -= 1
            t.unanswered.append(pi)
            continue
        if judge is None:  # yes_no: true is the good state
            if value is True:
                continue
            severities = pi.full
        else:
            severities = judge(value)
            if severities is None:
                continue
        if removed and item_id in removed:
            continue
        t.barriers.append((pi, value, severities))
        t.g_barriers += 1
        removable = None
        for (li, _), sev in zip(pi.rated, severities, strict=True):
            penalty[li] += sev
            if sev == BLOCKING:
                t.blocked[li] = True
                if removable is None:
                    removable = _removable(pi, feasibility)
                if not removable:
                    t.stuck[li] = True
    return t


def _removable(pi: PreparedItem, feasibility: Mapping[str, bool]) -> bool:
    if not feasibility:
        return pi.removable_by_default
    return any(feasibility.get(m.id, m.feasible_by_default) for m in pi.measures)


_BY_SEVERITY = itemgetter(3)  # Barrier.severity
_BY_WEIGHT = itemgetter(2)  # Unanswered.weight


def _limitation_results(
    prepared: Prepared, t: _Tally, feasibility: Mapping[str, bool], explain: bool
) -> dict[str, LimitationResult]:
    n = len(prepared.keys)
    barriers: list[list[Barrier]] = [[] for _ in range(n)]
    unanswered: list[list[Unanswered]] = [[] for _ in range(n)]
    if explain:
        made_all = t.made
        for pi, value, severities in t.barriers:
            if pi.static_made is not None and (
                not feasibility or feasibility.keys().isdisjoint(pi.measure_ids)
            ):
                made_all.append(pi.static_made)
                for li, barrier in pi.static_pairs:
                    barriers[li].append(barrier)
                continue
            # One shared record per (item, severity): limitations and profiles reuse it.
            options = options_for(pi, feasibility)
            question = pi.item.question
            made: dict[int, Barrier] = {}
            for li, sev in zip(pi.lis, severities, strict=True):
                if sev:
                    barrier = made.get(sev)
                    if barrier is None:
                        barrier = made[sev] = Barrier(pi.id, question, value, sev, options)
                    barriers[li].append(barrier)
            made_all.append(made)
        for pi in t.unanswered:
            for li, record in zip(pi.lis, pi.unanswered, strict=True):
                unanswered[li].append(record)
    results = {}
    min_coverage = prepared.profiles.min_coverage
    threshold = prepared.profiles.suitable_threshold
    for li, key in enumerate(prepared.keys):
        possible, penalty = t.answered[li], t.penalty[li]
        score = 100.0 * (1.0 - penalty / possible) if possible else 100.0
        coverage = possible / t.applicable[li] if t.applicable[li] else 1.0
        # SCORING.md's class rules; the first that matches wins.
        if t.unknown_blocking[li] or coverage < min_coverage:
            suitability: SuitabilityClass = "unknown"
        elif t.stuck[li]:
            suitability = "unsuitable"
        elif t.blocked[li] or score < threshold:
            suitability = "adaptable"
        else:
            suitability = "suitable"
        found, missing = barriers[li], unanswered[li]
        # Sorting with reverse=True is stable: equal severities keep checklist order.
        if len(found) > 1:
            found.sort(key=_BY_SEVERITY, reverse=True)
        if len(missing) > 1:
            missing.sort(key=_BY_WEIGHT, reverse=True)
        results[key] = LimitationResult(
            key, score, suitability, coverage, penalty, tuple(found), tuple(missing)
        )
    return results


def _general(prepared: Prepared, t: _Tally, explain: bool) -> LimitationResult:
    """All scored items with weight 1; see the module docstring for its class."""
    score = 100.0 * (1.0 - t.g_barriers / t.g_answered) if t.g_answered else 100.0
    coverage = t.g_answered / t.g_applicable if t.g_applicable else 1.0
    barriers: tuple[Barrier, ...] = ()
    unanswered: tuple[Unanswered, ...] = ()
    if explain:
        found = [made[max(made)] for made in t.made]  # the item's worst severity
        barriers = tuple(sorted(found, key=_BY_SEVERITY, reverse=True))
        ordered = sorted(t.unanswered, key=lambda pi: -pi.max_severity)
        unanswered = tuple(pi.unanswered_general for pi in ordered)
    if coverage < prepared.profiles.min_coverage:
        suitability: SuitabilityClass = "unknown"
    elif score < prepared.profiles.suitable_threshold:
        suitability = "adaptable"
    else:
        suitability = "suitable"
    return LimitationResult(
        "general", score, suitability, coverage, t.g_barriers, barriers, unanswered
    )


def score(
    prepared: Prepared,
    answers: Mapping[str, Answer],
    facts: Mapping[str, Any] = _NO_FACTS,
    feasibility: Mapping[str, bool] = _NO_FACTS,
    extra_profiles: Mapping[str, Mapping[str, float]] = _NO_FACTS,
    removed_items: frozenset[str] | set[str] = frozenset(),
    explain: bool = True,
) -> Result:
    """Score one unit's answers for every limitation, profile and the general score.

    `facts` holds register facts (floor, has_lift); `feasibility` overrides measures'
    feasible_by_default for this unit; `extra_profiles` adds ad-hoc profiles (an applicant's
    needs) as {key: {limitation: weight}}; `removed_items` counts those barriers as removed.
    `explain=False` skips the barrier and unanswered lists (for many what-if runs).
    """
    _check_input(prepared, answers, facts)
    specs = (*prepared.profile_specs.values(), *extra_specs(prepared, extra_profiles))
    t = _tally(prepared, answers, facts, feasibility, removed_items)
    limitations = _limitation_results(prepared, t, feasibility, explain)
    general = _general(prepared, t, explain)
    profiles: dict[str, ProfileResult] = {
        spec.key: profile_result(prepared, spec, limitations, general, t, explain) for spec in specs
    }
    return Result(limitations=limitations, profiles=profiles, general=general)


def classes_after(
    prepared: Prepared,
    answers: Mapping[str, Answer],
    facts: Mapping[str, Any] = _NO_FACTS,
    feasibility: Mapping[str, bool] = _NO_FACTS,
    removed_items: frozenset[str] | set[str] = frozenset(),
    extra_profiles: Mapping[str, Mapping[str, float]] = _NO_FACTS,
) -> dict[str, SuitabilityClass]:
    """Classes per limitation, profile and "general" once `removed_items` are fixed.

    The fast path for upgrade planning: no explanations are built. Profile keys and
    limitation keys do not collide (profiles are age groups or applicant keys).
    """
    _check_input(prepared, answers, facts)
    specs = (*prepared.profile_specs.values(), *extra_specs(prepared, extra_profiles))
    t = _tally(prepared, answers, facts, feasibility, removed_items)
    limitations = _limitation_results(prepared, t, feasibility, False)
    general = _general(prepared, t, False)
    classes: dict[str, SuitabilityClass] = {k: r.suitability for k, r in limitations.items()}
    for spec in specs:
        classes[spec.key] = profile_class(prepared, spec, limitations, general, t)
    classes["general"] = general.suitability
    return classes
