"""Deliveries to a real receiver on 127.0.0.1: signed, one id per delivery, retried with
backoff after 500s and timeouts, logged per attempt, no personal data, refused targets."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.timeutil import utcnow
from app.webhooks import services as webhooks
from app.webhooks.dispatch import backoff, deliver_due
from app.webhooks.models import WebhookAttempt, WebhookDelivery
from tests.factories import STEP_FREE_BARRIERS, assess, make_unit, passing_answers
from tests.webhooks.receiver import Receiver

EVENTS = ["assessment.approved", "unit.suitability_changed", "inspection.returned"]


@pytest.fixture
def receiver(app):
    app.config.update(
        WEBHOOK_ALLOW_PRIVATE_TARGETS=True, WEBHOOK_RETRY_BASE_SECONDS=60, WEBHOOK_MAX_ATTEMPTS=3
    )
    receiver = Receiver(slow_seconds=1.5)
    yield receiver
    receiver.close()
    app.config.update(
        WEBHOOK_ALLOW_PRIVATE_TARGETS=False,
        WEBHOOK_RETRY_BASE_SECONDS=60,
        WEBHOOK_MAX_ATTEMPTS=10,
        WEBHOOK_TIMEOUT_SECONDS=10,
    )


@pytest.fixture
def admin(as_role):
    return as_role("admin")


def subscribe(admin, receiver, events=EVENTS) -> dict:
    response = admin.post("/api/v1/webhooks", json={"url": receiver.url, "events": events})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def approved_inspection(as_role, answers=None, *, approve=True):
    inspector, manager = as_role("inspector"), as_role("facility_manager")
    unit = make_unit()
    iid = inspector.post(
        "/api/v1/inspections", json={"unit_id": unit.id, "checklist_version": 1}
    ).get_json()["id"]
    synced = inspector.put(
        f"/api/v1/inspections/{iid}/answers", json={"answers": answers or passing_answers()}
    )
    assert synced.status_code == 200
    assert inspector.post(f"/api/v1/inspections/{iid}/submit").status_code == 200
    if approve:
        assert manager.post(f"/api/v1/inspections/{iid}/approve").status_code == 200
    return unit, iid, manager


def make_due_now():
    for delivery in db.session.scalars(select(WebhookDelivery)):
        if delivery.status == "pending":
            delivery.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_an_approval_reaches_the_receiver_signed_with_one_id_per_delivery(
    app, admin, as_role, receiver
):
    subscription = subscribe(admin, receiver)
    unit, iid, _ = approved_inspection(as_role)
    assert deliver_due() == 2
    received = {r.json["type"]: r for r in receiver.wait_for(2)}
    approved = received["assessment.approved"]
    assert approved.verifies(subscription["secret"])
    assert approved.id == approved.json["id"]
    assert approved.json["data"]["unit_id"] == unit.id
    assert approved.json["data"]["inspection_id"] == iid
    assert approved.headers["content-type"] == "application/json"
    changed = received["unit.suitability_changed"]
    assert changed.verifies(subscription["secret"])
    keys = {c["key"]: c for c in changed.json["data"]["changes"]}
    assert keys["wheelchair_manual"] == {"key": "wheelchair_manual", "from": None, "to": "suitable"}
    assert approved.id != changed.id
    # Delivered: nothing is due any more, nothing is sent twice.
    assert deliver_due() == 0
    assert len(receiver.received) == 2
    statuses = {d.status for d in db.session.scalars(select(WebhookDelivery))}
    assert statuses == {"delivered"}


def test_suitability_change_lists_only_the_keys_that_changed(app, admin, as_role, receiver):
    unit, _, _ = approved_inspection(as_role)
    subscribe(admin, receiver, events=["unit.suitability_changed"])
    assess(as_role("inspector").user, unit, STEP_FREE_BARRIERS)  # a re-inspection, approved
    deliver_due()
    [received] = receiver.wait_for(1)
    changes = {c["key"]: c for c in received.json["data"]["changes"]}
    assert changes["wheelchair_manual"]["from"] == "suitable"
    assert changes["wheelchair_manual"]["to"] in ("adaptable", "unsuitable")
    assert "deaf" not in changes  # unchanged classes are not listed
    assert all(c["from"] != c["to"] for c in changes.values())


def test_returned_inspection_carries_no_comment(app, admin, as_role, receiver):
    subscribe(admin, receiver)
    unit, iid, manager = approved_inspection(as_role, approve=False)
    comment = "Beboer Kari Nordmann bruker rullestol, ring 912 34 567"
    assert (
        manager.post(f"/api/v1/inspections/{iid}/return", json={"comment": comment}).status_code
        == 200
    )
    deliver_due()
    [received] = receiver.wait_for(1)
    assert received.json["type"] == "inspection.returned"
    assert received.json["data"] == {"inspection_id": iid, "unit_id": unit.id}
    assert b"Kari" not in received.body and b"912" not in received.body


def test_no_personal_data_in_any_payload(app, admin, as_role, receiver):
    subscribe(admin, receiver)
    _, _, manager = approved_inspection(as_role)
    deliver_due()
    received = receiver.wait_for(2)
    people = [manager.user, admin.user]
    for r in received:
        text = r.body.decode()
        for person in people:
            assert person.email not in text and person.name not in text
        allowed = {"inspection_id", "unit_id", "building_id", "checklist_key", "checklist_version"}
        assert set(r.json["data"]) <= allowed | {"changes"}
        assert set(r.json) == {"id", "type", "occurred_at", "data"}


def test_a_500_is_retried_with_backoff_under_the_same_id(app, admin, as_role, receiver):
    subscribe(admin, receiver, events=["assessment.approved"])
    receiver.script = [500]
    approved_inspection(as_role)
    assert deliver_due() == 1
    delivery = db.session.scalars(select(WebhookDelivery)).one()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.last_status_code == 500
    wait = (delivery.next_attempt_at - utcnow()).total_seconds()
    assert 55 < wait <= 60  # the first backoff step
    assert deliver_due() == 0  # not due yet
    make_due_now()
    assert deliver_due() == 1
    first, second = receiver.wait_for(2)
    assert first.id == second.id == str(delivery.id)
    assert first.body == second.body
    db.session.refresh(delivery)
    assert delivery.status == "delivered"
    log = [(a.number, a.status_code, a.error) for a in delivery.attempt_log]
    assert log == [(1, 500, "HTTP 500"), (2, 200, None)]


def test_a_timeout_is_retried_and_attempts_run_out(app, admin, as_role, receiver):
    app.config["WEBHOOK_TIMEOUT_SECONDS"] = 0.3
    subscribe(admin, receiver, events=["assessment.approved"])
    receiver.script = ["slow", 503, 502]
    approved_inspection(as_role)
    for _ in range(3):
        make_due_now()
        assert deliver_due() == 1
    delivery = db.session.scalars(select(WebhookDelivery)).one()
    assert delivery.status == "failed" and delivery.next_attempt_at is None
    assert [a.error for a in delivery.attempt_log] == ["timeout", "HTTP 503", "HTTP 502"]
    make_due_now()
    assert deliver_due() == 0  # given up
    # An administrator resends it: same id, a fresh round.
    response = admin.post(f"/api/v1/webhooks/deliveries/{delivery.id}/resend")
    assert response.status_code == 202 and response.get_json()["status"] == "pending"
    assert deliver_due() == 1
    last = receiver.wait_for(4)[-1]
    assert last.id == str(delivery.id)
    detail = admin.get(f"/api/v1/webhooks/deliveries/{delivery.id}").get_json()
    assert detail["status"] == "delivered"
    assert [a["number"] for a in detail["attempt_log"]] == [1, 2, 3, 4]


def test_backoff_doubles_up_to_a_ceiling():
    assert [backoff(n, 60) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(30, 60) == 6 * 3600


def test_a_target_refused_at_delivery_fails_without_sending(app, admin, as_role, receiver):
    subscribe(admin, receiver, events=["assessment.approved"])
    approved_inspection(as_role)
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = False  # the deployment tightened its policy
    assert deliver_due() == 1
    delivery = db.session.scalars(select(WebhookDelivery)).one()
    assert delivery.status == "failed"
    assert delivery.last_error.startswith("target refused")
    assert receiver.received == []


def test_a_claimed_delivery_is_left_to_its_claimant(app, admin, as_role, receiver):
    subscribe(admin, receiver, events=["assessment.approved"])
    approved_inspection(as_role)
    delivery = db.session.scalars(select(WebhookDelivery)).one()
    delivery.locked_until = utcnow() + timedelta(seconds=30)  # another worker is sending it
    db.session.commit()
    assert deliver_due() == 0
    delivery.locked_until = utcnow() - timedelta(seconds=1)  # that worker died: lease expired
    db.session.commit()
    assert deliver_due() == 1
    assert len(receiver.wait_for(1)) == 1


def test_paused_and_unsubscribed_get_nothing(app, admin, as_role, receiver):
    paused = subscribe(admin, receiver)
    admin.patch(f"/api/v1/webhooks/{paused['id']}", json={"active": False})
    subscribe(admin, receiver, events=["inspection.returned"])
    approved_inspection(as_role)
    assert deliver_due() == 0
    assert receiver.received == []


def test_a_rolled_back_change_sends_nothing(app, admin, receiver):
    subscribe(admin, receiver, events=["assessment.approved"])
    webhooks.emit("assessment.approved", {"unit_id": 1})
    db.session.rollback()  # the change that emitted it failed
    assert db.session.scalars(select(WebhookDelivery)).all() == []
    assert deliver_due() == 0


def test_purge_removes_old_finished_deliveries_with_their_attempts(app, admin, as_role, receiver):
    subscribe(admin, receiver)
    approved_inspection(as_role)
    deliver_due()
    pending = webhooks.emit("assessment.approved", {"unit_id": 1})[0]
    db.session.commit()
    for delivery in db.session.scalars(select(WebhookDelivery)):
        delivery.created_at = utcnow() - timedelta(days=100)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["webhooks", "purge"])
    assert result.exit_code == 0, result.output
    assert "2 leveranser slettet" in result.output
    remaining = db.session.scalars(select(WebhookDelivery)).all()
    assert [d.id for d in remaining] == [pending.id]  # never sent yet: kept
    assert db.session.scalars(select(WebhookAttempt)).all() == []


def test_deliver_command_sends_what_is_due(app, admin, as_role, receiver):
    subscribe(admin, receiver, events=["assessment.approved"])
    approved_inspection(as_role)
    result = app.test_cli_runner().invoke(args=["webhooks", "deliver"])
    assert result.exit_code == 0 and "1 leveringsforsøk" in result.output
    assert len(receiver.wait_for(1)) == 1
