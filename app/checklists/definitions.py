"""In-memory model of checklists, limitations, profiles and measures.

Plain frozen dataclasses: the loader builds them from the YAML files in `checklists/`,
the scoring and planning cores read them. Nothing here knows about Flask or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# A key of answer_types.ANSWER_TYPES: the one table of answer types and their rules.
AnswerType = str
PhotoPolicy = Literal["required_on_barrier", "optional"]
ReferenceKind = Literal["regulation", "guidance", "recommendation"]
ConditionKind = Literal["item", "fact", "all", "any", "not"]
# A key of answer_types.OPERATORS.
ConditionOp = str
MeasureScope = Literal["unit", "building", "flight"]

# Facts about a unit that come from the register, usable in conditions and register answers.
# floor: H01 = 1 (street level), U/K floors 0 or lower; has_lift: the building has a lift;
# building_type: one of BUILDING_TYPES; storeys: storeys of the building; area: the unit's
# usable area (BRA) in m².
FACTS = ("floor", "has_lift", "building_type", "storeys", "area")

# Building types of the register (stable keys; Norwegian labels in the interface).
BUILDING_TYPES = ("block", "terraced", "semi_detached", "detached", "care_housing", "other")

# Items rated for this key matter for every resident (indoor climate, fire, security...).
GENERAL = "general"

# Severity per limitation key, 1 (minor) .. 4 (blocking).
Severity = dict[str, int]


@dataclass(frozen=True)
class Text:
    nb: str
    en: str


@dataclass(frozen=True)
class Reference:
    source: str  # "TEK17", "Husbanken", "NAAF", "DiBK", ...
    clause: str  # e.g. "§12-13", may be "" for sources without clauses
    kind: ReferenceKind
    note: str = ""


@dataclass(frozen=True)
class Requirement:
    """Pass when min <= value <= max (either side may be open)."""

    min: float | None = None
    max: float | None = None
    recommended: float | None = None

    def passes(self, value: float) -> bool:
        if self.min is not None and value < self.min:
            return False
        return not (self.max is not None and value > self.max)


@dataclass(frozen=True)
class Band:
    """A milder grading of a failed measurement.

    For an item with a `min` requirement the band applies when value >= limit; for a `max`
    requirement when value <= limit. Bands are listed mildest first; the first that holds wins,
    and a value no band covers gets the item's full severity.
    """

    limit: float
    severity: Severity


@dataclass(frozen=True)
class Choice:
    key: str
    label: Text
    passes: bool
    # Severity when this choice is a barrier; None means the item's full severity.
    severity: Severity | None = None


@dataclass(frozen=True)
class Condition:
    """When an item applies.

    kind "item": compare the answer value of item `target`; kind "fact": compare the unit fact
    `target` (see FACTS); "all"/"any"/"not" combine `children`.
    """

    kind: ConditionKind
    target: str = ""
    op: ConditionOp = "eq"
    value: Any = None
    children: tuple[Condition, ...] = ()

    def item_refs(self) -> set[str]:
        refs = {self.target} if self.kind == "item" else set()
        for child in self.children:
            refs |= child.item_refs()
        return refs


@dataclass(frozen=True)
class Item:
    id: str
    section: str
    type: AnswerType
    question: Text
    help: Text
    reference: Reference
    severity: Severity = field(default_factory=dict)  # full severity when a barrier
    not_applicable_allowed: bool = False
    condition: Condition | None = None
    photo: PhotoPolicy = "optional"
    unit: str | None = None  # measurement unit: "mm", "m", "%", "m2", "N", "lux", ...
    bounds: tuple[float, float] | None = None  # sane physical range for measurement / count
    requirement: Requirement | None = None  # measurement and count
    bands: tuple[Band, ...] = ()
    choices: tuple[Choice, ...] = ()
    register: str | None = None  # answered from a unit fact (see FACTS)
    no_measure_reason: str | None = None  # why a blocking item has no measure, on purpose
    # When this holds (another item's passing answer meets the requirement another way, e.g.
    # an automatic door opener makes the opening force irrelevant) the item counts as a pass.
    satisfied_by: Condition | None = None


# Where a section's items are: inside the dwelling ("unit") or in the building's common parts
# and grounds ("building"). Measures may only remove items their own scope can reach.
SectionLocation = Literal["unit", "building"]


# How the instances of a repeated section count for a limitation: "any" (one accessible
# instance is enough: bathrooms, bedrooms) or "every" (each must pass: entrances in daily use).
RepeatRule = Literal["any", "every"]

# Register facts that say how many instances a unit has (prefilled when an inspection starts).
INSTANCE_FACTS = ("bathrooms", "bedrooms")


@dataclass(frozen=True)
class Repeat:
    """A section recorded once per room or door of its kind ("Bad 1", "Bad ved soverom")."""

    label: Text  # the default name of instance n: "{n}" is replaced by its number
    rule: RepeatRule
    min: int = 1
    max: int = 6
    prefill: str | None = None  # a key of INSTANCE_FACTS: the unit's number of instances

    def default_label(self, number: int, language: str = "nb") -> str:
        return getattr(self.label, language).replace("{n}", str(number))


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    items: tuple[Item, ...]
    location: SectionLocation | None = None  # None: mixed (no scope rule applies)
    repeat: Repeat | None = None  # None: the section is recorded once


@dataclass(frozen=True)
class Checklist:
    key: str
    version: int
    title: Text
    sections: tuple[Section, ...]

    @property
    def items(self) -> dict[str, Item]:
        return {item.id: item for section in self.sections for item in section.items}

    @property
    def repeated(self) -> dict[str, Section]:
        """The repeated sections by id."""
        return {s.id: s for s in self.sections if s.repeat is not None}


# The stable limitation keys of SCORING.md, in its order: limitations.yaml may label and group
# them, not add others (results always cover all of them, and matching keeps one column each).
LIMITATION_KEYS: tuple[str, ...] = (
    "wheelchair_manual",
    "wheelchair_electric",
    "walking_aid",
    "balance",
    "stamina",
    "arm_hand",
    "blind",
    "low_vision",
    "deaf",
    "hard_of_hearing",
    "cognitive",
    "asthma_allergy",
    "young_child",
)


@dataclass(frozen=True)
class Limitation:
    key: str
    label: Text
    group: str


@dataclass(frozen=True)
class Profile:
    key: str
    label: Text
    weights: dict[str, float]  # limitation key -> weight 0..1; empty: general score only


@dataclass(frozen=True)
class ProfileSet:
    version: int
    suitable_threshold: float  # model version 1 only; kept so old files still load
    min_coverage: float
    profiles: tuple[Profile, ...]
    # Model version 2: minor and moderate (1-2) barriers whose severities add up to more than
    # this make a limitation "adaptable".
    tolerance: int = 4


@dataclass(frozen=True)
class Cost:
    low: int
    typical: int
    high: int
    basis: str
    year: int | None = None  # the price level (NOK of that year)


@dataclass(frozen=True)
class Measure:
    id: str
    name: Text
    removes: tuple[str, ...]  # item ids this measure turns into a pass
    cost: Cost
    scope: MeasureScope
    feasible_by_default: bool
    ns3451: str
    # Feasible only for units whose facts meet this (facts only, e.g. {fact: area, ge: 35});
    # an undecidable condition (a missing fact) leaves feasible_by_default in force.
    feasible_when: Condition | None = None
    # Item id -> the largest failing value this measure can fix (for a `max` requirement: the
    # value must be at most this; for a `min` requirement: at least this). A ramp serves a
    # small rise only.
    limits: dict[str, float] = field(default_factory=dict)
    annual_cost: Cost | None = None  # recurring cost per year, apart from the one-off cost


@dataclass(frozen=True)
class MeasureCatalogue:
    version: int
    measures: tuple[Measure, ...]


@dataclass(frozen=True)
class Catalogue:
    """Everything loaded from `checklists/`: the basis for scoring one version."""

    checklists: dict[tuple[str, int], Checklist]
    limitations: tuple[Limitation, ...]
    profiles: ProfileSet
    measures: MeasureCatalogue
    # (key, from version, to version) -> {old item id: new item ids}: the answers a
    # re-inspection under the newer version carries over from the older one.
    mappings: dict[tuple[str, int, int], dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def newest(self, key: str) -> Checklist:
        """The newest version of checklist `key`: the one new inspections get by default."""
        return self.checklists[(key, max(v for k, v in self.checklists if k == key))]
