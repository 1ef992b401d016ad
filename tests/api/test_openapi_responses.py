"""Every success answer the API sends is described in the OpenAPI document: a body has a
schema, a download names its media type, so a generated client knows what it gets. The
bodies views build themselves (documented, not serialised, by their schema) match it."""

import pytest
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from tests.factories import STEP_FREE_BARRIERS, assessed_unit, make_unit

NO_BODY = {"204", "304"}
# Downloads: the media type is the description; their bytes need no schema.
BINARY = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text/csv",
    "application/zip",
    "image/",
)
METHODS = {"get", "put", "post", "patch", "delete"}


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def _success_responses(spec):
    for name, operation in _operations(spec):
        for status, response in operation["responses"].items():
            if status.startswith("2") and status not in NO_BODY:
                if "$ref" in response:
                    response = spec["components"]["responses"][response["$ref"].rsplit("/")[-1]]
                yield f"{name} {status}", response


def _undescribed(response) -> bool:
    content = response.get("content") or {}
    if not content:
        return True
    return any(
        "schema" not in media and not media_type.startswith(BINARY)
        for media_type, media in content.items()
    )


@pytest.fixture
def spec(client):
    return client.get("/api/openapi.json").get_json()


def test_every_success_body_has_a_schema_or_a_binary_media_type(spec):
    missing = [name for name, response in _success_responses(spec) if _undescribed(response)]
    assert not missing, "\n".join(missing)


def test_the_check_sees_every_operation(spec):
    """The walk above must not pass by finding nothing."""
    assert sum(1 for _ in _success_responses(spec)) > 50


def assert_documented(spec, response, method: str, path: str):
    """The JSON body of `response` is valid against the schema the document gives for its
    status: no member missing that is required, none undocumented where the schema is closed,
    no null where none is allowed."""
    assert response.status_code in (200, 201), (path, response.get_json())
    answers = spec["paths"][path][method]["responses"]
    media = answers[str(response.status_code)]["content"]["application/json"]
    schema = {**media["schema"], "components": spec["components"]}
    validator = OAS30Validator(schema, format_checker=oas30_format_checker)
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in validator.iter_errors(response.get_json())
    ]
    assert not errors, f"{method.upper()} {path}\n" + "\n".join(errors)


def test_bodies_built_by_views_match_their_schemas(spec, as_role, make_user):
    inspector = make_user("inspector")
    door = assessed_unit(inspector, {"entrance.door_clear_width_mm": 700}, district="Idd")
    steps = assessed_unit(inspector, STEP_FREE_BARRIERS, district="Sentrum")
    unassessed = make_unit(district="Sentrum")
    admin = as_role("admin")

    def check(method: str, path: str, url: str, **kwargs):
        response = getattr(admin, method)(url, **kwargs)
        assert_documented(spec, response, method, path)
        return response.get_json()

    check(
        "get",
        "/api/v1/checklists/{key}/versions/{version}",
        "/api/v1/checklists/uu-bolig/versions/1",
    )
    for name in ("limitations", "profiles", "measures", "units/districts", "stats/portfolio"):
        check("get", f"/api/v1/{name}", f"/api/v1/{name}")
    accessibility = "/api/v1/units/{unit_id}/accessibility"
    for unit in (door, steps, unassessed):
        check("get", accessibility, f"/api/v1/units/{unit.id}/accessibility")
    upgrade = "/api/v1/units/{unit_id}/upgrade-options"
    for unit, key in ((door, "wheelchair_manual"), (steps, "wheelchair_manual"), (door, "deaf")):
        check("get", upgrade, f"/api/v1/units/{unit.id}/upgrade-options?profile={key}")
    answers = [
        {"item_id": "entrance.steps_count", "value": 3},
        {"item_id": "balcony.step_free_access", "not_applicable": True},
    ]
    score = "/api/v1/checklists/{key}/versions/{version}/score"
    check("post", score, "/api/v1/checklists/uu-bolig/versions/1/score", json={"answers": answers})

    household = {
        "case_reference": "2026/1001",
        "household": {"adults": 1},
        "needs": [{"limitation": "wheelchair_manual", "level": "required"}],
        "min_bedrooms": 1,
    }
    applicant = admin.post("/api/v1/applicants", json=household).get_json()
    matches = "/api/v1/applicants/{applicant_id}/matches"
    url = f"/api/v1/applicants/{applicant['id']}/matches?include_unassessed=true"
    assert check("get", matches, url)["not_assessed"]
    assert check("get", "/api/v1/stats/demand", "/api/v1/stats/demand")["needs"]

    plans = []
    for budget in (50_000, 5_000_000):
        request = {"budget": budget, "priorities": {"wheelchair_manual": 1}}
        body = {"name": f"Plan {budget}", "request": request}
        plans.append(admin.post("/api/v1/planning/scenarios", json=body).get_json()["id"])
    compare = "/api/v1/planning/scenarios/compare"
    check("get", compare, f"{compare}?a={plans[0]}&b={plans[1]}")

    done = {"unit_id": door.id, "measure_id": "entrance_door_widening"}
    follow_up = check("post", "/api/v1/planning/done", "/api/v1/planning/done", json=done)
    changes = "/api/v1/inspections/{inspection_id}/changes"
    url = f"/api/v1/inspections/{follow_up['follow_up_inspection_id']}/changes"
    assert check("get", changes, url)["changes"]
