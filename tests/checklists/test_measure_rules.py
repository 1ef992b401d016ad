"""The rules of measures catalogue format 2 and of version mappings: each refuses a bad file."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from app.checklists.loader import CatalogueError, build_catalogue, load_catalogue
from app.scoring.measures import measure_applies
from tests.checklists.checklist_builders import checklist, items, measures, sources, yes_no

SHIPPED = load_catalogue(Path(__file__).resolve().parents[2] / "checklists")
V2 = SHIPPED.checklists[("uu-bolig", 2)].items
MEASURES = {m.id: m for m in SHIPPED.measures.measures}
YEAR = {"low": 1000, "typical": 2000, "high": 3000, "basis": "Test", "year": 2026}


def problems(files: dict, publishing: bool = True) -> list[str]:
    with pytest.raises(CatalogueError) as info:
        build_catalogue(sources(files), publishing=publishing)
    return [str(p) for p in info.value.findings]


def mentions(found: list[str], needle: str) -> None:
    assert any(needle in p for p in found), f"no problem mentions {needle!r}: {found}"


def version_2(item_list=None, location=None) -> dict:
    data = checklist(item_list)
    data["version"] = 2
    if location:
        data["sections"][0]["location"] = location
    return data


def measures_2(**fields) -> dict:
    data = measures(**{"cost": dict(YEAR), **fields})
    data["version"] = 2
    return data


# -- severe items need a measure or a reason -----------------------------------------------


def test_a_severe_item_without_a_measure_or_a_reason_is_refused_from_version_2():
    severe = yes_no("room.stairs", severity={"wheelchair_manual": 3})
    found = problems({"test/v2.yaml": version_2([*items(), severe]), "measures.yaml": measures_2()})
    mentions(found, "[room.stairs] punktet kan være en alvorlig barriere (alvorlighetsgrad 3)")
    assert all(p.startswith("test/v2.yaml") for p in found)
    # The same item with a reason, or in version 1 (published under the older rule), passes.
    explained = {**severe, "no_measure_reason": "Krever ny trapp."}
    build_catalogue(
        sources({"test/v2.yaml": version_2([*items(), explained]), "measures.yaml": measures_2()})
    )
    build_catalogue(sources({"test/v1.yaml": checklist([*items(), severe])}))


def test_a_severe_band_counts_as_severe():
    banded = {
        "id": "room.door_mm",
        "type": "measurement",
        "unit": "mm",
        "bounds": [100, 3000],
        "requirement": {"min": 860},
        "bands": [{"at_least": 700, "severity": {"wheelchair_manual": 3}}],
        "severity": {"wheelchair_manual": 3},
        "question": {"nb": "Bredde?", "en": "Width?"},
        "help": {"nb": "Mål.", "en": "Measure."},
        "reference": {"source": "TEK17", "clause": "§12-13", "kind": "regulation"},
    }
    found = problems({"test/v2.yaml": version_2([*items(), banded]), "measures.yaml": measures_2()})
    mentions(found, "[room.door_mm] punktet kan være en alvorlig barriere (alvorlighetsgrad 3)")


# -- scope ----------------------------------------------------------------------------------


def test_a_unit_measure_cannot_remove_items_of_the_common_parts():
    found = problems(
        {"test/v2.yaml": version_2(location="building"), "measures.yaml": measures_2()}
    )
    mentions(found, "tiltaket «fix_all» har omfang unit og kan ikke fjerne «room.a»")
    for scope in ("building", "flight"):
        build_catalogue(
            sources(
                {
                    "test/v2.yaml": version_2(location="building"),
                    "measures.yaml": measures_2(scope=scope),
                }
            )
        )
    mentions(
        problems(
            {
                "test/v2.yaml": version_2(location="unit"),
                "measures.yaml": measures_2(scope="building"),
            }
        ),
        "har omfang building og kan ikke fjerne",
    )


def test_unknown_scopes_and_locations_are_refused():
    mentions(problems({"measures.yaml": measures_2(scope="street")}), "omfang «street»")
    mentions(problems({"test/v2.yaml": version_2(location="roof")}), "plassering «roof»")


# -- costs ----------------------------------------------------------------------------------


def test_a_cost_without_a_year_is_refused_from_catalogue_version_2():
    no_year = {k: v for k, v in YEAR.items() if k != "year"}
    mentions(problems({"measures.yaml": measures_2(cost=no_year)}), "mangler påkrevd felt «year»")
    mentions(
        problems({"measures.yaml": measures_2(annual_cost=no_year)}), "mangler påkrevd felt «year»"
    )
    mentions(problems({"measures.yaml": measures_2(cost={**YEAR, "year": 1850})}), "kostnadsåret")
    # Catalogue version 1 was published before years were required: it still loads.
    assert build_catalogue(sources()).measures.measures[0].cost.year is None
    loaded = build_catalogue(sources({"measures.yaml": measures_2(annual_cost=dict(YEAR))}))
    measure = loaded.measures.measures[0]
    assert measure.cost.year == 2026 and measure.annual_cost.typical == 2000


# -- feasible_when and limits -----------------------------------------------------------------


def test_feasible_when_reads_register_facts_only():
    on_answer = {"item": "room.a", "eq": True}
    mentions(
        problems({"measures.yaml": measures_2(feasible_when=on_answer)}), "bare vise til fakta"
    )
    mentions(
        problems({"measures.yaml": measures_2(feasible_when={"fact": "colour", "eq": 1})}),
        "ukjent faktum «colour»",
    )
    loaded = build_catalogue(
        sources({"measures.yaml": measures_2(feasible_when={"fact": "area", "ge": 35})})
    )
    assert loaded.measures.measures[0].feasible_when.target == "area"


def test_limits_name_removed_measured_items_beyond_their_requirement():
    for limits, needle in (
        ({"room.nothing": 700}, "som tiltaket ikke fjerner"),
        ({"room.a": 1}, "krever et måle- eller tellepunkt"),
        ({"room.width_mm": 900}, "oppfyller kravet"),
        ({"room.width_mm": "wide"}, "må være et tall"),
    ):
        mentions(problems({"measures.yaml": measures_2(limits=limits)}), needle)
    loaded = build_catalogue(sources({"measures.yaml": measures_2(limits={"room.width_mm": 700})}))
    assert loaded.measures.measures[0].limits == {"room.width_mm": 700}


def test_stored_sources_rebuild_without_the_rules_between_files():
    """An older measures version beside a newer checklist is still loadable from storage."""
    severe = yes_no("room.stairs", severity={"wheelchair_manual": 3})
    files = {"test/v2.yaml": version_2([*items(), severe])}
    problems(files)  # refused when publishing
    assert ("test", 2) in build_catalogue(sources(files), publishing=False).checklists


# -- version mappings ------------------------------------------------------------------------


def mapping(carry: dict, key="test", old=1, new=2) -> dict:
    return {"key": key, "from": old, "to": new, "carry": carry}


def with_two_versions(carry: dict, name="test/map-v1-v2.yaml", **kw) -> dict:
    renamed = copy.deepcopy(items())
    renamed[0]["id"] = "room.a_new"
    return {
        "test/v2.yaml": version_2(renamed),
        "measures.yaml": measures_2(
            removes=[f"room.{n}" for n in ("a", "a_new", "b", "c", "d", "e", "width_mm")]
        ),
        name: mapping(carry, **kw),
    }


def test_a_mapping_carries_named_answers_to_the_newer_version():
    catalogue = build_catalogue(
        sources(with_two_versions({"room.a": "room.a_new", "room.b": ["room.b", "room.c"]}))
    )
    assert catalogue.mappings[("test", 1, 2)] == {
        "room.a": ("room.a_new",),
        "room.b": ("room.b", "room.c"),
    }


@pytest.mark.parametrize(
    ("carry", "needle"),
    [
        ({"room.gone": "room.b"}, "punktet finnes ikke i versjon 1"),
        ({"room.a": "room.a"}, "«room.a» finnes ikke i versjon 2"),
        ({"room.b": "room.width_mm"}, "svartypen er ulik"),
        ({"room.a": "room.b", "room.b": "room.b"}, "får allerede svaret fra «room.a»"),
    ],
)
def test_a_mapping_between_items_that_do_not_mean_the_same_is_refused(carry, needle):
    mentions(problems(with_two_versions(carry)), needle)


def test_a_mapping_keeps_the_unit_of_a_measurement():
    files = with_two_versions({"room.width_mm": "room.width_mm"})
    files["test/v2.yaml"]["sections"][0]["items"][-1]["unit"] = "m"
    mentions(problems(files), "enheten er ulik (mm og m)")


def test_a_mapping_file_names_its_versions_and_they_exist():
    mentions(problems(with_two_versions({}, old=2, new=1)), "skal ha key test, from 1 og to 2")
    mentions(problems(with_two_versions({}, name="test/map-v1-v3.yaml", new=3)), "mangler versjon")


# -- measure_applies on the shipped catalogue ---------------------------------------------------


def test_a_ramp_serves_a_few_steps_and_a_lift_never_removes_entrance_steps():
    steps, rise = V2["entrance.entrance_steps_count"], V2["entrance.steps_total_rise_mm"]
    ramp = MEASURES["entrance_ramp"]
    assert measure_applies(ramp, steps, 3, {})
    assert not measure_applies(ramp, steps, 8, {})
    assert measure_applies(ramp, rise, 510, {}) and not measure_applies(ramp, rise, 1400, {})
    assert not measure_applies(MEASURES["lift_installation"], steps, 1, {"building_type": "block"})
    assert measure_applies(MEASURES["platform_lift"], rise, 1400, {})


def test_feasibility_follows_the_register_facts_and_the_planners_override():
    shower, remodel = V2["bathroom.step_free_shower"], MEASURES["bathroom_remodel"]
    assert not measure_applies(remodel, shower, False, {"area": 30.0})
    assert measure_applies(remodel, shower, False, {"area": 52.5})
    assert measure_applies(remodel, shower, False, {})  # unknown area: the default
    assert measure_applies(remodel, shower, False, {"area": 30.0}, {"bathroom_remodel": True})
    to_storey, stair_lift = V2["entrance.lift_to_unit_floor"], MEASURES["stair_lift_to_storey"]
    assert not measure_applies(stair_lift, to_storey, False, {"building_type": "terraced"})
    assert measure_applies(stair_lift, to_storey, False, {}, {"stair_lift_to_storey": True})
    # The planner's judgement for the unit decides over the defaults.
    assert not measure_applies(stair_lift, to_storey, False, {"building_type": "block"})
    moisture = V2["environment.no_moisture_or_mould"]
    assert not measure_applies(MEASURES["moisture_remediation"], moisture, False, {"floor": 0})


def test_ns3451_codes_are_building_part_codes_that_exist():
    """Level 2 codes run 21–29 in group 2 (there is no 20), 31–39 ... 71–79."""
    for measure in MEASURES.values():
        code = measure.ns3451
        assert code[0] in "234567" and code[1] != "0", (measure.id, code)


def test_the_cheap_remedies_are_there_with_a_2026_price():
    """Bathtub, inward-opening bathroom door and entrance steps in a terraced house."""
    terraced = {"building_type": "terraced", "floor": 1, "area": 62.0}
    cases = {
        ("bathroom.step_free_shower", False): "shower_conversion",
        ("bathroom.door_opens_outward", False): "bathroom_door_rehang",
        ("entrance.entrance_steps_count", 3): "entrance_ramp",
    }
    for (item_id, value), cheap in cases.items():
        usable = sorted(
            (m for m in MEASURES.values() if measure_applies(m, V2[item_id], value, terraced)),
            key=lambda m: m.cost.typical,
        )
        assert cheap in [m.id for m in usable[:2]], (item_id, [m.id for m in usable])
        assert all(m.cost.year == 2026 for m in usable)
        assert usable[0].cost.typical < 200_000
    steps = V2["entrance.entrance_steps_count"]
    assert measure_applies(MEASURES["stair_lift"], steps, 3, terraced)
