"""Offers: a vacant unit offered to a waiting household, then accepted, declined or
withdrawn; statuses follow, one open offer per unit and per household, every step audited,
allocation officers and administrators only."""

import pytest
from sqlalchemy import select

from app.applicants.models import Applicant
from app.audit.models import AuditEvent
from app.extensions import db
from app.units.models import Unit
from tests.factories import make_unit
from tests.helpers import assert_problem


@pytest.fixture
def officer(as_role):
    return as_role("allocation_officer")


def household(officer, reference="2026/2001"):
    body = {
        "case_reference": reference,
        "household": {"adults": 1},
        "needs": [{"limitation": "wheelchair_manual", "level": "required"}],
    }
    response = officer.post("/api/v1/applicants", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def offer(caller, applicant_id, unit_id):
    return caller.post(f"/api/v1/applicants/{applicant_id}/offers", json={"unit_id": unit_id})


def statuses(applicant_id, unit_id):
    db.session.expire_all()
    return db.session.get(Applicant, applicant_id).status, db.session.get(Unit, unit_id).status


def test_offer_then_accept_houses_the_household_and_lets_the_unit(officer):
    applicant, unit = household(officer), make_unit(status="vacant").id
    created = offer(officer, applicant, unit)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["status"] == "offered" and body["unit_id"] == unit
    assert body["offered_by_id"] == officer.user.id and body["offered_at"]
    assert statuses(applicant, unit) == ("offered", "reserved")
    listed = officer.get(f"/api/v1/applicants/{applicant}/offers").get_json()
    assert [o["id"] for o in listed] == [body["id"]]
    url = f"/api/v1/applicants/{applicant}/offers/{body['id']}"
    accepted = officer.patch(url, json={"status": "accepted"})
    assert accepted.status_code == 200, accepted.get_json()
    assert accepted.get_json()["decided_by_id"] == officer.user.id
    assert statuses(applicant, unit) == ("housed", "let")
    assert_problem(officer.patch(url, json={"status": "withdrawn"}), 409)  # decided already
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "offer").order_by(AuditEvent.id)
    ).all()
    assert actions == ["offer.created", "offer.accepted"]


def test_decline_needs_a_reason_and_frees_both(officer):
    applicant, unit = household(officer), make_unit(status="vacant").id
    offer_id = offer(officer, applicant, unit).get_json()["id"]
    url = f"/api/v1/applicants/{applicant}/offers/{offer_id}"
    problem = assert_problem(officer.patch(url, json={"status": "declined"}), 422)
    assert "reason" in problem["errors"]
    assert statuses(applicant, unit) == ("offered", "reserved")  # nothing half-written
    declined = officer.patch(url, json={"status": "declined", "reason": "For langt fra jobb"})
    assert declined.get_json()["reason"] == "For langt fra jobb"
    assert statuses(applicant, unit) == ("waiting", "vacant")
    assert offer(officer, applicant, unit).status_code == 201  # may be offered again


def test_a_unit_is_offered_to_one_household_at_a_time(officer, as_role):
    first, second = household(officer), household(officer, "2026/2002")
    unit = make_unit(status="vacant").id
    assert offer(officer, first, unit).status_code == 201
    problem = assert_problem(offer(as_role("admin"), second, unit), 409)
    assert problem["unit_status"] == "reserved"
    other = make_unit(status="vacant").id
    assert_problem(offer(officer, first, other), 409)  # the household already has an offer
    assert statuses(second, unit) == ("waiting", "reserved")
    assert statuses(first, other) == ("offered", "vacant")


def test_only_vacant_units_and_known_things(officer):
    applicant = household(officer)
    assert_problem(offer(officer, applicant, make_unit(status="let").id), 409)
    assert_problem(offer(officer, applicant, 999_999), 404)
    assert_problem(offer(officer, 999_999, make_unit(status="vacant").id), 404)
    problem = assert_problem(officer.post(f"/api/v1/applicants/{applicant}/offers", json={}), 422)
    assert "unit_id" in problem["errors"]
    unit = make_unit(status="vacant").id
    offer_id = offer(officer, applicant, unit).get_json()["id"]
    url = f"/api/v1/applicants/{applicant}/offers/{offer_id}"
    assert_problem(officer.patch(url, json={"status": "offered"}), 422)
    assert_problem(
        officer.patch(f"/api/v1/applicants/{applicant}/offers/999999", json={"status": "accepted"}),
        404,
    )


@pytest.mark.parametrize("role", ["inspector", "facility_manager"])
def test_other_roles_cannot_see_or_make_offers(officer, as_role, role):
    applicant, unit = household(officer), make_unit(status="vacant").id
    offer_id = offer(officer, applicant, unit).get_json()["id"]
    caller = as_role(role)
    assert_problem(caller.get(f"/api/v1/applicants/{applicant}/offers"), 403)
    assert_problem(offer(caller, applicant, make_unit(status="vacant").id), 403)
    url = f"/api/v1/applicants/{applicant}/offers/{offer_id}"
    assert_problem(caller.patch(url, json={"status": "withdrawn"}), 403)
    assert statuses(applicant, unit) == ("offered", "reserved")


def test_erasing_the_household_frees_the_reserved_unit(officer):
    applicant, unit = household(officer), make_unit(status="vacant").id
    offer(officer, applicant, unit)
    assert officer.delete(f"/api/v1/applicants/{applicant}").status_code == 204
    db.session.expire_all()
    assert db.session.get(Unit, unit).status == "vacant"
    assert db.session.get(Applicant, applicant) is None


def test_an_offered_unit_leaves_the_matches(officer, make_user):
    from tests.factories import assessed_unit

    unit = assessed_unit(make_user("inspector"), status="vacant").id
    applicant, other = household(officer), household(officer, "2026/2003")
    before = officer.get(f"/api/v1/applicants/{other}/matches").get_json()
    assert unit in [m["unit_id"] for m in before["matches"]]
    offer(officer, applicant, unit)
    after = officer.get(f"/api/v1/applicants/{other}/matches").get_json()
    assert unit not in [m["unit_id"] for m in after["matches"]]
