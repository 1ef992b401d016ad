"""The order of the explanations (docs/scoring.md, "Explanations"), checked against a plain
reading of the engine's own per-limitation severities on generated catalogues; and the packed
per-limitation sums of the tally."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.scoring import prepare, score
from app.scoring.table import Packing
from tests.scoring.scoring_strategies import KEYS, answer_sets, catalogues, facts

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _worst_first(entries, order):
    """(item id, severity or weight) entries, highest first, ties in checklist order."""
    return sorted(entries, key=lambda entry: (-entry[1], order[entry[0]]))


@SETTINGS
@given(st.data())
def test_explanations_are_listed_worst_first_and_ties_in_checklist_order(data):
    checklist, profiles, _ = cat = data.draw(catalogues())
    answers = data.draw(answer_sets(checklist))
    result = score(prepare(*cat, KEYS), answers, data.draw(facts))
    order = {item_id: position for position, item_id in enumerate(checklist.items)}
    by_key = {**result.limitations, "general": result.general}

    severities: dict[str, dict[str, int]] = {}  # item id -> {key: its severity there}
    for key, r in by_key.items():
        listed = [(b.item_id, b.severity) for b in r.barriers]
        assert listed == _worst_first(listed, order), key
        missing = [(u.item_id, u.weight) for u in r.unanswered]
        assert missing == _worst_first(missing, order), key
        for item_id, severity in listed:
            severities.setdefault(item_id, {})[key] = severity

    # The unit's barriers: every failed item once, at its worst severity.
    every = [(item_id, max(found.values())) for item_id, found in severities.items()]
    assert [(b.item_id, b.severity) for b in result.barriers] == _worst_first(every, order)

    for profile in profiles.profiles:
        got = result.profiles[profile.key]
        weights = {key: float(w) for key, w in profile.weights.items() if w > 0}
        if not weights:
            assert got.barriers == result.general.barriers
            continue
        # Weighted impact, summed over the item's limitations in the item's own order.
        impacts: dict[str, tuple[float, int]] = {}
        for item_id, found in severities.items():
            impact, worst = 0.0, 0
            for key in checklist.items[item_id].severity:
                if key in weights and found.get(key):
                    impact += weights[key] * found[key]
                    worst = max(worst, found[key])
            if worst:
                impacts[item_id] = (impact, worst)
        ranked = sorted(impacts, key=lambda item_id: (-impacts[item_id][0], order[item_id]))
        listed = [(b.item_id, b.severity) for b in got.barriers]
        assert listed[: len(ranked)] == [(item_id, impacts[item_id][1]) for item_id in ranked]
        # A profile without a weight-1 limitation takes general's class, and its barriers.
        rest = listed[len(ranked) :]
        if any(w >= 1 for w in weights.values()):
            assert rest == []
        else:
            general = result.general.barriers
            assert rest == [(b.item_id, b.severity) for b in general if b.item_id not in impacts]
        missing = [(u.item_id, u.weight) for u in got.unanswered]
        assert missing == _worst_first(missing, order)


@pytest.mark.parametrize(
    ("largest", "width"), [(0, 16), (65_535, 16), (65_536, 32), (2**32, 64), (2**64 - 1, 64)]
)
def test_packed_sums_have_room_for_the_largest_total(largest, width):
    packing = Packing.for_totals([4, largest, 0])
    assert packing.width == width
    packed = packing.pack([(0, 4), (1, largest)]) + packing.pack([(2, 0)])
    assert packing.unpack(packed) == (4, largest, 0)
    # Sums up to the totals never carry into the next limitation.
    assert packing.unpack(packed - packing.pack([(1, largest)])) == (4, 0, 0)


def test_a_total_beyond_64_bits_is_refused():
    with pytest.raises(ValueError, match="64 bits"):
        Packing.for_totals([2**64])
