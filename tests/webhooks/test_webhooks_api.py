"""Subscriptions through the API: administrators only, the secret shown once, targets
checked (no SSRF), the event catalogue, deliveries listed and resent."""

import pytest

from app.webhooks import signing
from tests.helpers import assert_problem


@pytest.fixture
def admin(as_role):
    return as_role("admin")


@pytest.fixture
def allow_loopback(app):
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = True
    yield
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = False


def subscribe(admin, url="https://sak.kommune.no/hooks", events=("assessment.approved",), **kw):
    return admin.post("/api/v1/webhooks", json={"url": url, "events": list(events), **kw})


def test_admin_subscribes_and_sees_the_secret_once(app, admin):
    created = subscribe(admin, description="Saksbehandlingssystemet")
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert signing.key_of(body["secret"])  # a usable whsec_ secret was generated
    listed = admin.get("/api/v1/webhooks").get_json()
    assert [s["id"] for s in listed] == [body["id"]]
    assert "secret" not in listed[0]
    assert "secret" not in admin.get(f"/api/v1/webhooks/{body['id']}").get_json()


def test_own_secret_is_kept_and_a_malformed_one_refused(app, admin):
    secret = signing.new_secret()
    assert subscribe(admin, secret=secret).get_json()["secret"] == secret
    body = assert_problem(subscribe(admin, secret="passord123"), 422)
    assert "secret" in body["errors"]


def test_other_roles_may_not_manage_webhooks(app, as_role):
    for role in ("inspector", "allocation_officer", "facility_manager"):
        assert_problem(subscribe(as_role(role)), 403)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hooks",
        "https://localhost/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.1.2.3/hooks",
        "https://[::1]/hooks",
        "ftp://sak.kommune.no/hooks",
    ],
)
def test_private_and_loopback_targets_are_refused(app, admin, url):
    body = assert_problem(subscribe(admin, url=url), 422)
    assert "url" in body["errors"]


def test_http_is_refused_in_production(app, admin):
    app.config["APP_ENV"] = "production"
    try:
        body = assert_problem(subscribe(admin, url="http://sak.kommune.no/hooks"), 422)
    finally:
        app.config["APP_ENV"] = "testing"
    assert "https" in body["errors"]["url"][0]
    assert subscribe(admin, url="http://sak.kommune.no/hooks").status_code == 201


def test_allow_list_of_hosts(app, admin):
    app.config["WEBHOOK_ALLOWED_HOSTS"] = [".kommune.no"]
    try:
        assert subscribe(admin, url="https://sak.halden.kommune.no/h").status_code == 201
        assert_problem(subscribe(admin, url="https://hooks.example.com/h"), 422)
    finally:
        app.config["WEBHOOK_ALLOWED_HOSTS"] = []


def test_unknown_events_and_an_empty_list_are_refused(app, admin):
    assert "events" in assert_problem(subscribe(admin, events=["unit.exploded"]), 422)["errors"]
    assert "events" in assert_problem(subscribe(admin, events=[]), 422)["errors"]


def test_patch_pause_and_delete(app, admin):
    sid = subscribe(admin).get_json()["id"]
    patched = admin.patch(
        f"/api/v1/webhooks/{sid}",
        json={"active": False, "events": ["inspection.returned", "assessment.approved"]},
    )
    assert patched.get_json()["active"] is False
    assert patched.get_json()["events"] == ["assessment.approved", "inspection.returned"]
    assert_problem(admin.patch(f"/api/v1/webhooks/{sid}", json={"url": "https://10.0.0.1/"}), 422)
    assert admin.delete(f"/api/v1/webhooks/{sid}").status_code == 204
    assert_problem(admin.get(f"/api/v1/webhooks/{sid}"), 404)


def test_event_catalogue(app, admin):
    events = {e["name"]: e for e in admin.get("/api/v1/webhooks/events").get_json()}
    assert {"assessment.approved", "unit.suitability_changed", "inspection.returned"} <= set(events)
    assert "changes" in events["unit.suitability_changed"]["data"]


def test_ping_is_queued_listed_and_resendable(app, admin, allow_loopback):
    sid = subscribe(admin, url="http://127.0.0.1:9/hooks").get_json()["id"]
    queued = admin.post(f"/api/v1/webhooks/{sid}/ping")
    assert queued.status_code == 202
    delivery = queued.get_json()
    assert delivery["status"] == "pending" and delivery["event"] == "webhook.ping"
    listed = admin.get(f"/api/v1/webhooks/{sid}/deliveries?status=pending").get_json()
    assert [d["id"] for d in listed] == [delivery["id"]]
    assert admin.get(f"/api/v1/webhooks/{sid}/deliveries?status=delivered").get_json() == []
    detail = admin.get(f"/api/v1/webhooks/deliveries/{delivery['id']}").get_json()
    assert detail["payload"]["id"] == delivery["id"]
    assert detail["payload"]["data"] == {"subscription_id": sid}
    assert detail["attempt_log"] == []
    # Not yet tried: nothing to resend.
    assert_problem(admin.post(f"/api/v1/webhooks/deliveries/{delivery['id']}/resend"), 409)
