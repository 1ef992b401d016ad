"""A small checklist and hypothesis strategies for the upgrade-planning tests."""

from __future__ import annotations

from hypothesis import strategies as st

from app.checklists.definitions import (
    Band,
    Checklist,
    Cost,
    Item,
    Measure,
    MeasureCatalogue,
    Profile,
    ProfileSet,
    Reference,
    Requirement,
    Section,
    Text,
)
from app.planning import Option, UnitCandidate
from app.scoring import ItemAnswer

KEYS = ("l0", "l1", "l2")
REF = Reference(source="TEK17", clause="§12-13", kind="regulation")


def t(text: str) -> Text:
    return Text(nb=text, en=text)


def item(item_id: str, severity: dict[str, int], **kwargs) -> Item:
    kind = kwargs.pop("type", "yes_no")
    return Item(
        id=item_id,
        section="s",
        type=kind,
        question=t(f"Spørsmål {item_id}"),
        help=t(""),
        reference=REF,
        severity=severity,
        **kwargs,
    )


# Blocking (4) and minor items over three limitations, so both the "blocking barrier" and
# the "score below the threshold" rules decide classes.
ITEMS = (
    item("i0", {"l0": 4, "l1": 2}),
    item("i1", {"l0": 4}),
    item("i2", {"l0": 2, "l1": 3, "l2": 1}),
    item("i3", {"l1": 4, "l2": 2}),
    item("i4", {"l2": 3, "l0": 1}),
    item("i5", {"l2": 2, "l1": 1}),
    item("i6", {"l0": 1, "l1": 1, "l2": 1}),
    item(
        "i7",
        {"l0": 4, "l2": 2},
        type="measurement",
        unit="mm",
        bounds=(0, 2000),
        requirement=Requirement(min=800),
        bands=(Band(limit=700, severity={"l0": 2, "l2": 1}),),
    ),
)
ITEM_IDS = tuple(i.id for i in ITEMS)
CHECKLIST = Checklist("test", 1, t("Test"), (Section("s", t("S"), ITEMS),))
PROFILES = ProfileSet(
    version=1,
    suitable_threshold=85,
    min_coverage=0.9,
    profiles=(
        Profile("major", t("Hovedvekt"), {"l0": 1, "l1": 0.3}),
        Profile("minor", t("Lave vekter"), {"l1": 0.3, "l2": 0.4}),
        Profile("adult", t("Voksen"), {}),
    ),
)


def measure(
    measure_id: str,
    removes: tuple[str, ...],
    typical: int,
    scope: str = "unit",
    feasible: bool = True,
) -> Measure:
    return Measure(
        id=measure_id,
        name=t(f"Tiltak {measure_id}"),
        removes=removes,
        cost=Cost(low=typical // 2, typical=typical, high=typical * 2, basis="stk"),
        scope=scope,  # type: ignore[arg-type]
        feasible_by_default=feasible,
        ns3451="",
    )


@st.composite
def catalogues(draw) -> MeasureCatalogue:
    """Up to seven measures, each removing one to three items, some infeasible by default."""
    count = draw(st.integers(1, 7))
    measures = []
    for n in range(count):
        removes = draw(st.lists(st.sampled_from(ITEM_IDS), min_size=1, max_size=3, unique=True))
        measures.append(
            measure(
                f"m{n}",
                tuple(removes),
                draw(st.integers(1, 40)) * 1000,
                draw(st.sampled_from(["unit", "building"])),
                draw(st.booleans() | st.just(True)),
            )
        )
    return MeasureCatalogue(version=1, measures=tuple(measures))


@st.composite
def answer_sets(draw) -> dict[str, ItemAnswer]:
    """Mostly barriers and passes, now and then an unanswered item."""
    answers = {}
    for it in ITEMS:
        state = draw(st.sampled_from(["pass", "barrier", "barrier", "missing", "pass"]))
        if state == "missing" and draw(st.booleans()):
            continue
        if it.type == "measurement":
            value = 900 if state == "pass" else draw(st.sampled_from([650, 750]))
        else:
            value = state == "pass"
        answers[it.id] = ItemAnswer(value)
    return answers


# The portfolio tests' measures: unit measures u0..u11 and building measures b0..b3.
UNIT_MEASURES = tuple(measure(f"u{n}", ("i0",), 1000 * (n + 1)) for n in range(12))
BUILDING_MEASURES = tuple(
    measure(f"b{n}", ("i1",), 5000 * (n + 1), scope="building") for n in range(4)
)
PORTFOLIO_CATALOGUE = MeasureCatalogue(version=1, measures=UNIT_MEASURES + BUILDING_MEASURES)
NEEDS = ("a", "b", "c")


@st.composite
def portfolios(draw, shared: bool = True) -> list[UnitCandidate]:
    """Up to four units with up to three options; at most 9 options in all.

    `shared=False` gives every option its own unit measures, so no two actions share a key.
    """
    units = []
    fresh = iter(m.id for m in UNIT_MEASURES)
    budget_left = 9
    for n in range(draw(st.integers(1, 4))):
        options = []
        for _ in range(draw(st.integers(0, min(3, budget_left)))):
            budget_left -= 1
            if shared:
                pool = [m.id for m in UNIT_MEASURES[:4] + BUILDING_MEASURES]
                measures = draw(
                    st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique=True)
                )
            else:
                measures = [next(fresh)]
            needs = draw(st.lists(st.sampled_from(NEEDS), min_size=1, max_size=3, unique=True))
            options.append(Option(tuple(sorted(measures)), tuple(sorted(needs))))
        suitable = frozenset(draw(st.lists(st.sampled_from(NEEDS), max_size=1)))
        units.append(
            UnitCandidate(
                unit_id=f"H01{n:02d}",
                building_id=draw(st.sampled_from(["B1", "B2"])),
                district=draw(st.sampled_from(["Nord", "Sør"])),
                suitable=suitable,
                options=tuple(options),
            )
        )
    return units
