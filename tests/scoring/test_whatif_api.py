"""The what-if endpoint gives exactly what the core gives, and names bad input."""

from app.checklists import services
from app.scoring import prepare, result_to_dict, score, validate_answers
from tests.helpers import assert_problem

URL = "/api/v1/checklists/uu-bolig/versions/1/score"

ANSWERS = [
    {"item_id": "entrance.door_clear_width_mm", "value": 780},
    {"item_id": "entrance.steps_count", "value": 3},
    {"item_id": "access.step_free_route", "value": False},
    {"item_id": "hearing.doorbell_visual_signal", "value": True},
    {"item_id": "balcony.step_free_access", "not_applicable": True},
]


def test_what_if_equals_the_core(as_role):
    body = {"answers": ANSWERS, "facts": {"floor": 3, "has_lift": False}}
    response = as_role("facility_manager").post(URL, json=body)
    assert response.status_code == 200, response.get_json()
    catalogue = services.catalogue()
    checklist = catalogue.checklists[("uu-bolig", 1)]
    prepared = prepare(checklist, catalogue.profiles, catalogue.measures, catalogue.limitations)
    expected = result_to_dict(
        score(prepared, validate_answers(checklist, ANSWERS), facts={"floor": 3, "has_lift": False})
    )
    assert response.get_json() == expected
    result = response.get_json()
    assert set(result) >= {"limitations", "profiles", "general"}
    wheelchair = result["limitations"]["wheelchair_manual"]
    assert {"score", "class", "coverage", "problem_score", "barriers"} <= set(wheelchair)
    assert wheelchair["class"] == "unknown"  # most of the checklist is unanswered
    assert any(b["item_id"] == "entrance.steps_count" for b in wheelchair["barriers"])


def test_ad_hoc_profile(as_role):
    body = {"answers": ANSWERS, "profiles": {"household": {"wheelchair_manual": 1, "deaf": 0.5}}}
    result = as_role("allocation_officer").post(URL, json=body).get_json()
    assert "household" in result["profiles"]


def test_bad_input_is_named(as_role):
    caller = as_role("inspector")
    body = assert_problem(
        caller.post(
            URL,
            json={
                "answers": [
                    {"item_id": "entrance.door_clear_width_mm", "value": 86},
                    {"item_id": "no.such_item", "value": True},
                    {"item_id": "access.step_free_route", "value": "ja"},
                ]
            },
        ),
        422,
    )
    assert set(body["errors"]["answers"]) == {"0", "1", "2"}
    profile = assert_problem(
        caller.post(URL, json={"answers": [], "profiles": {"x": {"flying": 1}}}), 422
    )
    assert "flying" in str(profile["errors"])
    feasibility = assert_problem(
        caller.post(URL, json={"answers": [], "feasibility": {"teleporter": True}}), 422
    )
    assert "teleporter" in str(feasibility["errors"])
    assert_problem(
        caller.post("/api/v1/checklists/uu-bolig/versions/7/score", json={"answers": []}), 404
    )
