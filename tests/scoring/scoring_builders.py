"""A small synthetic checklist, profiles and measures for hand-worked scoring tests."""

from __future__ import annotations

from app.checklists.definitions import (
    Band,
    Checklist,
    Choice,
    Condition,
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
from app.scoring import ItemAnswer

REF = Reference(source="TEK17", clause="§12-13", kind="regulation")


def t(nb: str) -> Text:
    return Text(nb=nb, en=nb)


def item(item_id: str, kind: str = "yes_no", **kwargs) -> Item:
    return Item(
        id=item_id,
        section="s",
        type=kind,  # type: ignore[arg-type]
        question=t(f"Spørsmål {item_id}"),
        help=t(""),
        reference=REF,
        **kwargs,
    )


WHEEL = {"wheelchair_manual": 4, "wheelchair_electric": 4}

ITEMS = (
    item(
        "step_free_entrance",
        severity={**WHEEL, "walking_aid": 3, "balance": 2, "young_child": 1},
    ),
    item(
        "door_width",
        "measurement",
        unit="mm",
        bounds=(300, 3000),
        requirement=Requirement(min=860),
        bands=(Band(limit=800, severity={"wheelchair_manual": 2, "wheelchair_electric": 3}),),
        severity={**WHEEL, "walking_aid": 2},
    ),
    item(
        "lift",
        register="has_lift",
        condition=Condition(kind="fact", target="floor", op="ge", value=2),
        severity={**WHEEL, "walking_aid": 4, "stamina": 3, "balance": 2, "young_child": 2},
    ),
    item(
        "bathroom_turning",
        "measurement",
        unit="mm",
        bounds=(500, 5000),
        requirement=Requirement(min=1500),
        bands=(
            Band(
                limit=1300,
                severity={"wheelchair_manual": 3, "wheelchair_electric": 4, "walking_aid": 1},
            ),
        ),
        severity={**WHEEL, "walking_aid": 2},
    ),
    item("visual_doorbell", severity={"deaf": 4, "hard_of_hearing": 2}),
    item("visual_smoke_alarm", severity={"deaf": 4, "hard_of_hearing": 3, "general": 2}),
    item("no_mould", severity={"general": 3, "asthma_allergy": 4}),
    item(
        "no_internal_stairs",
        severity={**WHEEL, "walking_aid": 3, "balance": 2},
    ),
    item(
        "stair_handrails",
        # Written with "not" so that the item drops out (is not satisfied) without stairs.
        condition=Condition(
            kind="not", children=(Condition("item", "no_internal_stairs", "eq", True),)
        ),
        not_applicable_allowed=True,
        severity={"balance": 3, "walking_aid": 2, "low_vision": 1, "young_child": 2},
    ),
    item(
        "floor_surface",
        "choice",
        choices=(
            Choice("matt", t("Sklisikkert"), passes=True),
            Choice("smooth", t("Glatt"), passes=False, severity={"balance": 2, "walking_aid": 1}),
            Choice("loose", t("Løse tepper"), passes=False),
        ),
        severity={"balance": 3, "walking_aid": 2, "blind": 1},
    ),
    item("stove_guard", severity={"cognitive": 3}),
    item(
        "threshold",
        "measurement",
        unit="mm",
        bounds=(0, 300),
        requirement=Requirement(max=20),
        bands=(Band(limit=50, severity={"wheelchair_manual": 2, "walking_aid": 1, "balance": 1}),),
        severity={"wheelchair_manual": 3, "wheelchair_electric": 2, "walking_aid": 2, "balance": 2},
    ),
    item("bedrooms", "count", bounds=(0, 20)),
    item("notes", "text"),
)

CHECKLIST = Checklist(
    key="test", version=1, title=t("Test"), sections=(Section("s", t("S"), ITEMS),)
)

PROFILES = ProfileSet(
    version=1,
    suitable_threshold=85,
    min_coverage=0.9,
    profiles=(
        Profile("child_household", t("Barnefamilie"), {"young_child": 1}),
        Profile("adult", t("Voksen"), {}),
        Profile(
            "senior",
            t("Eldre 67+"),
            {"balance": 0.5, "stamina": 0.5, "low_vision": 0.3, "hard_of_hearing": 0.3},
        ),
        Profile("low", t("Lave vekter"), {"balance": 0.3, "deaf": 0.3}),
    ),
)


def measure(measure_id: str, removes: str, feasible: bool, typical: int = 10000) -> Measure:
    return Measure(
        id=measure_id,
        name=t(f"Tiltak {measure_id}"),
        removes=(removes,),
        cost=Cost(low=typical // 2, typical=typical, high=typical * 2, basis="stk"),
        scope="unit",
        feasible_by_default=feasible,
        ns3451="",
    )


MEASURES = MeasureCatalogue(
    version=1,
    measures=(
        measure("ramp", "step_free_entrance", True, 40000),
        measure("widen_door", "door_width", False, 25000),
        measure("install_lift", "lift", False, 2000000),
        measure("rebuild_bathroom", "bathroom_turning", True, 250000),
        measure("flash_doorbell", "visual_doorbell", True, 3000),
        measure("flash_smoke_alarm", "visual_smoke_alarm", True, 2500),
        measure("stove_guard", "stove_guard", True, 4000),
        measure("handrails", "stair_handrails", True, 8000),
        measure("stairlift", "no_internal_stairs", False, 150000),
    ),
)

GOOD: dict[str, ItemAnswer] = {
    "step_free_entrance": ItemAnswer(True),
    "door_width": ItemAnswer(900),
    "bathroom_turning": ItemAnswer(1600),
    "visual_doorbell": ItemAnswer(True),
    "visual_smoke_alarm": ItemAnswer(True),
    "no_mould": ItemAnswer(True),
    "no_internal_stairs": ItemAnswer(True),
    "floor_surface": ItemAnswer("matt"),
    "stove_guard": ItemAnswer(True),
    "threshold": ItemAnswer(10),
    "bedrooms": ItemAnswer(2),
    "notes": ItemAnswer("ok"),
}
