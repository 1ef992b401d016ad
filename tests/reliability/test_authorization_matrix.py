"""Authorization matrix: every route, every role, plus anonymous and a revoked token.

The table names who may call each route. Anonymous callers and revoked tokens get 401, roles
outside the list 403, and listed roles anything but 401/403 (404 is fine where an object is
not theirs; validation errors are fine too, the bodies here are empty). A route that is not in
the table fails the test, so a new route cannot ship without a decision on who may call it.
"""

from __future__ import annotations

import re

import pytest

from app.auth.roles import ROLES
from tests.helpers import assert_problem
from tests.reliability.world import build_world

ALL = frozenset(ROLES)
A, I, O, F = "admin", "inspector", "allocation_officer", "facility_manager"  # noqa: E741
PUBLIC = "public"

INSTANCE = "/api/v1/inspections/<uuid:inspection_id>/sections/<section_id>/instances/<int:number>"

# (method, rule) -> the roles that may call it, or PUBLIC.
MATRIX: dict[tuple[str, str], frozenset[str] | str] = {
    ("GET", "/"): PUBLIC,
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
    ("GET", "/manifest.webmanifest"): PUBLIC,
    ("GET", "/sw.js"): PUBLIC,
    ("GET", "/pwa/<path:filename>"): PUBLIC,
    ("GET", "/static/<path:filename>"): PUBLIC,
    ("GET", "/api/openapi.json"): PUBLIC,
    ("GET", "/api/docs"): PUBLIC,
    ("GET", "/api/docs/assets/<name>"): PUBLIC,
    ("GET", "/api/docs/init.js"): PUBLIC,
    ("POST", "/api/v1/auth/login"): PUBLIC,
    ("POST", "/api/v1/auth/tokens"): PUBLIC,
    ("POST", "/api/v1/auth/logout"): ALL,
    ("GET", "/api/v1/auth/me"): ALL,
    ("DELETE", "/api/v1/auth/tokens/<uuid:token_id>"): ALL,
    ("GET", "/api/v1/users"): {A},
    ("POST", "/api/v1/users"): {A},
    ("PATCH", "/api/v1/users/<int:user_id>"): {A},
    ("GET", "/api/v1/audit-events"): {A},
    ("GET", "/api/v1/checklists"): ALL,
    ("GET", "/api/v1/checklists/<key>/versions/<int:version>"): ALL,
    ("POST", "/api/v1/checklists/<key>/versions/<int:version>/score"): ALL,
    ("GET", "/api/v1/limitations"): ALL,
    ("GET", "/api/v1/profiles"): ALL,
    ("GET", "/api/v1/measures"): ALL,
    ("GET", "/api/v1/buildings"): ALL,
    ("POST", "/api/v1/buildings"): {A, F},
    ("GET", "/api/v1/buildings/<int:building_id>"): ALL,
    ("PATCH", "/api/v1/buildings/<int:building_id>"): {A, F},
    ("GET", "/api/v1/units"): ALL,
    ("GET", "/api/v1/units/districts"): ALL,
    ("POST", "/api/v1/units"): {A, F},
    ("POST", "/api/v1/units/import"): {A, F},
    ("GET", "/api/v1/units/<int:unit_id>"): ALL,
    ("PATCH", "/api/v1/units/<int:unit_id>"): {A, F},
    ("GET", "/api/v1/units/<int:unit_id>/accessibility"): ALL,
    ("GET", "/api/v1/units/<int:unit_id>/report.pdf"): ALL,
    ("GET", "/api/v1/inspections"): ALL,
    ("POST", "/api/v1/inspections"): {A, F, I},
    ("GET", "/api/v1/inspections/<uuid:inspection_id>"): ALL,
    ("PUT", "/api/v1/inspections/<uuid:inspection_id>/answers"): {A, I},
    ("PUT", INSTANCE): {A, I},
    ("DELETE", INSTANCE): {A, I},
    ("GET", "/api/v1/inspections/<uuid:inspection_id>/changes"): ALL,
    ("GET", "/api/v1/inspections/<uuid:inspection_id>/missing"): ALL,
    ("GET", "/api/v1/inspections/starting-points"): {A, I},
    ("GET", "/api/v1/inspections/<uuid:inspection_id>/report.pdf"): ALL,
    ("GET", "/api/v1/reports/district.zip"): {A, F},
    ("POST", "/api/v1/inspections/<uuid:inspection_id>/submit"): {A, I},
    ("POST", "/api/v1/inspections/<uuid:inspection_id>/approve"): {A, F},
    ("POST", "/api/v1/inspections/<uuid:inspection_id>/return"): {A, F},
    ("POST", "/api/v1/inspections/<uuid:inspection_id>/photos"): {A, I},
    ("GET", "/api/v1/photos/<uuid:photo_id>"): ALL,
    ("PATCH", "/api/v1/photos/<uuid:photo_id>"): {A, I},
    ("DELETE", "/api/v1/photos/<uuid:photo_id>"): {A, I},
    ("GET", "/api/v1/photos/<uuid:photo_id>/thumbnail"): ALL,
    ("GET", "/api/v1/applicants"): {A, O},
    ("POST", "/api/v1/applicants"): {A, O},
    ("GET", "/api/v1/applicants/<int:applicant_id>"): {A, O},
    ("PATCH", "/api/v1/applicants/<int:applicant_id>"): {A, O},
    ("DELETE", "/api/v1/applicants/<int:applicant_id>"): {A, O},
    ("GET", "/api/v1/applicants/<int:applicant_id>/matches"): {A, O},
    ("GET", "/api/v1/applicants/<int:applicant_id>/offers"): {A, O},
    ("POST", "/api/v1/applicants/<int:applicant_id>/offers"): {A, O},
    ("PATCH", "/api/v1/applicants/<int:applicant_id>/offers/<int:offer_id>"): {A, O},
    ("GET", "/api/v1/stats/portfolio"): ALL,
    ("GET", "/api/v1/stats/demand"): {A, O, F},
    ("GET", "/api/v1/units/<int:unit_id>/upgrade-options"): {A, O, F},
    ("GET", "/api/v1/feasibility-overrides"): {A, O, F},
    ("PUT", "/api/v1/feasibility-overrides"): {A, F},
    ("DELETE", "/api/v1/feasibility-overrides/<int:override_id>"): {A, F},
    ("POST", "/api/v1/planning/portfolio"): {A, F},
    ("POST", "/api/v1/planning/done"): {A, F},
    ("GET", "/api/v1/planning/scenarios"): {A, O, F},
    ("POST", "/api/v1/planning/scenarios"): {A, F},
    ("GET", "/api/v1/planning/scenarios/<int:scenario_id>"): {A, O, F},
    ("GET", "/api/v1/planning/scenarios/compare"): {A, O, F},
    ("GET", "/api/v1/webhooks/events"): {A},
    ("GET", "/api/v1/webhooks"): {A},
    ("POST", "/api/v1/webhooks"): {A},
    ("GET", "/api/v1/webhooks/<int:subscription_id>"): {A},
    ("PATCH", "/api/v1/webhooks/<int:subscription_id>"): {A},
    ("DELETE", "/api/v1/webhooks/<int:subscription_id>"): {A},
    ("POST", "/api/v1/webhooks/<int:subscription_id>/ping"): {A},
    ("GET", "/api/v1/webhooks/<int:subscription_id>/deliveries"): {A},
    ("GET", "/api/v1/webhooks/deliveries/<uuid:delivery_id>"): {A},
    ("POST", "/api/v1/webhooks/deliveries/<uuid:delivery_id>/resend"): {A},
}

# Values for parameters the world has no row for: allowed roles then get 404, which is fine.
PATH_VALUES = {
    "filename": "app.js",
    "name": "swagger-ui.css",
    "override_id": 1,
    "scenario_id": 1,
    "subscription_id": 1,
    "delivery_id": "00000000-0000-4000-8000-000000000000",
    "section_id": "bathroom",
    "number": 2,
}
_PARAM = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def routes(app) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def url_for_rule(rule: str, ids: dict) -> str:
    return _PARAM.sub(lambda m: str({**PATH_VALUES, **ids}[m.group(1)]), rule)


def test_the_table_names_every_route(app):
    missing = sorted(routes(app) - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes(app))
    assert not missing, f"routes without an entry in the authorization matrix: {missing}"
    assert not stale, f"entries for routes that no longer exist: {stale}"


def test_declared_roles_match_the_table(app):
    """The roles each view declares (Blueprint.auth_required) are the table's."""
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        view_class = getattr(view, "view_class", None)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            func = getattr(view_class, method.lower()) if view_class else view
            declared = getattr(func, "_auth_roles", PUBLIC)
            expected = MATRIX.get((method, rule.rule))
            if expected is None:
                continue  # reported by test_the_table_names_every_route
            if expected != PUBLIC:
                assert set(declared) == set(expected), f"{method} {rule.rule}: {declared}"
            else:
                assert declared == PUBLIC, f"{method} {rule.rule} is declared {declared}"


PROTECTED = sorted(k for k, v in MATRIX.items() if v != PUBLIC)


@pytest.mark.parametrize(("method", "rule"), PROTECTED, ids=[" ".join(k) for k in PROTECTED])
def test_status_per_role(app, client, as_role, method, rule):
    world = build_world(as_role)
    url = url_for_rule(rule, world.ids)
    allowed = MATRIX[(method, rule)]

    def call(who):
        return client.open(url, method=method, headers=world.headers(who), json={}, buffered=True)

    assert_problem(call(None), 401)
    assert_problem(call("revoked"), 401)
    for role in ROLES:
        if role not in allowed:
            assert_problem(call(role), 403)
    for role in sorted(allowed):
        response = call(role)
        assert response.status_code not in (401, 403), f"{role}: {response.get_data()}"
        assert response.status_code < 500, f"{role}: {response.get_data()}"


@pytest.mark.parametrize(("method", "rule"), sorted(k for k, v in MATRIX.items() if v == PUBLIC))
def test_public_routes_need_no_sign_in(app, client, method, rule):
    response = client.open(url_for_rule(rule, {}), method=method, json={}, buffered=True)
    assert response.status_code not in (401, 403, 500), response.get_data()
