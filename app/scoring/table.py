"""The impact table: everything about one checklist version that scoring can precompute.

`prepare` flattens a checklist, its profiles and the measures catalogue into per-item records
(which limitations the item rates and how hard, how an answer is judged, which measures remove
it) so that scoring one inspection is a single pass over flat tuples. Prepared tables are
cached per (checklist, profiles, measures) version and object.
"""

from __future__ import annotations

import math
import struct
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, NamedTuple

from app.checklists.answer_types import ANSWER_TYPES
from app.checklists.definitions import (
    GENERAL,
    LIMITATION_KEYS,
    Checklist,
    Condition,
    Item,
    Limitation,
    Measure,
    MeasureCatalogue,
    ProfileSet,
    Severity,
)
from app.scoring.conditions import Compiled, Gate, compile_condition, group_gates
from app.scoring.results import Barrier, MeasureOption, Unanswered

BLOCKING = 4
SEVERE = 3  # severe or blocking: decides "unknown" when unanswered, "adaptable" when a barrier

# A NamedTuple's generated __new__ is a Python function; tuple.__new__(cls, fields) makes the
# same record in a third of the time. Used for the result records made per inspection (every
# field given, in order): new_record(Barrier, (item_id, question, ...)).
new_record = tuple.__new__


# struct's standard formats (little-endian, no padding) of a field, by its bits
_FIELD_FORMATS = ((16, "H"), (32, "I"), (64, "Q"))


@dataclass(frozen=True, slots=True)
class Packing:
    """Per-limitation values (sums of severities, or flags 0 and 1) packed into one int.

    The tally keeps its per-limitation sums packed, so that a barrier adds its severities to
    every limitation it hits in one addition instead of a loop (the hottest part of
    scoring). A field holds the largest total severity of a limitation, and no sum the tally
    makes exceeds that total, so a field never carries into the next one.
    """

    width: int  # bits per limitation index
    fields: struct.Struct  # the packed int's bytes (little-endian) as one field per index

    @staticmethod
    def for_totals(total: Sequence[int]) -> Packing:
        """The narrowest packing whose fields hold every limitation's total."""
        for width, code in _FIELD_FORMATS:
            if max(total, default=0) < 1 << width:
                return Packing(width, struct.Struct(f"<{len(total)}{code}"))
        raise ValueError("a limitation's total severity does not fit in 64 bits")

    def pack(self, pairs: Iterable[tuple[int, int]]) -> int:
        """(limitation index, value >= 0) pairs as one int."""
        return sum(value << (li * self.width) for li, value in pairs)

    def unpack(self, packed: int) -> tuple[int, ...]:
        """The value per limitation index."""
        return self.fields.unpack(packed.to_bytes(self.fields.size, "little"))


@dataclass(frozen=True, slots=True)
class Grade:
    """How hard one failing answer hits each limitation its item rates, in the shapes the
    tally adds up (built once per item and band or choice)."""

    severities: tuple[int, ...]  # aligned with PreparedItem.rated
    # Packed by limitation index (see Packing): the severities, those of severity 1-2, and
    # flags (1) for severity 3-4 and for 4.
    penalty: int
    minor: int
    severe: int
    blocking: int
    # The explanation of a barrier has one record per severity it has (shared by the
    # limitations and profiles): those severities, highest first, and per limitation with a
    # severity > 0, (limitation index, position of its severity in levels).
    levels: tuple[int, ...]
    slots: tuple[tuple[int, int], ...]
    index: int  # its place in Prepared.grades (profiles keep a table by grade)


class _Grades:
    """Makes the Grades of a prepared table, numbered in the order they are made."""

    def __init__(self, packing: Packing):
        self.packing = packing
        self.made: list[tuple[int, Grade]] = []  # (item index, grade)

    def make(
        self, item_index: int, rated: tuple[tuple[int, int], ...], severities: tuple[int, ...]
    ) -> Grade:
        grade = _grade(rated, severities, self.packing, len(self.made))
        self.made.append((item_index, grade))
        return grade


def _grade(
    rated: tuple[tuple[int, int], ...],
    severities: tuple[int, ...],
    packing: Packing,
    index: int,
) -> Grade:
    pairs = tuple((li, sev) for (li, _), sev in zip(rated, severities, strict=True) if sev > 0)
    levels = tuple(sorted({sev for _, sev in pairs}, reverse=True))
    return Grade(
        severities,
        packing.pack(pairs),
        packing.pack((li, sev) for li, sev in pairs if sev < SEVERE),
        packing.pack((li, 1) for li, sev in pairs if sev >= SEVERE),
        packing.pack((li, 1) for li, sev in pairs if sev == BLOCKING),
        levels,
        tuple((li, levels.index(sev)) for li, sev in pairs),
        index,
    )


# Judge: answer value -> None (pass) or its Grade.
Judge = Callable[[Any], Grade | None]


@dataclass(frozen=True, slots=True)
class PreparedItem:
    """One rated item, flattened for scoring."""

    index: int
    id: str
    item: Item
    rated: tuple[tuple[int, int], ...]  # (limitation index, full severity), severity > 0
    lis: tuple[int, ...]  # the limitation indexes of rated
    max_severity: int
    full: tuple[int, ...]  # full severities aligned with rated
    weight: int  # rated, packed (see Packing): what it weighs in coverage
    full_grade: Grade  # a failure at full severity (of full)
    judge: Judge | None  # None when judged "yes" (yes_no): the engine inlines "true passes"
    condition: Condition | None
    register: str | None
    measures: tuple[Measure, ...]
    # (measure, its feasible_when compiled, its limit for this item or None)
    measure_rules: tuple[tuple[Measure, Compiled | None, float | None], ...]
    default_options: tuple[MeasureOption, ...]
    measure_ids: frozenset[str]
    # The measure options removers_of has built for this item, by what each measure does for
    # the unit (None: it cannot fix the value; else whether it is feasible): few combinations.
    options_made: dict[tuple[bool | None, ...], tuple[MeasureOption, ...]]
    # yes_no with simple measures: a barrier is always the answer False at full severity with
    # the default measure options, so its records are built once: per severity, the worst,
    # and (limitation index, record) per rated limitation.
    static_made: dict[int, Barrier] | None
    static_worst: Barrier | None
    static_pairs: tuple[tuple[int, Barrier], ...]
    removable_by_default: bool  # some measure feasible by default removes it
    simple_measures: bool  # no measure of it depends on unit facts or the answer's value
    unanswered: tuple[Unanswered, ...]  # its Unanswered record per rated limitation
    unanswered_pairs: tuple[tuple[int, Unanswered], ...]  # (limitation index, its record)
    unanswered_general: Unanswered  # its Unanswered record in the general result


@dataclass(frozen=True, slots=True)
class Prepared:
    """The precomputed impact table of one checklist version with its profiles and measures."""

    checklist: Checklist
    profiles: ProfileSet
    measures: MeasureCatalogue
    keys: tuple[str, ...]  # limitation keys and, last, "general"; index = limitation index
    key_index: dict[str, int]
    general_index: int  # index of "general" in keys
    items: tuple[PreparedItem, ...]  # rated items in checklist order
    grades: tuple[tuple[int, Grade], ...]  # (item index, grade) of every Grade, by Grade.index
    ungated_rows: Rows  # scored items without condition or satisfied_by
    # scored items with a condition or satisfied_by, by gate: (index in gates, its rows)
    gated_rows: tuple[tuple[int, Rows], ...]
    gates: tuple[Gate, ...]  # items with a condition or satisfied_by, grouped, parents first
    item_ids: frozenset[str]  # every item id of the checklist, rated or not
    all_items: dict[str, Item]  # every item of the checklist by id
    condition_refs: frozenset[str]  # item ids that some condition or satisfied_by reads
    total_weight: tuple[int, ...]  # per limitation: sum of full severities over rated items
    packing: Packing  # how the tally packs its per-limitation sums
    total_packed: int  # total_weight, packed
    # per limitation: True for "general" when no item rates it (its class is then unknown)
    unassessed: tuple[bool, ...]
    profile_specs: dict[str, ProfileSpec]  # the age-group profiles of the ProfileSet
    # ad-hoc profiles (an applicant's needs) flattened so far, by (key, weights by index):
    # matching scores one applicant against many units
    extra_specs: dict[tuple[str, tuple[tuple[int, float], ...]], ProfileSpec]


# (item id, register, judge, item)
Row = tuple[str, str | None, Judge | None, PreparedItem]


class Rows(NamedTuple):
    """Scored items (of a gate group, or without a gate), split by how cheaply an answer
    shows that they pass: most answers pass, and the tally looks closer only at the others."""

    yes: tuple[Row, ...]  # yes_no, not from the register: an answer true passes
    # judged by a requirement, not from the register, with its bounds (infinite when open):
    # an int or float answer within them passes
    measured: tuple[tuple[Row, float, float], ...]
    other: tuple[Row, ...]
    rows: tuple[Row, ...]  # all of them
    weight: int  # their summed weight (packed, see Packing): a dropped gate takes it out


def _rows(scored: Iterable[Row]) -> Rows:
    rows = tuple(scored)
    yes: list[Row] = []
    measured: list[tuple[Row, float, float]] = []
    other: list[Row] = []
    for row in rows:
        _, register, judge, pi = row
        requirement = pi.item.requirement
        if register:
            other.append(row)
        elif judge is None:
            yes.append(row)
        elif ANSWER_TYPES[pi.item.type].judged_by == "requirement" and requirement is not None:
            low, high = requirement.min, requirement.max
            measured.append(
                (row, -math.inf if low is None else low, math.inf if high is None else high)
            )
        else:
            other.append(row)
    weight = sum(row[3].weight for row in rows)
    return Rows(tuple(yes), tuple(measured), tuple(other), rows, weight)


# Per item (by PreparedItem.index): (position in item.rated, profile weight) pairs.
ItemWeights = tuple[tuple[tuple[int, float], ...], ...]


@dataclass(frozen=True, slots=True)
class ProfileSpec:
    """A profile flattened for scoring: its weights and its slice of the impact table."""

    key: str
    parts: tuple[tuple[str, int, float], ...]  # (limitation key, index, weight > 0)
    weights: dict[str, float]  # limitation key -> weight > 0
    total: float  # sum of the weights; 0 for a profile without weights (general only)
    major: tuple[str, ...]  # limitation keys with weight >= MAJOR_WEIGHT
    items: ItemWeights
    # per item: its Unanswered record weighted for this profile; None when it weighs nothing
    unanswered: tuple[Unanswered | None, ...]
    # A profile lists its barriers by weighted impact, highest first, equal impact in
    # checklist order. Every grade's impact is known here, so that order is a rank:
    # per grade (by Grade.index), (rank, position in grade.levels of the barrier's worst
    # severity for this profile); None when the grade weighs nothing for it.
    found_by_grade: tuple[tuple[int, int] | None, ...]
    # per item with shared barrier records (static_made): (rank, record at the worst
    # severity for this profile) of its failure at full severity; None when it weighs
    # nothing (see profiles._explain)
    shared_found: tuple[tuple[int, Barrier] | None, ...]


MAJOR_WEIGHT = 1.0  # limitations with this weight decide a profile's class


def profile_spec(
    key: str,
    weights: dict[int, float],
    keys: tuple[str, ...],
    items: tuple[PreparedItem, ...],
    grades: tuple[tuple[int, Grade], ...],
) -> ProfileSpec:
    """Flatten one profile's weights {limitation index: weight > 0}."""
    table = tuple(
        tuple((pos, weights[li]) for pos, (li, _) in enumerate(pi.rated) if li in weights)
        for pi in items
    )
    at_full = tuple(
        (
            sum(w * pi.full[pos] for pos, w in entries),
            max((pi.full[pos] for pos, _ in entries), default=0),
        )
        for pi, entries in zip(items, table, strict=True)
    )
    # (weighted impact, worst severity) of every grade for this profile, summed as they always
    # were (the same floats, so the same order)
    impacts = [
        at_full[item_index]
        if grade is items[item_index].full_grade
        else _weighted_impact(grade, table[item_index])
        for item_index, grade in grades
    ]
    ranked = sorted(
        (-impact, item_index, grade.index)
        for (item_index, grade), (impact, worst) in zip(grades, impacts, strict=True)
        if worst
    )
    rank = {grade_index: position for position, (_, _, grade_index) in enumerate(ranked)}
    found_by_grade = tuple(
        (rank[grade.index], grade.levels.index(worst)) if worst else None
        for (_, grade), (_, worst) in zip(grades, impacts, strict=True)
    )
    return ProfileSpec(
        key=key,
        parts=tuple((keys[li], li, w) for li, w in weights.items()),
        weights={keys[li]: w for li, w in weights.items()},
        total=sum(weights.values()),
        major=tuple(keys[li] for li, w in weights.items() if w >= MAJOR_WEIGHT),
        items=table,
        unanswered=tuple(
            _weighted_unanswered(pi, entries) for pi, entries in zip(items, table, strict=True)
        ),
        found_by_grade=found_by_grade,
        shared_found=tuple(
            (entry[0], pi.static_made[pi.full_grade.levels[entry[1]]])
            if pi.static_made is not None and (entry := found_by_grade[pi.full_grade.index])
            else None
            for pi in items
        ),
    )


def _weighted_impact(grade: Grade, entries: tuple[tuple[int, float], ...]) -> tuple[float, int]:
    """The weighted impact and worst severity of a grade for a profile (its `entries`)."""
    severities = grade.severities
    impact, worst = 0.0, 0
    for pos, w in entries:  # summed in this order, as it always was
        sev = severities[pos]
        if sev:
            impact += w * sev
            if sev > worst:
                worst = sev
    return impact, worst


def _weighted_unanswered(
    pi: PreparedItem, entries: tuple[tuple[int, float], ...]
) -> Unanswered | None:
    impact = 0.0
    for pos, w in entries:  # summed in this order, as it always was
        impact += w * pi.full[pos]
    return Unanswered(pi.id, pi.item.question, impact) if impact else None


def _aligned(rated: tuple[tuple[int, int], ...], keys: tuple[str, ...], sev: Severity):
    """Severities of `sev` aligned with `rated`, capped at the item's full severity."""
    return tuple(min(max(int(sev.get(keys[li], 0)), 0), full) for li, full in rated)


def _make_judge(
    item: Item,
    rated: tuple[tuple[int, int], ...],
    keys: tuple[str, ...],
    full: Grade,
    make_grade: Callable[[tuple[int, ...]], Grade],
) -> Judge:
    """Build the function that turns an answer value into pass (None) or its Grade.

    A failure at full severity returns `full` itself, so callers can test identity.
    """

    def none(_value: Any) -> Grade | None:
        return None

    def _nonzero(severities: tuple[int, ...]) -> Grade | None:
        # A grading that rates nothing is not a barrier for anyone.
        return make_grade(severities) if any(severities) else None

    judged_by = ANSWER_TYPES[item.type].judged_by
    if judged_by == "yes":
        return lambda value: None if value is True else full

    if judged_by == "choice":
        graded = {
            c.key: None
            if c.passes
            else (_nonzero(_aligned(rated, keys, c.severity)) if c.severity is not None else full)
            for c in item.choices
        }
        return lambda value: graded.get(value, full)

    requirement = item.requirement
    if judged_by != "requirement" or requirement is None:
        return none

    low, high = requirement.min, requirement.max
    bands = tuple(
        (band.limit, _nonzero(_aligned(rated, keys, band.severity))) for band in item.bands
    )

    def judge(value: Any) -> Grade | None:
        if low is not None and value < low:
            for limit, grade in bands:
                if value >= limit:
                    return grade
            return full
        if high is not None and value > high:
            for limit, grade in bands:
                if value <= limit:
                    return grade
            return full
        return None

    return judge


def _by_cost(options: Iterable[MeasureOption]) -> tuple[MeasureOption, ...]:
    """Cheapest feasible first, then the infeasible ones by cost."""
    return tuple(sorted(options, key=lambda o: (not o.feasible, o.cost.typical, o.id)))


def _options(measures: Iterable[Measure]) -> tuple[MeasureOption, ...]:
    return _by_cost(MeasureOption(m.id, m.name, m.cost, m.feasible_by_default) for m in measures)


_NO_STATES: dict = {}
_NO_ANSWERS: dict = {}
_fact_conditions: dict[str, Compiled] = {}  # feasible_when closures by the condition's repr


def feasible_when(measure: Measure) -> Compiled | None:
    """The measure's `feasible_when` compiled; equal conditions share one closure."""
    if measure.feasible_when is None:
        return None
    key = repr(measure.feasible_when)  # slow: prepare() calls this once per measure and item
    compiled = _fact_conditions.get(key)
    if compiled is None:
        compiled = _fact_conditions[key] = compile_condition(measure.feasible_when, {})
    return compiled


def feasible(
    measure: Measure,
    when: Compiled | None,
    feasibility: Mapping[str, bool],
    facts: Mapping[str, Any],
) -> bool:
    """`measure_feasible` with the measure's `feasible_when` already compiled (`when`)."""
    override = feasibility.get(measure.id)
    if override is not None:
        return override
    if when is not None and when(_NO_ANSWERS, facts, _NO_STATES) is False:
        return False
    return measure.feasible_by_default


def measure_feasible(
    measure: Measure, feasibility: Mapping[str, bool], facts: Mapping[str, Any]
) -> bool:
    """Whether a measure can be carried out in this unit: the unit's override, else its
    `feasible_when` on the unit's facts (undecidable: the default), else the default."""
    return feasible(measure, feasible_when(measure), feasibility, facts)


def measure_reaches(measure: Measure, item: Item, value: Any) -> bool:
    """Whether a measure can fix this failing value (a ramp serves small rises only)."""
    limit = measure.limits.get(item.id)
    if limit is None or isinstance(value, bool) or not isinstance(value, int | float):
        return True
    requirement = item.requirement
    if requirement is not None and requirement.min is not None:
        return value >= limit
    return value <= limit


def removers_of(
    pi: PreparedItem, value: Any, feasibility: Mapping[str, bool], facts: Mapping[str, Any]
) -> tuple[MeasureOption, ...]:
    """The measures that can remove this barrier, with their feasibility for this unit."""
    if pi.simple_measures and (not feasibility or feasibility.keys().isdisjoint(pi.measure_ids)):
        return pi.default_options
    item = pi.item
    verdicts = tuple(
        [
            None
            if limit is not None and not measure_reaches(m, item, value)
            else feasible(m, when, feasibility, facts)
            for m, when, limit in pi.measure_rules
        ]
    )
    options = pi.options_made.get(verdicts)
    if options is None:  # at most 3 ** (number of measures) entries per item
        options = pi.options_made[verdicts] = _by_cost(
            MeasureOption(m.id, m.name, m.cost, verdict)
            for (m, _, _), verdict in zip(pi.measure_rules, verdicts, strict=True)
            if verdict is not None
        )
    return options


def _keys(
    checklist: Checklist, profiles: ProfileSet, limitations: Iterable[Limitation | str] | None
) -> tuple[str, ...]:
    if limitations is not None:
        base = [lim if isinstance(lim, str) else lim.key for lim in limitations]
    else:
        base = list(LIMITATION_KEYS)
    seen = dict.fromkeys(base)
    for item in checklist.items.values():
        seen.update(dict.fromkeys(item.severity))
    for profile in profiles.profiles:
        seen.update(dict.fromkeys(profile.weights))
    seen.pop(GENERAL, None)
    return (*seen, GENERAL)


def _normalised(item: Item, items: dict[str, Item]) -> Item:
    """A condition that drops an item when another yes_no item passes ({item: X, eq: false})
    means "X meets this requirement another way": the item then counts as passed
    (satisfied_by), never as removed, so a fix can never lower a score."""
    c = item.condition
    if (
        c is None
        or item.satisfied_by is not None
        or c.kind != "item"
        or (c.op, c.value) not in (("eq", False), ("ne", True))
    ):
        return item
    target = items.get(c.target)
    if target is None or ANSWER_TYPES[target.type].judged_by != "yes" or not target.severity:
        return item
    return replace(item, condition=None, satisfied_by=Condition("item", c.target, "eq", True))


def _gates(items: dict[str, Item]) -> tuple[tuple[Gate, ...], frozenset[str]]:
    """Items with a condition or satisfied_by, each after the items its conditions read, and
    the ids those conditions read. Validation refuses cycles."""
    registers = {item.id: item.register for item in items.values()}
    compiled: dict[str, Compiled] = {}  # equal conditions share one closure

    def compile_once(condition: Condition | None) -> Compiled | None:
        if condition is None:
            return None
        key = repr(condition)
        if key not in compiled:
            compiled[key] = compile_condition(condition, registers)
        return compiled[key]

    refs: set[str] = set()
    ordered: list[tuple[str, Compiled | None, Compiled | None]] = []
    done: set[str] = set()

    def visit(item: Item) -> None:
        if item.id in done:
            return
        done.add(item.id)
        reads = set()
        for condition in (item.condition, item.satisfied_by):
            if condition is not None:
                reads |= condition.item_refs()
        refs.update(reads)
        for parent in sorted(reads):
            if parent in items:
                visit(items[parent])
        if item.condition is not None or item.satisfied_by is not None:
            ordered.append((item.id, compile_once(item.condition), compile_once(item.satisfied_by)))

    for item in items.values():
        visit(item)
    return group_gates(ordered, frozenset(refs)), frozenset(refs)


def _build(
    checklist: Checklist,
    profiles: ProfileSet,
    measures: MeasureCatalogue,
    limitations: Iterable[Limitation | str] | None,
) -> Prepared:
    keys = _keys(checklist, profiles, limitations)
    key_index = {key: i for i, key in enumerate(keys)}
    removers: dict[str, list[Measure]] = {}
    for measure in measures.measures:
        for item_id in measure.removes:
            removers.setdefault(item_id, []).append(measure)
    raw = checklist.items
    all_items = {item_id: _normalised(item, raw) for item_id, item in raw.items()}
    ratings: dict[str, tuple[tuple[int, int], ...]] = {}  # (limitation index, severity > 0)
    for item_id, item in all_items.items():
        rated = tuple(
            (key_index[key], int(sev)) for key, sev in item.severity.items() if int(sev) > 0
        )
        if rated:  # an item that rates nothing is informational: answered, never scored
            ratings[item_id] = rated
    total = [0] * len(keys)
    for rated in ratings.values():
        for li, sev in rated:
            total[li] += sev
    packing = Packing.for_totals(total)
    grades = _Grades(packing)
    prepared_items = []
    for item_id, rated in ratings.items():
        item = all_items[item_id]
        make_grade = partial(grades.make, len(prepared_items), rated)
        item_measures = tuple(removers.get(item.id, ()))
        full = tuple(sev for _, sev in rated)
        full_grade = make_grade(full)
        options = _options(item_measures)
        simple_measures = all(
            m.feasible_when is None and item.id not in m.limits for m in item_measures
        )
        by_yes = ANSWER_TYPES[item.type].judged_by == "yes"  # true passes, false fails in full
        unanswered = tuple(Unanswered(item.id, item.question, sev) for _, sev in rated)
        static = (
            {s: Barrier(item.id, item.question, False, s, options, item=item) for s in set(full)}
            if by_yes and simple_measures
            else None
        )
        prepared_items.append(
            PreparedItem(
                index=len(prepared_items),
                id=item.id,
                item=item,
                rated=rated,
                lis=tuple(li for li, _ in rated),
                max_severity=max(sev for _, sev in rated),
                full=full,
                weight=packing.pack(rated),
                full_grade=full_grade,
                judge=None if by_yes else _make_judge(item, rated, keys, full_grade, make_grade),
                condition=item.condition,
                register=item.register,
                measures=item_measures,
                measure_rules=tuple(
                    (m, feasible_when(m), m.limits.get(item.id)) for m in item_measures
                ),
                default_options=options,
                measure_ids=frozenset(m.id for m in item_measures),
                options_made={},
                static_made=static,
                static_worst=static[max(full)] if static else None,
                static_pairs=tuple((li, static[s]) for li, s in rated) if static else (),
                removable_by_default=any(m.feasible_by_default for m in item_measures),
                simple_measures=simple_measures,
                unanswered=unanswered,
                unanswered_pairs=tuple(zip((li for li, _ in rated), unanswered, strict=True)),
                unanswered_general=Unanswered(item.id, item.question, 1.0),
            )
        )
    profile_weights = {
        p.key: {key_index[k]: float(w) for k, w in p.weights.items() if w > 0}
        for p in profiles.profiles
    }
    frozen_items = tuple(prepared_items)
    gates, refs = _gates(all_items)
    gated = {item_id for gate in gates for item_id in gate.item_ids}
    rows = [(pi.id, pi.register, pi.judge, pi) for pi in frozen_items]
    gated_rows = tuple(
        (index, _rows(row for row in rows if row[0] in gate.item_ids))
        for index, gate in enumerate(gates)
        # a gate without scored items matters only to the items reading their state
        if any(row[0] in gate.item_ids for row in rows)
    )
    return Prepared(
        checklist=checklist,
        profiles=profiles,
        measures=measures,
        keys=keys,
        key_index=key_index,
        general_index=key_index[GENERAL],
        items=frozen_items,
        grades=tuple(grades.made),
        ungated_rows=_rows(row for row in rows if row[0] not in gated),
        gated_rows=gated_rows,
        gates=gates,
        item_ids=frozenset(all_items),
        all_items=all_items,
        condition_refs=refs,
        total_weight=tuple(total),
        packing=packing,
        total_packed=packing.pack(enumerate(total)),
        unassessed=tuple(
            key == GENERAL and not weight for key, weight in zip(keys, total, strict=True)
        ),
        profile_specs={
            k: profile_spec(k, w, keys, frozen_items, tuple(grades.made))
            for k, w in profile_weights.items()
        },
        extra_specs={},
    )


_CACHE_SIZE = 32
_cache: OrderedDict[tuple[Any, ...], Prepared] = OrderedDict()


def prepare(
    checklist: Checklist,
    profiles: ProfileSet,
    measures: MeasureCatalogue,
    limitations: Iterable[Limitation | str] | None = None,
) -> Prepared:
    """Return the impact table for this checklist version, profiles and measures (cached).

    The cache key is the versions; a hit is served only when it was built from these very
    objects, so a reloaded or edited catalogue with the same version numbers is rebuilt.
    `limitations` (default: the keys of SCORING.md) fixes which limitations results cover.
    """
    lim_key = (
        None
        if limitations is None
        else tuple(lim if isinstance(lim, str) else lim.key for lim in limitations)
    )
    key = (checklist.key, checklist.version, profiles.version, measures.version, lim_key)
    hit = _cache.get(key)
    if (
        hit is not None
        and hit.checklist is checklist
        and hit.profiles is profiles
        and hit.measures is measures
    ):
        _cache.move_to_end(key)
        return hit
    built = _build(checklist, profiles, measures, lim_key)
    _cache[key] = built
    _cache.move_to_end(key)
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return built
