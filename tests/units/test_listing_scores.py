"""The units listing with a chosen need: each row carries that need's class and score, and
sorts best or worst first; filters combine with paging."""

from tests.factories import STEP_FREE_BARRIERS, assessed_unit, make_unit


def test_rows_carry_class_and_score_for_the_asked_need(as_role, make_user):
    inspector = make_user("inspector")
    good = assessed_unit(inspector, district="Idd", status="vacant")
    steps = assessed_unit(inspector, STEP_FREE_BARRIERS, district="Idd", status="vacant")
    make_unit(district="Idd", status="vacant")  # never assessed: not in a suitability list
    officer = as_role("allocation_officer")
    url = "/api/v1/units?suitable_for=wheelchair_manual&class=unsuitable&district=Idd"
    rows = officer.get(url).get_json()
    assert [u["id"] for u in rows] == [good.id, steps.id]  # best first
    assert rows[0]["scores"]["wheelchair_manual"]["class"] == "suitable"
    assert rows[1]["scores"]["wheelchair_manual"]["class"] in ("adaptable", "unsuitable")
    assert (
        rows[0]["scores"]["wheelchair_manual"]["score"]
        > rows[1]["scores"]["wheelchair_manual"]["score"]
    )
    worst = officer.get(url + "&sort=-score").get_json()
    assert [u["id"] for u in worst] == [steps.id, good.id]
    page = officer.get(url + "&page_size=1&page=2")
    assert [u["id"] for u in page.get_json()] == [steps.id]
    assert '"total": 2' in page.headers["X-Pagination"]
    plain = officer.get("/api/v1/units?district=Idd&sort=-status").get_json()
    assert len(plain) == 3 and all("scores" not in u for u in plain)
