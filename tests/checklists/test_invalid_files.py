"""Each kind of invalid file is reported, with file, line and item, and all at once."""

from __future__ import annotations

import pytest

from app.checklists.loader import (
    CatalogueError,
    build_catalogue,
    parse_checklist,
    parse_limitations,
    parse_measures,
    parse_profiles,
)
from app.errors import Unprocessable
from tests.checklists.checklist_builders import (
    LIMITATIONS,
    PROFILES,
    checklist,
    dump,
    items,
    line_containing,
    measurement,
    measures,
    sources,
    yes_no,
)

LIMS = parse_limitations(dump(LIMITATIONS), "limitations.yaml")


def checklist_problems(text: str) -> list:
    with pytest.raises(CatalogueError) as info:
        parse_checklist(text, "test/v1.yaml", LIMS)
    return info.value.findings


def only(problems: list, needle: str):
    found = [p for p in problems if needle in p.message]
    assert found, f"no problem mentions {needle!r}: {[str(p) for p in problems]}"
    return found[0]


def with_item(**fields) -> str:
    return dump(checklist([*items(), yes_no("room.extra", **fields)]))


def test_valid_builder_files_load():
    catalogue = build_catalogue(sources())
    assert len(catalogue.checklists[("test", 1)].items) == 6


def test_duplicate_item_id_names_the_id_and_second_line():
    text = dump(checklist([*items(), yes_no("room.a")]))
    problem = only(checklist_problems(text), "duplisert id «room.a»")
    assert problem.item_id == "room.a"
    assert problem.line == line_containing(text, "id: room.a", occurrence=2)


def test_duplicate_yaml_key_is_reported():
    text = dump(checklist()).replace("  key: test", "  key: test", 1) + "key: again\n"
    assert "står to ganger" in str(only(checklist_problems(text), "står to ganger"))


def test_unknown_limitation_key():
    problem = only(
        checklist_problems(with_item(severity={"wheelchiar": 3})), "ukjent funksjonsnedsettelse"
    )
    assert "«wheelchiar»" in problem.message and problem.item_id == "room.extra"


@pytest.mark.parametrize("value", [0, 5, "3", 2.5, True])
def test_severity_outside_1_to_4(value):
    problem = only(checklist_problems(with_item(severity={"deaf": value})), "må være 1–4")
    assert problem.item_id == "room.extra"


def test_condition_naming_unknown_item():
    text = with_item(condition={"item": "room.nowhere", "eq": True})
    problem = only(checklist_problems(text), "ukjent punkt «room.nowhere»")
    assert problem.line == line_containing(text, "condition:")


def test_condition_cycle_is_reported_with_its_path():
    text = dump(checklist([
        *items(),
        yes_no("room.x", condition={"item": "room.y", "eq": True}),
        yes_no("room.y", condition={"not": {"item": "room.x", "eq": False}}),
    ]))  # fmt: skip
    problem = only(checklist_problems(text), "syklus")
    assert "room.x -> room.y -> room.x" in problem.message


def test_condition_on_itself_is_a_cycle():
    only(checklist_problems(with_item(condition={"item": "room.extra", "eq": True})), "syklus")


def test_condition_value_must_fit_the_target_type():
    only(checklist_problems(with_item(condition={"item": "room.a", "gt": 3})), "ja/nei-punkter")
    only(checklist_problems(with_item(condition={"item": "room.width_mm", "eq": "wide"})), "tall")


def test_condition_with_unknown_fact_or_operator():
    only(checklist_problems(with_item(condition={"fact": "elevator", "eq": True})), "ukjent faktum")
    only(
        checklist_problems(with_item(condition={"fact": "floor", "above": 1})), "ugyldig betingelse"
    )
    only(checklist_problems(with_item(condition={"all": []})), "ikke-tom liste")


def test_measurement_without_unit_or_requirement():
    item = measurement("room.depth_mm")
    del item["unit"], item["requirement"], item["bands"]
    problems = checklist_problems(dump(checklist([*items(), item])))
    only(problems, "mangler enhet")
    only(problems, "mangler krav")


def test_missing_and_empty_reference():
    only(checklist_problems(with_item(reference=None)), "mangler referanse")
    only(
        checklist_problems(with_item(reference={"source": "", "kind": "regulation"})),
        "referansen er tom",
    )
    only(
        checklist_problems(with_item(reference={"source": "TEK17", "kind": "regulation"})),
        "paragraf",
    )
    only(checklist_problems(with_item(reference={"source": "X", "kind": "law"})), "referansetype")


def test_bands_must_be_mildest_first_and_within_full_severity():
    bands = [
        {"at_least": 700, "severity": {"wheelchair_manual": 2}},
        {"at_least": 800, "severity": {"wheelchair_manual": 1}},
    ]
    only(
        checklist_problems(dump(checklist([*items(), measurement("room.b_mm", bands=bands)]))),
        "mildest først",
    )
    too_hard = [{"at_least": 800, "severity": {"deaf": 1}}]
    only(
        checklist_problems(dump(checklist([*items(), measurement("room.c_mm", bands=too_hard)]))),
        "strengere",
    )
    wrong_side = [{"at_most": 900, "severity": {"wheelchair_manual": 1}}]
    only(
        checklist_problems(dump(checklist([*items(), measurement("room.d_mm", bands=wrong_side)]))),
        "at_most",
    )


def test_requirement_outside_bounds_and_bad_bounds():
    only(
        checklist_problems(
            dump(checklist([*items(), measurement("room.e_mm", bounds=[900, 3000])]))
        ),
        "utenfor måleområdet",
    )
    only(
        checklist_problems(dump(checklist([*items(), measurement("room.f_mm", bounds=[5, 1])]))),
        "min < maks",
    )


def test_unknown_field_and_wrong_type_field():
    only(checklist_problems(with_item(severty={"deaf": 1})), "ukjent felt «severty»")
    only(checklist_problems(with_item(unit="mm")), "hører ikke til svartypen yes_no")


def test_id_must_match_section_and_format():
    only(checklist_problems(with_item(id="kitchen.extra")), "må begynne med seksjonens id")
    only(checklist_problems(with_item(id="Room Extra")), "seksjon.navn")


def test_choice_and_register_rules():
    choices = [{"key": "x", "label": {"nb": "X", "en": "X"}, "passes": False}]
    only(checklist_problems(with_item(type="choice", choices=choices)), "minst to valg")
    only(checklist_problems(with_item(register="has_elevator")), "register")


def test_text_items_rate_nothing():
    only(checklist_problems(with_item(type="text")), "tekstpunkter")


def test_scoreability_needs_five_items_and_blocking_items_for_mobility():
    weak = [yes_no(f"room.{n}", severity={"wheelchair_manual": 3, "deaf": 2}) for n in "abcd"]
    problems = checklist_problems(dump(checklist(weak)))
    only(problems, "«deaf» vurderes av bare 4 punkter")
    only(problems, "«wheelchair_manual» har ingen punkter med alvorlighetsgrad 4")


def test_yaml_syntax_error_has_a_line():
    text = dump(checklist()) + "  - id: [unclosed\n"
    problem = only(checklist_problems(text), "ugyldig YAML")
    assert problem.line is not None


def test_all_problems_are_reported_at_once_one_per_line():
    text = dump(checklist([
        *items(),
        yes_no("room.a"),
        yes_no("room.p", severity={"ghost": 2}),
        yes_no("room.q", condition={"item": "room.none", "eq": True}),
    ]))  # fmt: skip
    with pytest.raises(CatalogueError) as info:
        parse_checklist(text, "test/v1.yaml", LIMS)
    error = info.value
    assert len(error.findings) >= 3
    lines = str(error).splitlines()
    assert len(lines) == len(error.findings)
    assert (
        f"test/v1.yaml:{line_containing(text, 'ghost')}: [room.p] ukjent funksjonsnedsettelse"
        in str(error)
    )
    assert isinstance(error, Unprocessable) and len(error.extra["problems"]) == len(lines)


def test_measure_naming_unknown_item_and_empty_removes():
    catalogue = build_catalogue(sources())
    items_by_id = catalogue.checklists[("test", 1)].items
    with pytest.raises(CatalogueError) as info:
        parse_measures(dump(measures(["room.a", "room.ghost"])), "measures.yaml", items_by_id)
    problem = only(info.value.findings, "ukjent punkt «room.ghost»")
    assert problem.item_id == "fix_all"
    with pytest.raises(CatalogueError) as info:
        parse_measures(dump(measures([])), "measures.yaml", items_by_id)
    only(info.value.findings, "minst ett punkt")


def test_measure_fields_are_checked():
    catalogue = build_catalogue(sources())
    items_by_id = catalogue.checklists[("test", 1)].items
    bad = measures(
        cost={"low": 5000, "typical": 2000, "high": 3000, "basis": "x"},
        scope="street",
        ns3451="2-4",
    )
    with pytest.raises(CatalogueError) as info:
        parse_measures(dump(bad), "measures.yaml", items_by_id)
    problems = info.value.findings
    only(problems, "low <= typical <= high")
    only(problems, "omfang")
    only(problems, "NS 3451")


def test_blocking_item_without_measure_needs_a_reason():
    files = sources({"measures.yaml": measures(["room.a", "room.b", "room.c", "room.d", "room.e"])})
    with pytest.raises(CatalogueError) as info:
        build_catalogue(files)
    problem = only(info.value.findings, "no_measure_reason")
    assert problem.item_id == "room.width_mm" and problem.file == "test/v1.yaml"
    reasoned = [*items()[:5], measurement(no_measure_reason="Krever ny planløsning.")]
    files["test/v1.yaml"] = dump(checklist(reasoned))
    assert build_catalogue(files).measures.measures[0].id == "fix_all"


def test_catalogue_reports_problems_from_several_files_together():
    bad_profiles = {**PROFILES, "suitable_threshold": 120}
    bad_checklist = checklist([*items(), yes_no("room.a")])
    with pytest.raises(CatalogueError) as info:
        build_catalogue(sources({"profiles.yaml": bad_profiles, "test/v1.yaml": bad_checklist}))
    files = {p.file for p in info.value.findings}
    assert files == {"profiles.yaml", "test/v1.yaml"}


def test_catalogue_file_layout_is_checked():
    with pytest.raises(CatalogueError) as info:
        build_catalogue({"limitations.yaml": dump(LIMITATIONS)})
    assert {"profiles.yaml", "measures.yaml"} <= {p.file for p in info.value.findings}
    files = sources()
    files["test/v2.yaml"] = files.pop("test/v1.yaml")
    with pytest.raises(CatalogueError) as info:
        build_catalogue(files)
    only(info.value.findings, "version 2")


def test_profiles_are_checked():
    bad = {**PROFILES, "min_coverage": 0, "profiles": [
        {"key": "x", "label": {"nb": "X", "en": "X"}, "weights": {"ghost": 1, "deaf": 1.5}},
    ]}  # fmt: skip
    with pytest.raises(CatalogueError) as info:
        parse_profiles(dump(bad), "profiles.yaml", LIMS)
    problems = info.value.findings
    only(problems, "ukjent funksjonsnedsettelse «ghost»")
    only(problems, "vekten for «deaf»")
    only(problems, "minste dekning")


def test_limitations_are_checked():
    entries = LIMITATIONS["limitations"]
    bad = {"version": 1, "limitations": [*entries, {**entries[0], "group": "fart"}]}
    with pytest.raises(CatalogueError) as info:
        parse_limitations(dump(bad), "limitations.yaml")
    only(info.value.findings, "duplisert id «wheelchair_manual»")
    only(info.value.findings, "ukjent gruppe «fart»")


def test_limitation_keys_are_the_stable_keys_of_the_scoring_model():
    entries = LIMITATIONS["limitations"]
    bad = {"version": 1, "limitations": [*entries, {**entries[0], "key": "tinnitus"}]}
    with pytest.raises(CatalogueError) as info:
        parse_limitations(dump(bad), "limitations.yaml")
    only(info.value.findings, "ukjent nøkkel «tinnitus»")


def test_measures_are_checked_even_when_the_checklist_has_problems():
    bad_checklist = checklist([*items()[:5], measurement(severity={"deaf": 9})])
    files = sources(
        {
            "test/v1.yaml": bad_checklist,
            "measures.yaml": measures(["room.a", "room.width_mm", "room.zz"]),
        }
    )
    with pytest.raises(CatalogueError) as info:
        build_catalogue(files)
    problems = info.value.findings
    only(problems, "må være 1–4")
    only(problems, "ukjent punkt «room.zz»")
    # The item that failed to parse still exists, so naming it is not an error.
    assert not [p for p in problems if "«room.width_mm»" in p.message]
