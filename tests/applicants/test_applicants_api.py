"""Applicants: privacy by role, audit of every access, erasure, matching and demand."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.applicants import services
from app.applicants.models import Applicant
from app.audit.models import AuditEvent
from app.extensions import db
from app.timeutil import utcnow
from tests.factories import STEP_FREE_BARRIERS, assessed_unit, make_unit
from tests.helpers import assert_problem


def valid_fnr() -> str:
    from app.applicants.identity import is_identity_number

    base = "150585123"
    for k in range(100):
        candidate = f"{base}{k:02d}"
        if is_identity_number(candidate):
            return candidate
    raise AssertionError


def household(**fields):
    body = {
        "case_reference": "2026/1001",
        "household": {"adults": 1},
        "needs": [{"limitation": "wheelchair_manual", "level": "required"}],
        "min_bedrooms": 1,
    }
    return {**body, **fields}


@pytest.fixture
def officer(as_role):
    return as_role("allocation_officer")


def events(action=None):
    stmt = select(AuditEvent).where(AuditEvent.object_type == "applicant")
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return db.session.scalars(stmt).all()


@pytest.mark.parametrize("role", ["inspector", "facility_manager"])
def test_other_roles_get_403_on_every_applicant_path(as_role, officer, role):
    applicant = officer.post("/api/v1/applicants", json=household()).get_json()
    caller = as_role(role)
    base = f"/api/v1/applicants/{applicant['id']}"
    for method, url in [
        ("get", "/api/v1/applicants"),
        ("post", "/api/v1/applicants"),
        ("get", base),
        ("patch", base),
        ("delete", base),
        ("get", f"{base}/matches"),
    ]:
        assert_problem(getattr(caller, method)(url), 403)


def test_officer_crud_is_audited_without_needs(officer, as_role):
    created = officer.post("/api/v1/applicants", json=household())
    assert created.status_code == 201
    applicant = created.get_json()
    url = f"/api/v1/applicants/{applicant['id']}"
    officer.get(url)
    officer.get("/api/v1/applicants")
    officer.patch(url, json={"min_bedrooms": 2})
    actions = [e.action for e in events()]
    for expected in (
        "applicant.created",
        "applicant.read",
        "applicant.listed",
        "applicant.updated",
    ):
        assert expected in actions
    assert all("wheelchair" not in str(e.details) for e in events())
    admin = as_role("admin")
    assert admin.get(url).status_code == 200
    assert events("applicant.read")[-1].actor_id == admin.user.id


def test_identity_numbers_are_refused(officer):
    fnr = valid_fnr()
    body = assert_problem(
        officer.post("/api/v1/applicants", json=household(notes=f"fnr {fnr[:6]} {fnr[6:]}")), 422
    )
    assert "fødselsnummer" in body["errors"]["notes"][0]
    assert_problem(officer.post("/api/v1/applicants", json=household(case_reference=fnr)), 422)
    ok = officer.post("/api/v1/applicants", json=household(notes="Tlf 915 55 123, 01.02.2027"))
    assert ok.status_code == 201


def test_unknown_need_and_district_are_named(officer):
    body = assert_problem(
        officer.post(
            "/api/v1/applicants",
            json=household(needs=[{"limitation": "flying"}], districts=["Atlantis"]),
        ),
        422,
    )
    assert "districts" in body["errors"]
    body = assert_problem(
        officer.post("/api/v1/applicants", json=household(needs=[{"limitation": "flying"}])), 422
    )
    assert "needs" in body["errors"]


def test_delete_erases_for_real(officer):
    applicant = officer.post("/api/v1/applicants", json=household(notes="trenger heis")).get_json()
    assert officer.delete(f"/api/v1/applicants/{applicant['id']}").status_code == 204
    assert db.session.get(Applicant, applicant["id"]) is None
    erased = events("applicant.erased")[0]
    assert erased.details == {"case": "2026/1001", "reason": "deleted"}


def test_purge_respects_retention(app, officer):
    old = officer.post(
        "/api/v1/applicants", json=household(case_reference="A-1", status="housed")
    ).get_json()
    fresh = officer.post(
        "/api/v1/applicants", json=household(case_reference="A-2", status="withdrawn")
    ).get_json()
    waiting = officer.post("/api/v1/applicants", json=household(case_reference="A-3")).get_json()
    db.session.get(Applicant, old["id"]).status_changed_at = utcnow() - timedelta(days=400)
    db.session.get(Applicant, waiting["id"]).status_changed_at = utcnow() - timedelta(days=999)
    db.session.commit()
    assert services.purge() == 1
    remaining = set(db.session.scalars(select(Applicant.case_reference)))
    assert remaining == {"A-2", "A-3"}
    assert fresh


@pytest.fixture
def portfolio(make_user):
    inspector = make_user("inspector")
    return {
        "accessible_idd": assessed_unit(inspector, district="Idd", bedrooms=2),
        "accessible_sentrum": assessed_unit(inspector, district="Sentrum", bedrooms=2),
        "accessible_small": assessed_unit(inspector, district="Sentrum", bedrooms=0),
        "steps": assessed_unit(inspector, STEP_FREE_BARRIERS, district="Sentrum", bedrooms=3),
        "let": assessed_unit(inspector, district="Sentrum", bedrooms=2, status="let"),
        "unassessed": make_unit(district="Sentrum", bedrooms=2),
    }


def test_matching_respects_needs_bedrooms_status_and_assessment(officer, portfolio):
    applicant = officer.post("/api/v1/applicants", json=household()).get_json()
    body = officer.get(f"/api/v1/applicants/{applicant['id']}/matches").get_json()
    ids = [m["unit_id"] for m in body["matches"]]
    assert set(ids) == {portfolio["accessible_idd"].id, portfolio["accessible_sentrum"].id}
    match = body["matches"][0]
    assert match["needs"]["wheelchair_manual"]["class"] == "suitable"
    assert match["reasons"]
    widened = officer.get(
        f"/api/v1/applicants/{applicant['id']}/matches?status=vacant,let&include_unassessed=true"
    ).get_json()
    assert portfolio["let"].id in [m["unit_id"] for m in widened["matches"]]
    assert portfolio["unassessed"].id not in [m["unit_id"] for m in widened["matches"]]
    assert portfolio["unassessed"].id in [u["unit_id"] for u in widened["not_assessed"]]


def test_matches_are_paged_with_the_total_on_every_page(officer, portfolio):
    applicant = officer.post("/api/v1/applicants", json=household()).get_json()
    url = f"/api/v1/applicants/{applicant['id']}/matches?page_size=1"
    pages = [officer.get(f"{url}&page={n}").get_json() for n in (1, 2, 3)]
    assert [p["total"] for p in pages] == [2, 2, 2]
    assert [len(p["matches"]) for p in pages] == [1, 1, 0]  # page 3 lies past the end
    assert [p["matches"][0]["rank"] for p in pages[:2]] == [1, 2]
    found = {p["matches"][0]["unit_id"] for p in pages[:2]}
    assert found == {portfolio["accessible_idd"].id, portfolio["accessible_sentrum"].id}


def test_preferred_needs_rank_and_name_the_barriers_left(officer, make_user):
    inspector = make_user("inspector")
    quiet = assessed_unit(inspector, {"hearing.doorbell_visual_signal": False}, bedrooms=2)
    fine = assessed_unit(inspector, bedrooms=2)
    needs = [
        {"limitation": "wheelchair_manual", "level": "required"},
        {"limitation": "deaf", "level": "preferred"},
    ]
    applicant = officer.post("/api/v1/applicants", json=household(needs=needs)).get_json()
    found = officer.get(f"/api/v1/applicants/{applicant['id']}/matches").get_json()["matches"]
    assert [m["unit_id"] for m in found] == [fine.id, quiet.id]  # the barrier costs rank
    first, second = found
    assert first["remaining_barriers"] == []
    assert first["needs"]["deaf"] == {
        "class": "suitable",
        "score": 100.0,
        "level": "preferred",
        "barriers": [],
    }
    left = {(b["need"], b["item_id"]) for b in second["remaining_barriers"]}
    assert ("deaf", "hearing.doorbell_visual_signal") in left
    assert second["needs"]["deaf"]["score"] < 100
    (doorbell,) = second["needs"]["deaf"]["barriers"]
    assert doorbell["item_id"] == "hearing.doorbell_visual_signal" and doorbell["severity"] >= 3
    assert doorbell["reference"]["source"] and doorbell["measures"][0]["feasible"]
    assert second["reasons"][0] == "Manuell rullestol: egnet, ingen avvik"


def test_a_match_names_the_barriers_left_for_a_suitable_need(officer, make_user):
    inspector = make_user("inspector")
    narrow = assessed_unit(
        inspector, {"unit.internal_door_clear_width_mm": 740}, bedrooms=2
    )  # a minor barrier for a manual wheelchair: within the tolerance
    needs = [{"limitation": "wheelchair_manual", "level": "required"}]
    applicant = officer.post("/api/v1/applicants", json=household(needs=needs)).get_json()
    (match,) = officer.get(f"/api/v1/applicants/{applicant['id']}/matches").get_json()["matches"]
    assert match["unit_id"] == narrow.id
    need = match["needs"]["wheelchair_manual"]
    assert need["class"] == "suitable"
    (door,) = need["barriers"]
    assert (door["answer"], door["unit"]) == (740, "mm")
    assert door["requirement_text"]["nb"] == "krav ≥ 760 mm"
    assert "740 mm (krav ≥ 760 mm; TEK17 §12-13" in match["reasons"][0]


def test_adaptable_units_only_when_asked_with_measures(officer, portfolio):
    applicant = officer.post("/api/v1/applicants", json=household()).get_json()
    url = f"/api/v1/applicants/{applicant['id']}/matches"
    assert portfolio["steps"].id not in [
        m["unit_id"] for m in officer.get(url).get_json()["matches"]
    ]
    adaptable = officer.get(f"{url}?allow_adaptable=true").get_json()["matches"]
    steps = next(m for m in adaptable if m["unit_id"] == portfolio["steps"].id)
    assert steps["needs"]["wheelchair_manual"]["class"] == "adaptable"
    assert steps["measures"] and steps["cost"]["typical"] > 0


def test_must_district_and_wished_district(officer, portfolio):
    must = officer.post(
        "/api/v1/applicants", json=household(districts=["Idd"], districts_required=True)
    ).get_json()
    found = officer.get(f"/api/v1/applicants/{must['id']}/matches").get_json()["matches"]
    assert [m["unit_id"] for m in found] == [portfolio["accessible_idd"].id]
    wish = officer.post(
        "/api/v1/applicants", json=household(case_reference="2026/1002", districts=["Sentrum"])
    ).get_json()
    ranked = officer.get(f"/api/v1/applicants/{wish['id']}/matches").get_json()["matches"]
    assert ranked[0]["unit_id"] == portfolio["accessible_sentrum"].id  # the wish ranks first


def test_accessibility_says_which_households_a_unit_suits(officer, portfolio):
    result = officer.get(f"/api/v1/units/{portfolio['steps'].id}/accessibility").get_json()
    assert "wheelchair_manual" not in result["suits"]["limitations"]
    assert "deaf" in result["suits"]["limitations"]


def test_demand_is_aggregated_and_suppresses_small_counts(officer, as_role, portfolio):
    for n in range(6):
        officer.post(
            "/api/v1/applicants", json=household(case_reference=f"D-{n}", districts=["Idd"])
        )
    officer.post(
        "/api/v1/applicants",
        json=household(case_reference="D-x", needs=[{"limitation": "deaf"}], districts=["Idd"]),
    )
    body = as_role("facility_manager").get("/api/v1/stats/demand").get_json()
    assert body["needs"]["wheelchair_manual"]["Idd"]["waiting_households"] == 6
    assert body["needs"]["deaf"]["Idd"]["waiting_households"] is None  # 1 < 5: suppressed
    assert body["needs"]["wheelchair_manual"]["Idd"]["suitable_units_vacant"] == 1
    assert_problem(as_role("inspector").get("/api/v1/stats/demand"), 403)
    assert "case" not in str(body) and "D-1" not in str(body)
    assert db.session.scalar(select(func.count()).select_from(Applicant)) == 7


@pytest.mark.parametrize("written", ["010190-10046", "010190.10046", "01 01 90 10046"])
def test_identity_numbers_with_separators_are_refused(officer, written):
    body = assert_problem(
        officer.post("/api/v1/applicants", json=household(notes=f"Søker {written} ringte")), 422
    )
    assert "fødselsnummer" in body["errors"]["notes"][0]
