"""Every measure in the shipped catalogue, applied to a dwelling with the barriers it claims to
remove, leaves every score no lower and every class no worse (over generated dwellings)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.checklists.definitions import BUILDING_TYPES, Item
from app.checklists.loader import load_catalogue
from app.scoring import ItemAnswer, prepare, score
from app.scoring.measures import measure_applies
from app.scoring.results import CLASS_RANK

CATALOGUE = load_catalogue(Path(__file__).resolve().parents[2] / "checklists")
MEASURES = CATALOGUE.measures.measures
CASES = [
    (version, measure)
    for version, checklist in sorted(CATALOGUE.checklists.items())
    for measure in MEASURES
    if set(measure.removes) & checklist.items.keys()
]
PREPARED = {
    version: prepare(checklist, CATALOGUE.profiles, CATALOGUE.measures, CATALOGUE.limitations)
    for version, checklist in CATALOGUE.checklists.items()
}
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

facts = st.fixed_dictionaries(
    {
        "floor": st.one_of(st.none(), st.integers(-1, 6)),
        "has_lift": st.one_of(st.none(), st.booleans()),
        "building_type": st.one_of(st.none(), st.sampled_from(BUILDING_TYPES)),
        "storeys": st.one_of(st.none(), st.integers(1, 8)),
        "area": st.one_of(st.none(), st.floats(20, 140)),
    }
).map(lambda f: {k: v for k, v in f.items() if v is not None})


def passing(item: Item):
    if item.type == "yes_no":
        return True
    if item.type == "choice":
        return next(c.key for c in item.choices if c.passes)
    if item.type in ("measurement", "count") and item.requirement is not None:
        r = item.requirement
        return r.recommended if r.recommended is not None else r.min if r.min is not None else r.max
    return "tekst"


def failing(draw, item: Item, limit: float | None):
    """A value that makes `item` a barrier (within the measure's limit when it has one)."""
    if item.type == "yes_no":
        return False
    if item.type == "choice":
        return draw(st.sampled_from([c.key for c in item.choices if not c.passes]))
    req, (low, high) = item.requirement, item.bounds or (0, 10_000)
    if req.max is not None and (req.min is None or req.max < high):
        top = high if limit is None else limit
        value = draw(st.floats(req.max + 1, max(req.max + 1, top)))
    else:
        bottom = low if limit is None else limit
        value = draw(st.floats(min(bottom, req.min - 1), req.min - 1))
    return int(value) if item.type == "count" else value


def everything(result):
    return {**result.limitations, **result.profiles, "general": result.general}


@pytest.mark.parametrize(("version", "measure"), CASES, ids=[f"v{v[1]}-{m.id}" for v, m in CASES])
@SETTINGS
@given(data=st.data())
def test_applying_a_measure_never_lowers_a_score_or_worsens_a_class(version, measure, data):
    prepared = PREPARED[version]
    items = prepared.checklist.items
    unit = data.draw(facts)
    answers = {
        item.id: ItemAnswer(passing(item))
        for item in items.values()
        if not item.register and item.type != "text"
    }
    claimed = [items[i] for i in measure.removes if i in items]
    for item in claimed:
        answers[item.id] = ItemAnswer(failing(data.draw, item, measure.limits.get(item.id)))
    before = score(prepared, answers, unit)
    removed = {
        item.id for item in claimed if measure_applies(measure, item, answers[item.id].value, unit)
    }
    after = score(prepared, answers, unit, removed_items=removed)
    old, new = everything(before), everything(after)
    for key in old:
        assert new[key].score >= old[key].score - 1e-9, key
        assert CLASS_RANK[new[key].suitability] >= CLASS_RANK[old[key].suitability], key
    # Where it applies, the engine's explanation offers it for the barrier it removes.
    offered = {b.item_id: {m.id for m in b.measures} for b in before.barriers}
    for item_id in removed & offered.keys():
        assert measure.id in offered[item_id], item_id
    assert not removed & {b.item_id for b in after.barriers}
