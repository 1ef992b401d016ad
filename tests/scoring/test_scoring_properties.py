"""Property-based tests of the invariants in SCORING.md, and a check against a direct reading."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.scoring import ItemAnswer, prepare, result_to_dict, score
from app.scoring.results import CLASS_RANK
from bench.naive_scoring import reference as read_literally
from tests.scoring.scoring_strategies import (
    KEYS,
    answer_sets,
    catalogues,
    facts,
    passing_value,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(cat, answers, unit_facts, **kwargs):
    checklist, profiles, measures = cat
    return score(prepare(checklist, profiles, measures, KEYS), answers, unit_facts, **kwargs)


def all_results(result):
    return {**result.limitations, **result.profiles, "general": result.general}


@SETTINGS
@given(st.data())
def test_engine_matches_a_direct_reading_of_the_model(data):
    cat = data.draw(catalogues())
    answers = data.draw(answer_sets(cat[0]))
    unit_facts = data.draw(facts)
    result = run(cat, answers, unit_facts)
    got = {
        key: (round(r.score, 6), r.suitability, round(r.coverage, 6), r.problem_score)
        for key, r in {**result.limitations, "general": result.general}.items()
    }
    assert got == read_literally(cat, answers, unit_facts, KEYS)
    for r in all_results(result).values():
        assert 0 <= r.score <= 100 and 0 <= r.coverage <= 1


def free_items(cat):
    """Items no condition reads: changing them cannot change which items apply."""
    refs = prepare(*cat, KEYS).condition_refs
    return [it for it in cat[0].items.values() if it.id not in refs]


@SETTINGS
@given(st.data())
def test_turning_a_barrier_into_a_pass_never_lowers_a_score_or_worsens_a_class(data):
    cat = data.draw(catalogues())
    answers = data.draw(answer_sets(cat[0]))
    unit_facts = data.draw(facts)
    before = run(cat, answers, unit_facts)
    barrier_ids = {b.item_id for r in before.limitations.values() for b in r.barriers}
    candidates = [it for it in free_items(cat) if it.id in barrier_ids]
    if not candidates:
        return
    it = data.draw(st.sampled_from(candidates))
    variants = [
        run(cat, {**answers, it.id: ItemAnswer(passing_value(it))}, unit_facts),
        run(cat, answers, unit_facts, removed_items={it.id}),
    ]
    for after in variants:
        old, new = all_results(before), all_results(after)
        for key in old:
            assert new[key].score >= old[key].score - 1e-9, key
            assert CLASS_RANK[new[key].suitability] >= CLASS_RANK[old[key].suitability], key
            assert new[key].coverage == old[key].coverage


@SETTINGS
@given(st.data())
def test_adding_an_answer_never_lowers_coverage(data):
    cat = data.draw(catalogues())
    answers = data.draw(answer_sets(cat[0]))
    unit_facts = data.draw(facts)
    missing = [it for it in free_items(cat) if it.id not in answers]
    if not missing:
        return
    it = data.draw(st.sampled_from(missing))
    value = data.draw(st.sampled_from([True, False])) if it.type == "yes_no" else passing_value(it)
    before = all_results(run(cat, answers, unit_facts))
    after = all_results(run(cat, {**answers, it.id: ItemAnswer(value)}, unit_facts))
    for key in before:
        assert after[key].coverage >= before[key].coverage, key


@SETTINGS
@given(st.data())
def test_a_limitation_an_item_does_not_rate_is_unaffected_by_it(data):
    cat = data.draw(catalogues())
    answers = data.draw(answer_sets(cat[0]))
    unit_facts = data.draw(facts)
    it = data.draw(st.sampled_from(free_items(cat)))
    changed = dict(answers)
    changed.pop(it.id, None)
    if data.draw(st.booleans()):
        changed[it.id] = ItemAnswer(passing_value(it))
    before, after = run(cat, answers, unit_facts), run(cat, changed, unit_facts)
    for key in KEYS:
        if key not in it.severity:
            assert after.limitations[key] == before.limitations[key], key


@SETTINGS
@given(st.data())
def test_scoring_is_deterministic(data):
    cat = data.draw(catalogues())
    answers = data.draw(answer_sets(cat[0]))
    unit_facts = data.draw(facts)
    first = result_to_dict(run(cat, answers, unit_facts))
    reordered = dict(reversed(list(answers.items())))
    # A fresh but equal catalogue: rebuilt impact table, same result.
    fresh = tuple(dataclasses.replace(part) for part in cat)
    assert result_to_dict(run(cat, reordered, unit_facts)) == first
    assert result_to_dict(run(fresh, answers, unit_facts)) == first


@SETTINGS
@given(st.data())
def test_weights_change_results_without_code_changes(data):
    cat = data.draw(catalogues())
    answers = data.draw(answer_sets(cat[0]))
    unit_facts = data.draw(facts)
    checklist, profiles, measures = cat
    result = run(cat, answers, unit_facts)
    # A profile's score is the weighted mean of its limitations, whatever the weights are.
    weights = data.draw(st.dictionaries(st.sampled_from(KEYS), st.floats(0.01, 1), min_size=1))
    applicant = run(cat, answers, unit_facts, extra_profiles={"x": weights}).profiles["x"]
    mean = sum(w * result.limitations[k].score for k, w in weights.items()) / sum(weights.values())
    assert abs(applicant.score - mean) < 1e-9
    # Doubling nothing but an item's severity data changes the limitation's penalty with it.
    barriers = [(k, b) for k, r in result.limitations.items() for b in r.barriers]
    if not barriers:
        return
    key, barrier = data.draw(st.sampled_from(barriers))
    it = checklist.items[barrier.item_id]
    if it.bands or it.choices:
        return
    lighter = dataclasses.replace(it, severity={**it.severity, key: 1})
    sections = tuple(
        dataclasses.replace(s, items=tuple(lighter if i.id == it.id else i for i in s.items))
        for s in checklist.sections
    )
    edited = (dataclasses.replace(checklist, sections=sections), profiles, measures)
    after = run(edited, answers, unit_facts).limitations[key]
    assert after.problem_score == result.limitations[key].problem_score - barrier.severity + 1


def _classes(result):
    return {key: r.suitability for key, r in all_results(result).items()}


@SETTINGS
@given(st.data())
def test_not_applicable_instead_of_pass_never_changes_a_class(data):
    cat = data.draw(catalogues())
    answers = data.draw(answer_sets(cat[0]))
    unit_facts = data.draw(facts)
    allowed = [it for it in free_items(cat) if it.not_applicable_allowed and it.type != "text"]
    if not allowed:
        return
    it = data.draw(st.sampled_from(allowed))
    passed = run(cat, {**answers, it.id: ItemAnswer(passing_value(it))}, unit_facts)
    left_out = run(cat, {**answers, it.id: ItemAnswer(None, True)}, unit_facts)
    assert _classes(passed) == _classes(left_out)


@SETTINGS
@given(st.data())
def test_a_missing_register_fact_never_gives_unsuitable(data):
    cat = data.draw(catalogues())
    answers = data.draw(answer_sets(cat[0]))
    unit_facts = data.draw(facts)
    known = [k for k, v in unit_facts.items() if v is not None]
    if not known:
        return
    dropped = data.draw(st.sampled_from(known))
    before = _classes(run(cat, answers, unit_facts))
    after = _classes(run(cat, answers, {**unit_facts, dropped: None}))
    for key, klass in after.items():
        assert klass != "unsuitable" or before[key] == "unsuitable", key
