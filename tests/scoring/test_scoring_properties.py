"""Property-based tests of the invariants in SCORING.md, and a check against a direct reading."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.scoring import Answer, prepare, result_to_dict, score
from app.scoring.results import CLASS_RANK
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


def _compare(actual, op, expected):
    if op == "in":
        return any(_compare(actual, "eq", e) for e in expected)
    if op in ("eq", "ne"):
        same = isinstance(actual, bool) == isinstance(expected, bool) and actual == expected
        return same if op == "eq" else not same
    if isinstance(actual, bool) or isinstance(expected, bool):
        return "U"
    return {"gt": actual > expected, "ge": actual >= expected, "lt": actual < expected}.get(
        op, actual <= expected
    )


def _normalised(it, items):
    """The model's reading of {item: X, eq: false} on a rated yes_no X: satisfied by X."""
    c = it.condition
    if c is None or it.satisfied_by is not None or c.kind != "item":
        return it.condition, it.satisfied_by
    target = items.get(c.target)
    flips = (c.op, c.value) in (("eq", False), ("ne", True))
    if flips and target and target.type == "yes_no" and target.severity:
        return None, dataclasses.replace(c, op="eq", value=True)
    return it.condition, it.satisfied_by


def reference(cat, answers, unit_facts):
    """docs/scoring.md read literally, one limitation at a time over the nested definitions.

    Condition outcomes: T, F, NA (refers to an item that does not apply), U (an unanswered
    item), M (a missing register fact)."""
    checklist, profiles, measures = cat
    items = checklist.items
    memo = {}

    def outcome(c):
        if c.kind == "not":
            inner = outcome(c.children[0])
            return {"T": "F", "F": "T"}.get(inner, inner)
        if c.kind in ("all", "any"):
            got = [outcome(child) for child in c.children]
            order = ("F", "NA", "M", "U", "T") if c.kind == "all" else ("T", "M", "U", "F", "NA")
            return next(o for o in order if o in got)
        if c.kind == "fact":
            value = unit_facts.get(c.target)
        else:
            if state(c.target) in ("NA", "M"):
                return state(c.target)
            a = answers.get(c.target)
            if a is not None and a.not_applicable:
                return "NA"
            if a is None:
                register = items[c.target].register
                if not register:
                    return "U"
                value = unit_facts.get(register)
            else:
                value = a.value
        if value is None:
            return "M"
        result = _compare(value, c.op, c.value)
        return result if result == "U" else ("T" if result else "F")

    def state_by_condition(item_id):
        it = items[item_id]
        condition, _ = _normalised(it, items)
        return "NA" if condition is not None and outcome(condition) in ("F", "NA") else "A"

    def state(item_id):
        if item_id not in memo:
            it = items[item_id]
            condition, satisfied_by = _normalised(it, items)
            got = "T" if condition is None else outcome(condition)
            a = answers.get(item_id)
            if got in ("F", "NA") or (a is not None and a.not_applicable and got != "M"):
                memo[item_id] = "NA"
            elif got == "M":
                memo[item_id] = "M"
            elif satisfied_by is not None and outcome(satisfied_by) == "T":
                memo[item_id] = "S"
            else:
                memo[item_id] = "A"
        return memo[item_id]

    out = {}
    for key in (*KEYS, "general"):
        applicable = answered = penalty = minor = left_out = 0
        severe_unanswered = severe = stuck = False
        rated = False
        for it in items.values():
            full = it.severity.get(key, 0)
            if not full:
                continue
            rated = True
            st_ = state(it.id)
            if st_ == "NA":
                a = answers.get(it.id)
                if a is not None and a.not_applicable and state_by_condition(it.id) != "NA":
                    left_out += full  # answered "not applicable": asked and answered
                continue
            applicable += full
            if st_ == "S":
                answered += full
                continue
            a = answers.get(it.id)
            if st_ == "M":
                value = None
            elif a is not None:
                value = a.value
            else:
                value = unit_facts.get(it.register) if it.register else None
            if value is None:
                severe_unanswered |= full >= 3
                continue
            answered += full
            sev = 0
            if it.type == "yes_no":
                sev = 0 if value else full
            elif it.type == "choice":
                choice = next(c for c in it.choices if c.key == value)
                if not choice.passes:
                    sev = (
                        full if choice.severity is None else min(choice.severity.get(key, 0), full)
                    )
            elif it.type == "measurement" and not it.requirement.passes(value):
                sev = full
                below = it.requirement.min is not None and value < it.requirement.min
                for band in it.bands:
                    if (value >= band.limit) if below else (value <= band.limit):
                        sev = min(band.severity.get(key, 0), full)
                        break
            penalty += sev
            if sev >= 3:
                severe = True
            elif sev:
                minor += sev
            if sev == 4:
                removers = [m for m in measures.measures if it.id in m.removes]
                stuck |= not any(m.feasible_by_default for m in removers)
        s = 100 * (1 - penalty / answered) if answered else 100
        asked = applicable + left_out
        coverage = (answered + left_out) / asked if asked else 1
        if (
            severe_unanswered
            or coverage < profiles.min_coverage
            or (key == "general" and not rated)
        ):
            klass = "unknown"
        elif stuck:
            klass = "unsuitable"
        elif severe or minor > profiles.tolerance:
            klass = "adaptable"
        else:
            klass = "suitable"
        out[key] = (round(s, 6), klass, round(coverage, 6), penalty)
    return out


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
    assert got == reference(cat, answers, unit_facts)
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
        run(cat, {**answers, it.id: Answer(passing_value(it))}, unit_facts),
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
    after = all_results(run(cat, {**answers, it.id: Answer(value)}, unit_facts))
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
        changed[it.id] = Answer(passing_value(it))
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
    passed = run(cat, {**answers, it.id: Answer(passing_value(it))}, unit_facts)
    left_out = run(cat, {**answers, it.id: Answer(None, True)}, unit_facts)
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
