"""Sign-in, sessions, CSRF, tokens, rate limits and roles, as each kind of caller sees them."""

import uuid

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from tests.conftest import PASSWORD
from tests.helpers import assert_problem


def login(client, user, password=PASSWORD, **kw):
    return client.post("/api/v1/auth/login", json={"email": user.email, "password": password}, **kw)


def test_login_sets_secure_cookie_and_me_answers(client, make_user):
    user = make_user("allocation_officer")
    response = login(client, user)
    assert response.status_code == 200
    body = response.get_json()
    assert body["user"]["role"] == "allocation_officer"
    assert body["csrf_token"]
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    me = client.get("/api/v1/auth/me").get_json()
    assert me["user"]["email"] == user.email
    assert me["auth_method"] == "session"
    assert me["csrf_token"] == body["csrf_token"]


def test_email_is_case_insensitive(client, make_user):
    user = make_user("inspector", email="Ola.Nordmann@Kommune.no")
    user.email = "ola.nordmann@kommune.no"
    db.session.commit()
    response = client.post(
        "/api/v1/auth/login", json={"email": " OLA.nordmann@kommune.no", "password": PASSWORD}
    )
    assert response.status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_answer(client, make_user):
    user = make_user()
    wrong = assert_problem(login(client, user, "feil-passord"), 401)
    unknown = assert_problem(
        client.post("/api/v1/auth/login", json={"email": "nobody@x.no", "password": "x"}), 401
    )
    assert wrong["detail"] == unknown["detail"] == "Feil e-post eller passord."


def test_inactive_user_cannot_sign_in(client, make_user):
    user = make_user(active=False)
    assert_problem(login(client, user), 401)


def other_address(address):
    return {"environ_base": {"REMOTE_ADDR": address}}


def test_repeated_failures_slow_down_the_address_that_guessed(app, client, make_user):
    user = make_user()
    free = app.config["LOGIN_FREE_FAILURES_PER_ACCOUNT"]
    for _ in range(free + 1):
        assert_problem(login(client, user, "feil"), 401)
    waiting = login(client, user, "feil")  # the guesser waits, and so does its next guess
    assert_problem(waiting, 429)
    assert int(waiting.headers["Retry-After"]) >= 1
    assert_problem(login(client, user), 429)  # even a right guess from there waits


def test_the_right_password_is_not_refused_because_a_stranger_guessed_wrong(app, client, make_user):
    user = make_user()
    for _ in range(app.config["LOGIN_FREE_FAILURES_PER_ACCOUNT"] + 3):
        login(client, user, "feil", **other_address("203.0.113.9"))
    assert_problem(login(client, user, **other_address("203.0.113.9")), 429)
    # A new address of the attacker gets one guess while the account is under attack.
    assert_problem(login(client, user, "feil", **other_address("192.0.2.1")), 401)
    assert_problem(login(client, user, "feil", **other_address("192.0.2.1")), 429)
    owner = login(client, user, **other_address("198.51.100.7"))
    assert owner.status_code == 200, owner.get_json()


def test_address_delay_across_accounts(app, client):
    free = app.config["LOGIN_FREE_FAILURES_PER_ADDRESS"]
    for i in range(free + 1):
        response = client.post("/api/v1/auth/login", json={"email": f"u{i}@x.no", "password": "x"})
        assert_problem(response, 401)
    response = client.post("/api/v1/auth/login", json={"email": "new@x.no", "password": "x"})
    assert_problem(response, 429)
    assert "Retry-After" in response.headers


def test_delay_grows_progressively():
    from app.auth.throttle import delay_seconds

    assert [delay_seconds(f, 5, 900) for f in range(4, 10)] == [0, 0, 1, 2, 4, 8]
    assert delay_seconds(60, 5, 900) == 900


def test_failed_and_refused_sign_ins_are_audited(app, client, make_user):
    user = make_user()
    for _ in range(app.config["LOGIN_FREE_FAILURES_PER_ACCOUNT"] + 2):
        login(client, user, "feil")
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("auth.login_%"))
    ).all()
    assert actions.count("auth.login_failed") == app.config["LOGIN_FREE_FAILURES_PER_ACCOUNT"] + 1
    assert actions.count("auth.login_refused") == 1
    failed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login_failed"))
    assert failed.object_id == str(user.id) and failed.details["email"] == user.email


def test_logout_ends_the_session(client, make_user):
    user = make_user()
    csrf = login(client, user).get_json()["csrf_token"]
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert_problem(client.get("/api/v1/auth/me"), 401)


def test_cookie_write_without_csrf_token_is_refused(client, make_user):
    user = make_user()
    login(client, user)
    body = assert_problem(client.post("/api/v1/auth/logout"), 403)
    assert "CSRF" in body["detail"]
    assert_problem(client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": "wrong"}), 403)


def test_bearer_token_issue_use_and_revoke(client, make_user):
    user = make_user("facility_manager")
    issued = client.post(
        "/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD, "name": "FDV"}
    )
    assert issued.status_code == 201
    token = issued.get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    me = client.get("/api/v1/auth/me", headers=headers).get_json()
    assert me["user"]["role"] == "facility_manager"
    assert me["auth_method"] == "token"
    # token writes need no CSRF token: no cookie is involved
    token_id = issued.get_json()["id"]
    assert client.delete(f"/api/v1/auth/tokens/{token_id}", headers=headers).status_code == 204
    assert_problem(client.get("/api/v1/auth/me", headers=headers), 401)


def test_token_is_stored_hashed(client, make_user):
    from app.auth.models import ApiToken

    user = make_user()
    secret = client.post(
        "/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD, "name": "x"}
    ).get_json()["token"]
    stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert secret not in stored and all(len(h) == 64 for h in stored)


def test_token_with_wrong_password_is_refused(client, make_user):
    user = make_user()
    body = {"email": user.email, "password": "feil", "name": "x"}
    assert_problem(client.post("/api/v1/auth/tokens", json=body), 401)


def test_someone_elses_token_cannot_be_revoked(as_role):
    owner = as_role("inspector")
    other = as_role("inspector")
    token_id = owner.post("/api/v1/auth/tokens", json={"name": "mine"}).get_json()["id"]
    assert_problem(other.delete(f"/api/v1/auth/tokens/{token_id}"), 404)


def test_garbage_bearer_is_401(client):
    assert_problem(client.get("/api/v1/auth/me", headers={"Authorization": "Bearer nope"}), 401)


def test_401_versus_403(client, as_role):
    assert_problem(client.get("/api/v1/audit-events"), 401)
    assert_problem(as_role("inspector").get("/api/v1/audit-events"), 403)
    assert as_role("admin").get("/api/v1/audit-events").status_code == 200


def test_login_is_audited(client, make_user, as_role):
    user = make_user()
    login(client, user)
    events = as_role("admin").get("/api/v1/audit-events?action=auth.login").get_json()
    assert any(e["actor_email"] == user.email for e in events)
    stored = db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == user.id)).all()
    assert stored[0].request_id and stored[0].client_address


def test_audit_list_is_paginated(as_role):
    admin = as_role("admin")
    response = admin.get("/api/v1/audit-events?page=1&page_size=1")
    assert response.status_code == 200
    assert '"total"' in response.headers["X-Pagination"]


def test_admin_manages_users(as_role, client):
    admin = as_role("admin")
    created = admin.post(
        "/api/v1/users",
        json={"email": "ny@kommune.no", "role": "inspector", "password": "langt-passord-1"},
    )
    assert created.status_code == 201
    user_id = created.get_json()["id"]
    assert "password" not in created.get_json()
    changed = admin.patch(f"/api/v1/users/{user_id}", json={"role": "facility_manager"})
    assert changed.get_json()["role"] == "facility_manager"
    admin.patch(f"/api/v1/users/{user_id}", json={"active": False})
    response = client.post(
        "/api/v1/auth/login", json={"email": "ny@kommune.no", "password": "langt-passord-1"}
    )
    assert_problem(response, 401)
    assert_problem(as_role("inspector").get("/api/v1/users"), 403)
    assert_problem(admin.post("/api/v1/users", json={"email": "x", "role": "king"}), 422)


def _mint(client, secret, name):
    response = client.post(
        "/api/v1/auth/tokens", json={"name": name}, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_tokens_minted_by_a_token_are_revoked_with_it(client, make_user):
    user = make_user("facility_manager")
    parent = client.post(
        "/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD, "name": "FDV"}
    ).get_json()
    child = _mint(client, parent["token"], "barn")
    grandchild = _mint(client, child["token"], "barnebarn")
    assert child["parent_id"] == parent["id"] and grandchild["parent_id"] == child["id"]
    assert child["expires_at"] <= parent["expires_at"]
    headers = {"Authorization": f"Bearer {parent['token']}"}
    assert client.delete(f"/api/v1/auth/tokens/{parent['id']}", headers=headers).status_code == 204
    for token in (parent, child, grandchild):
        bearer = {"Authorization": f"Bearer {token['token']}"}
        assert_problem(client.get("/api/v1/auth/me", headers=bearer), 401)


def test_bearer_tokens_expire(app, client, make_user):
    from datetime import timedelta

    from app.auth.models import ApiToken

    user = make_user()
    issued = client.post(
        "/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD, "name": "x"}
    ).get_json()
    row = db.session.get(ApiToken, uuid.UUID(issued["id"]))
    lifetime = row.expires_at - row.created_at
    assert abs(lifetime - timedelta(days=app.config["API_TOKEN_LIFETIME_DAYS"])) < timedelta(
        minutes=1
    )
    headers = {"Authorization": f"Bearer {issued['token']}"}
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    row.expires_at = row.created_at - timedelta(seconds=1)
    db.session.commit()
    assert_problem(client.get("/api/v1/auth/me", headers=headers), 401)


def test_logout_with_a_bearer_token_revokes_it(client, make_user):
    user = make_user()
    issued = client.post(
        "/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD, "name": "x"}
    ).get_json()
    child = _mint(client, issued["token"], "barn")
    headers = {"Authorization": f"Bearer {issued['token']}"}
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert_problem(client.get("/api/v1/auth/me", headers=headers), 401)
    child_headers = {"Authorization": f"Bearer {child['token']}"}
    assert_problem(client.get("/api/v1/auth/me", headers=child_headers), 401)
