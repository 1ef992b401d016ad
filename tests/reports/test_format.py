"""The report's Norwegian wording and the renderer's refusal to fetch anything from outside."""

import pytest

from app.checklists.definitions import Choice, Reference, Text
from app.reports import format as f
from app.reports.render import ReportFetcher
from tests.factories import uu_bolig


def test_numbers_and_money_are_written_the_norwegian_way():
    assert f.num(1234.5) == "1\u00a0234,5"
    assert f.num(860) == "860"
    assert f.num(6.70) == "6,7"
    assert f.num(None) == "–"
    assert f.kr(150000) == "150\u00a0000\u00a0kr"
    assert f.with_unit(54.5, "m2") == "54,5\u00a0m²"


def test_requirements_and_answers_read_as_a_person_would(app):
    items = uu_bolig().items
    door = items["entrance.door_clear_width_mm"]
    requirement = {"min": 860, "max": None, "recommended": 900}
    assert (
        f.requirement_text(door, "mm", requirement) == "krav ≥ 860\u00a0mm (anbefalt 900\u00a0mm)"
    )
    assert f.requirement_text(None, "%", {"min": None, "max": 6.7}) == "krav ≤ 6,7\u00a0%"
    assert f.answer_text(door, 780) == "780\u00a0mm"
    route = items["access.step_free_route"]
    assert f.answer_text(route, False) == "Nei"
    assert f.requirement_text(route, None, None) == "krav: Ja"
    choice = next(i for i in items.values() if i.type == "choice")
    passing = [c for c in choice.choices if c.passes]
    assert f.requirement_text(choice, None, None).startswith("krav: " + passing[0].label.nb)
    assert f.answer_text(choice, choice.choices[0].key) == choice.choices[0].label.nb
    assert isinstance(choice.choices[0], Choice) and isinstance(choice.question, Text)


def test_sources_name_the_rule_and_its_kind():
    reference = Reference("TEK17", "§12-13", "regulation")
    assert f.reference_text(reference.__dict__) == "TEK17 §12-13 (forskrift)"
    assert f.reference_text({"source": "NAAF", "clause": "", "kind": "recommendation"}) == (
        "NAAF (anbefaling)"
    )


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "http://127.0.0.1/x.png", "report:photo/unknown"]
)
def test_the_renderer_fetches_only_what_it_was_given(url):
    fetcher = ReportFetcher({"report:photo/known": (b"bytes", "image/jpeg")})
    assert fetcher.fetch("report:photo/known").read() == b"bytes"
    with pytest.raises(ValueError):
        fetcher.fetch(url)
