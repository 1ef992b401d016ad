"""Reviewers' comments per item: sent with a returned inspection, stored, shown to its
inspector with the inspection; managers and administrators write them, nobody else."""

import pytest

from tests.factories import make_unit, passing_answers
from tests.helpers import assert_problem

DOOR = "entrance.door_clear_width_mm"
STEPS = "entrance.steps_count"


def submitted(inspector):
    unit = make_unit()
    iid = inspector.post(
        "/api/v1/inspections", json={"unit_id": unit.id, "checklist_version": 1}
    ).get_json()["id"]
    body = {"answers": passing_answers()}
    assert inspector.put(f"/api/v1/inspections/{iid}/answers", json=body).status_code == 200
    assert inspector.post(f"/api/v1/inspections/{iid}/submit").status_code == 200
    return iid


@pytest.mark.parametrize("role", ["facility_manager", "admin"])
def test_item_comments_go_back_to_the_inspector(inspector, as_role, role):
    iid = submitted(inspector)
    reviewer = as_role(role)
    comments = [
        {"item_id": DOOR, "text": "Mål døråpningen på nytt"},
        {"item_id": STEPS, "text": "Ta bilde"},
    ]
    returned = reviewer.post(f"/api/v1/inspections/{iid}/return", json={"item_comments": comments})
    assert returned.status_code == 200, returned.get_json()
    assert returned.get_json()["status"] == "draft"
    seen = inspector.get(f"/api/v1/inspections/{iid}").get_json()
    by_item = {c["item_id"]: c for c in seen["item_comments"]}
    assert by_item[DOOR]["text"] == "Mål døråpningen på nytt"
    assert by_item[STEPS]["author_id"] == reviewer.user.id
    # Resubmitted and returned again: the new round replaces the old comments.
    assert inspector.post(f"/api/v1/inspections/{iid}/submit").status_code == 200
    again = [{"item_id": STEPS, "text": "Fortsatt uklart"}]
    body = {"comment": "Se punktet om trinn", "item_comments": again}
    reviewer.post(f"/api/v1/inspections/{iid}/return", json=body)
    seen = inspector.get(f"/api/v1/inspections/{iid}").get_json()
    assert [(c["item_id"], c["text"]) for c in seen["item_comments"]] == [
        (STEPS, "Fortsatt uklart")
    ]
    assert seen["return_comment"] == "Se punktet om trinn"


def test_bad_comments_are_refused_whole(inspector, as_role):
    iid = submitted(inspector)
    manager = as_role("facility_manager")
    url = f"/api/v1/inspections/{iid}/return"
    problem = assert_problem(manager.post(url, json={}), 422)
    assert "comment" in problem["errors"]
    bad = [{"item_id": DOOR, "text": "ok"}, {"item_id": "no.such_item", "text": "?"}]
    problem = assert_problem(manager.post(url, json={"item_comments": bad}), 422)
    assert "1" in problem["errors"]["item_comments"]
    twice = [{"item_id": DOOR, "text": "a"}, {"item_id": DOOR, "text": "b"}]
    assert_problem(manager.post(url, json={"item_comments": twice}), 422)
    empty = [{"item_id": DOOR, "text": ""}]
    assert_problem(manager.post(url, json={"item_comments": empty}), 422)
    seen = inspector.get(f"/api/v1/inspections/{iid}").get_json()
    assert seen["status"] == "submitted" and seen["item_comments"] == []


@pytest.mark.parametrize("role", ["inspector", "allocation_officer"])
def test_only_reviewers_write_comments(inspector, as_role, role):
    iid = submitted(inspector)
    caller = inspector if role == "inspector" else as_role(role)
    body = {"item_comments": [{"item_id": DOOR, "text": "Nei"}]}
    assert_problem(caller.post(f"/api/v1/inspections/{iid}/return", json=body), 403)


def test_other_inspectors_do_not_see_the_comments(inspector, as_role):
    iid = submitted(inspector)
    body = {"item_comments": [{"item_id": DOOR, "text": "Mål igjen"}]}
    as_role("facility_manager").post(f"/api/v1/inspections/{iid}/return", json=body)
    assert_problem(as_role("inspector").get(f"/api/v1/inspections/{iid}"), 404)
