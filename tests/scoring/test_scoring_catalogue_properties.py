"""The invariants of docs/scoring.md over every published checklist version in checklists/."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.checklists.definitions import BUILDING_TYPES
from app.checklists.loader import load_catalogue
from app.scoring import ItemAnswer, prepare, result_to_dict, score
from app.scoring.results import CLASS_RANK

CATALOGUE = load_catalogue(Path(__file__).resolve().parents[2] / "checklists")
VERSIONS = sorted(CATALOGUE.checklists)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

facts = st.fixed_dictionaries(
    {
        "floor": st.one_of(st.none(), st.integers(-1, 6)),
        "has_lift": st.one_of(st.none(), st.booleans()),
        "building_type": st.one_of(st.none(), st.sampled_from(BUILDING_TYPES)),
        "storeys": st.one_of(st.none(), st.integers(1, 8)),
        "area": st.one_of(st.none(), st.floats(20, 140)),
    }
).map(lambda f: {k: v for k, v in f.items() if v is not None})


def prepared_for(version):
    checklist = CATALOGUE.checklists[version]
    return prepare(checklist, CATALOGUE.profiles, CATALOGUE.measures, CATALOGUE.limitations)


def passing(item):
    if item.type == "yes_no":
        return True
    if item.type == "choice":
        return next(c.key for c in item.choices if c.passes)
    if item.type in ("measurement", "count") and item.requirement is not None:
        r = item.requirement
        return r.min if r.min is not None else r.max
    if item.type == "count":
        return item.bounds[0] if item.bounds else 0
    return "tekst"


def value(draw, item):
    if item.type == "yes_no":
        return draw(st.booleans())
    if item.type == "choice":
        return draw(st.sampled_from([c.key for c in item.choices]))
    if item.type in ("measurement", "count"):
        low, high = item.bounds or (0, 100)
        return draw(st.integers(int(low), int(high)))
    return "tekst"


@st.composite
def answer_sets(draw, checklist):
    answers = {}
    for item in checklist.items.values():
        if item.register:
            continue
        mode = draw(st.sampled_from(["pass", "pass", "pass", "value", "missing", "na"]))
        if mode == "pass":
            answers[item.id] = ItemAnswer(passing(item))
        elif mode == "value":
            answers[item.id] = ItemAnswer(value(draw, item))
        elif mode == "na" and item.not_applicable_allowed:
            answers[item.id] = ItemAnswer(None, True)
    return answers


def everything(result):
    return {**result.limitations, **result.profiles, "general": result.general}


def free(prepared):
    return [i for i in prepared.checklist.items.values() if i.id not in prepared.condition_refs]


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: f"{v[0]}-v{v[1]}")
@SETTINGS
@given(data=st.data())
def test_a_fix_never_lowers_a_score_or_worsens_a_class(version, data):
    prepared = prepared_for(version)
    answers = data.draw(answer_sets(prepared.checklist))
    unit = data.draw(facts)
    before = score(prepared, answers, unit)
    fixable = [b.item_id for b in before.barriers if b.item_id not in prepared.condition_refs]
    if not fixable:
        return
    item = prepared.checklist.items[data.draw(st.sampled_from(fixable))]
    for after in (
        score(prepared, {**answers, item.id: ItemAnswer(passing(item))}, unit),
        score(prepared, answers, unit, removed_items={item.id}),
    ):
        old, new = everything(before), everything(after)
        for key in old:
            assert new[key].score >= old[key].score - 1e-9, key
            assert CLASS_RANK[new[key].suitability] >= CLASS_RANK[old[key].suitability], key


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: f"{v[0]}-v{v[1]}")
@SETTINGS
@given(data=st.data())
def test_not_applicable_instead_of_pass_never_changes_a_class(version, data):
    prepared = prepared_for(version)
    answers = data.draw(answer_sets(prepared.checklist))
    unit = data.draw(facts)
    allowed = [i for i in free(prepared) if i.not_applicable_allowed and i.type != "text"]
    item = data.draw(st.sampled_from(allowed))
    passed = score(prepared, {**answers, item.id: ItemAnswer(passing(item))}, unit, explain=False)
    left_out = score(prepared, {**answers, item.id: ItemAnswer(None, True)}, unit, explain=False)
    for key, result in everything(passed).items():
        assert everything(left_out)[key].suitability == result.suitability, key


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: f"{v[0]}-v{v[1]}")
@SETTINGS
@given(data=st.data())
def test_a_missing_register_fact_never_gives_unsuitable(version, data):
    prepared = prepared_for(version)
    answers = data.draw(answer_sets(prepared.checklist))
    unit = data.draw(facts)
    if not unit:
        return
    dropped = data.draw(st.sampled_from(sorted(unit)))
    before = everything(score(prepared, answers, unit, explain=False))
    less = {k: v for k, v in unit.items() if k != dropped}
    after = everything(score(prepared, answers, less, explain=False))
    for key, result in after.items():
        assert result.suitability != "unsuitable" or before[key].suitability == "unsuitable", key


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: f"{v[0]}-v{v[1]}")
@SETTINGS
@given(data=st.data())
def test_scoring_is_deterministic(version, data):
    prepared = prepared_for(version)
    answers = data.draw(answer_sets(prepared.checklist))
    unit = data.draw(facts)
    first = result_to_dict(score(prepared, answers, unit))
    reordered = dict(reversed(list(answers.items())))
    assert result_to_dict(score(prepared, reordered, unit)) == first
