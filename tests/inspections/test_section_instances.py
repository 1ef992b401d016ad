"""Repeated sections over the API: a dwelling with two bathrooms is answered per bathroom
(instance), instances are created, renamed and deleted one by one, and everything the answer
batch does (If-Match, history, replays, whole-batch refusal) works per item and instance."""

import io
import uuid

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.inspections.models import AnswerChange, ItemComment, SectionInstance
from app.inspections.photos.models import Photo
from tests.factories import jpeg_bytes, make_unit, passing_answers
from tests.helpers import assert_problem
from tests.inspections.repeated_checklist import VERSION, publish_repeated_bathroom

SHOWER = "bathroom.step_free_shower"
WC = "bathroom.wc_height_mm"
LEVEL = "entrance.level_area_outside"  # in a section that does not repeat


@pytest.fixture
def checklist(app, tmp_path):
    return publish_repeated_bathroom(app, tmp_path)


def start(caller, unit, **body):
    response = caller.post(
        "/api/v1/inspections", json={"unit_id": unit.id, "checklist_version": VERSION, **body}
    )
    assert response.status_code == 201, response.get_json()
    return response


def put_answers(caller, iid, answers, **kw):
    return caller.put(f"/api/v1/inspections/{iid}/answers", json={"answers": answers}, **kw)


def instance_url(iid, number, section="bathroom"):
    return f"/api/v1/inspections/{iid}/sections/{section}/instances/{number}"


def detail(caller, iid):
    return caller.get(f"/api/v1/inspections/{iid}").get_json()


def upload_on(caller, iid, item_id, instance, data=None):
    """Upload a photo of one item's instance."""
    form = {
        "id": str(uuid.uuid4()),
        "item_id": item_id,
        "instance": str(instance),
        "file": (io.BytesIO(data or jpeg_bytes()), "bilde.jpg"),
    }
    url = f"/api/v1/inspections/{iid}/photos"
    return caller.post(url, data=form, content_type="multipart/form-data")


def by_instance(body) -> dict:
    return {(a["item_id"], a["instance"]): a for a in body["answers"]}


def listed(body, section="bathroom"):
    return [(i["number"], i["label"], i["position"]) for i in body["instances"][section]]


def test_two_bathrooms_are_answered_each_on_its_own(app, checklist, inspector):
    created = start(inspector, make_unit(bathrooms=2)).get_json()
    iid = created["id"]
    assert listed(created) == [(1, "Bad 1", 1), (2, "Bad 2", 2)]
    assert set(created["instances"]) == {"bathroom"}  # every repeated section, and only those
    response = put_answers(
        inspector,
        iid,
        [
            {"item_id": SHOWER, "instance": 1, "value": True},
            {"item_id": SHOWER, "instance": 2, "value": False, "note": "Badekar"},
            {"item_id": WC, "value": 470},  # no instance: instance 1, as older phones send
            {"item_id": LEVEL, "value": True},
        ],
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["outcomes"] == [
        {"item_id": SHOWER, "instance": 1, "outcome": "saved"},
        {"item_id": SHOWER, "instance": 2, "outcome": "saved"},
        {"item_id": WC, "instance": 1, "outcome": "saved"},
        {"item_id": LEVEL, "outcome": "saved"},  # outside repeated sections: as before
    ]
    answers = by_instance(detail(inspector, iid))
    assert answers[(SHOWER, 1)]["value"] is True
    assert answers[(SHOWER, 2)]["value"] is False and answers[(SHOWER, 2)]["note"] == "Badekar"
    assert answers[(WC, 1)]["value"] == 470 and (WC, 2) not in answers
    assert answers[(LEVEL, 1)]["instance"] == 1


def test_replays_and_history_are_per_instance(app, checklist, inspector):
    iid = start(inspector, make_unit(bathrooms=2)).get_json()["id"]
    late = [
        {"item_id": SHOWER, "instance": 2, "value": False, "answered_at": "2026-12-08T10:05:00Z"}
    ]
    early = [
        {"item_id": SHOWER, "instance": 2, "value": True, "answered_at": "2026-12-08T10:00:00Z"},
        {"item_id": SHOWER, "instance": 1, "value": True, "answered_at": "2026-12-08T10:00:00Z"},
    ]
    for _ in range(3):
        assert put_answers(inspector, iid, late).status_code == 200
    outcomes = put_answers(inspector, iid, early).get_json()["outcomes"]
    assert [o["outcome"] for o in outcomes] == ["stale", "saved"]  # instance 1 is another answer
    answers = by_instance(detail(inspector, iid))
    assert answers[(SHOWER, 2)]["value"] is False and answers[(SHOWER, 1)]["value"] is True
    history = db.session.scalars(
        select(AnswerChange).where(AnswerChange.item_id == SHOWER).order_by(AnswerChange.id)
    ).all()
    assert [(c.instance, c.old, c.new["value"]) for c in history] == [
        (2, None, False),
        (1, None, True),
    ]


def test_if_match_refuses_a_stale_batch_whatever_instance_changed(app, checklist, inspector):
    created = start(inspector, make_unit(bathrooms=2))
    iid, etag = created.get_json()["id"], created.headers["ETag"]
    first = put_answers(
        inspector,
        iid,
        [{"item_id": SHOWER, "instance": 2, "value": False}],
        headers={"If-Match": etag},
    )
    assert first.status_code == 200 and first.headers["ETag"] != etag
    stale = put_answers(
        inspector,
        iid,
        [{"item_id": SHOWER, "instance": 1, "value": True}],
        headers={"If-Match": etag},
    )
    body = assert_problem(stale, 412)
    current = {(a["item_id"], a["instance"]): a["value"] for a in body["current"]["answers"]}
    assert current[(SHOWER, 2)] is False and (SHOWER, 1) not in current
    again = put_answers(
        inspector,
        iid,
        [{"item_id": SHOWER, "instance": 1, "value": True}],
        headers={"If-Match": first.headers["ETag"]},
    )
    assert again.status_code == 200


def test_an_instance_the_inspection_lacks_refuses_the_whole_batch(app, checklist, inspector):
    iid = start(inspector, make_unit(bathrooms=2)).get_json()["id"]
    batch = [
        {"item_id": SHOWER, "instance": 1, "value": True},
        {"item_id": LEVEL, "instance": 2, "value": True},
        {"item_id": SHOWER, "instance": 3, "value": True},
        {"item_id": SHOWER, "instance": 2, "value": True},
        {"item_id": SHOWER, "instance": 2, "value": False},
    ]
    body = assert_problem(put_answers(inspector, iid, batch), 422)
    errors = body["errors"]["answers"]
    assert set(errors) == {"1", "2", "4"}
    assert LEVEL in errors["1"]["instance"][0] and "instans 1, ikke 2" in errors["1"]["instance"][0]
    assert errors["2"]["instance"] == [
        f"Punktet {SHOWER}: seksjonen «Bad og WC» har ingen instans 3."
    ]
    assert errors["4"]["item_id"] == [f"Punktet {SHOWER} (instans 2) er med to ganger"]
    assert "ingen svar er lagret" in body["detail"]
    written = detail(inspector, iid)["answers"]
    assert {a["source"] for a in written} == {"register"}  # nothing half-written
    zero = put_answers(inspector, iid, [{"item_id": SHOWER, "instance": 0, "value": True}])
    assert "instance" in assert_problem(zero, 422)["errors"]["answers"]["0"]


def test_instances_are_created_renamed_and_replayed(app, checklist, inspector):
    created = start(inspector, make_unit(bathrooms=None))
    iid = created.get_json()["id"]
    assert listed(created.get_json()) == [(1, "Bad 1", 1)]  # no rows: the one implicit instance
    assert db.session.scalars(select(SectionInstance)).all() == []
    made = inspector.put(instance_url(iid, 2), json={"label": "  Bad ved soverom ", "position": 0})
    assert made.status_code == 201, made.get_json()
    assert listed(made.get_json()) == [(2, "Bad ved soverom", 0), (1, "Bad 1", 1)]
    replay = inspector.put(instance_url(iid, 2), json={"label": "Bad ved soverom", "position": 0})
    assert replay.status_code == 200 and replay.headers["ETag"] == made.headers["ETag"]
    renamed = inspector.put(
        instance_url(iid, 2),
        json={"label": "Gjestebad", "position": 5},
        headers={"If-Match": made.headers["ETag"]},
    )
    assert renamed.status_code == 200 and renamed.headers["ETag"] != made.headers["ETag"]
    assert listed(renamed.get_json()) == [(1, "Bad 1", 1), (2, "Gjestebad", 5)]
    stale = inspector.put(
        instance_url(iid, 3),
        json={"label": "Bad 3", "position": 6},
        headers={"If-Match": made.headers["ETag"]},
    )
    assert assert_problem(stale, 412)["current"]["instances"]["bathroom"][1]["label"] == "Gjestebad"
    answered = put_answers(inspector, iid, [{"item_id": SHOWER, "instance": 2, "value": True}])
    assert answered.status_code == 200
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == iid).order_by(AuditEvent.id)
    ).all()
    assert actions.count("inspection.instance_created") == 1
    assert actions.count("inspection.instance_changed") == 1


@pytest.mark.parametrize(
    ("url", "body", "status", "field"),
    [
        ("bathroom/instances/5", {"label": "Bad 5", "position": 5}, 422, "number"),
        ("bathroom/instances/0", {"label": "Bad 0", "position": 0}, 422, "number"),
        ("kitchen/instances/2", {"label": "Kjøkken 2", "position": 2}, 422, "section_id"),
        ("garage/instances/1", {"label": "Garasje", "position": 1}, 404, None),
        ("bathroom/instances/2", {"label": "   ", "position": 2}, 422, "label"),
        ("bathroom/instances/2", {"label": "x" * 61, "position": 2}, 422, "label"),
        ("bathroom/instances/2", {"label": "Bad 2"}, 422, "position"),
        ("bathroom/instances/2", {"label": "Bad 2", "position": -1}, 422, "position"),
    ],
)
def test_wrong_instances_are_refused(app, checklist, inspector, url, body, status, field):
    iid = start(inspector, make_unit(bathrooms=1)).get_json()["id"]
    problem = assert_problem(
        inspector.put(f"/api/v1/inspections/{iid}/sections/{url}", json=body), status
    )
    if field:
        assert field in problem["errors"]
    assert listed(detail(inspector, iid)) == [(1, "Bad 1", 1)]


def test_only_the_inspector_and_admins_change_instances_of_a_draft(
    app, checklist, inspector, as_role
):
    iid = start(inspector, make_unit(bathrooms=2)).get_json()["id"]
    body = {"label": "Bad 3", "position": 3}
    assert_problem(as_role("inspector").put(instance_url(iid, 3), json=body), 404)
    for role in ("facility_manager", "allocation_officer"):
        assert_problem(as_role(role).put(instance_url(iid, 3), json=body), 403)
        assert_problem(as_role(role).delete(instance_url(iid, 2)), 403)
    assert as_role("admin").put(instance_url(iid, 3), json=body).status_code == 201
    answers = passing_answers(checklist)
    assert put_answers(inspector, iid, answers).status_code == 200
    for number in (2, 3):
        extra = [{**a, "instance": number} for a in answers if a["item_id"].startswith("bathroom.")]
        assert put_answers(inspector, iid, extra).status_code == 200
    assert inspector.post(f"/api/v1/inspections/{iid}/submit").status_code == 200
    assert_problem(inspector.put(instance_url(iid, 4), json=body), 409)
    assert_problem(inspector.delete(instance_url(iid, 3)), 409)


def test_deleting_an_instance_takes_its_answers_comments_and_photos(app, checklist, inspector):
    iid = start(inspector, make_unit(bathrooms=3)).get_json()["id"]
    put_answers(
        inspector,
        iid,
        [
            {"item_id": SHOWER, "instance": 1, "value": True},
            {"item_id": SHOWER, "instance": 2, "value": False},
            {"item_id": WC, "instance": 2, "value": 420},
            {"item_id": SHOWER, "instance": 3, "value": True},
        ],
    )
    photo = upload_on(inspector, iid, SHOWER, 2)
    assert photo.status_code == 201 and photo.get_json()["instance"] == 2
    comment = ItemComment(inspection_id=uuid.UUID(iid), item_id=SHOWER, instance=2, text="Mål")
    db.session.add(comment)
    db.session.commit()

    deleted = inspector.delete(instance_url(iid, 2))
    assert deleted.status_code == 200, deleted.get_json()
    body = deleted.get_json()
    assert listed(body) == [(1, "Bad 1", 1), (3, "Bad 3", 3)]
    assert {k for k in by_instance(body) if k[0].startswith("bathroom.")} == {
        (SHOWER, 1),
        (SHOWER, 3),
    }
    assert body["photos"] == [] and body["item_comments"] == []
    assert db.session.scalars(select(Photo)).all() == []
    ends = db.session.scalars(select(AnswerChange).where(AnswerChange.instance == 2)).all()
    assert {(c.item_id, c.old["value"]) for c in ends if c.new.get("deleted")} == {
        (SHOWER, False),
        (WC, 420),
    }

    again = inspector.delete(instance_url(iid, 2))
    assert again.status_code == 200 and again.headers["ETag"] == deleted.headers["ETag"]
    reused = assert_problem(
        inspector.put(instance_url(iid, 2), json={"label": "Bad 2", "position": 2}), 409
    )
    assert reused["next_number"] == 4 and reused["number"] == 2
    refused = assert_problem(
        put_answers(inspector, iid, [{"item_id": SHOWER, "instance": 2, "value": True}]), 422
    )
    assert "ingen instans 2" in refused["errors"]["answers"]["0"]["instance"][0]
    assert_problem(inspector.delete(instance_url(iid, 4)), 404)
    assert inspector.delete(instance_url(iid, 1)).status_code == 200
    last = assert_problem(inspector.delete(instance_url(iid, 3)), 409)
    assert "minst 1 instans" in last["detail"] and last["section_id"] == "bathroom"
    assert listed(detail(inspector, iid)) == [(3, "Bad 3", 3)]
    assert db.session.scalars(
        select(AuditEvent.details).where(AuditEvent.action == "inspection.instance_deleted")
    ).all()[0] == {"section_id": "bathroom", "number": 2, "answers": 2, "comments": 1}


def test_the_implicit_instance_is_never_deleted(app, checklist, inspector):
    iid = start(inspector, make_unit(bathrooms=None)).get_json()["id"]
    assert_problem(inspector.delete(instance_url(iid, 1)), 409)
    assert_problem(inspector.delete(instance_url(iid, 2)), 404)
    assert_problem(inspector.delete(instance_url(iid, 1, section="kitchen")), 422)


def test_reviewers_comment_on_one_instance(app, checklist, inspector, as_role):
    iid = start(inspector, make_unit(bathrooms=2)).get_json()["id"]
    answers = passing_answers(checklist)
    extra = [{**a, "instance": 2} for a in answers if a["item_id"].startswith("bathroom.")]
    assert put_answers(inspector, iid, answers + extra).status_code == 200
    assert inspector.post(f"/api/v1/inspections/{iid}/submit").status_code == 200
    manager = as_role("facility_manager")
    url = f"/api/v1/inspections/{iid}/return"
    wrong = [{"item_id": SHOWER, "instance": 3, "text": "Hvilket bad?"}]
    problem = assert_problem(manager.post(url, json={"item_comments": wrong}), 422)
    assert "ingen instans 3" in problem["errors"]["item_comments"]["0"]["instance"][0]
    comments = [
        {"item_id": SHOWER, "instance": 2, "text": "Mål kanten i bad 2"},
        {"item_id": SHOWER, "text": "Ta bilde"},
    ]
    returned = manager.post(url, json={"item_comments": comments})
    assert returned.status_code == 200, returned.get_json()
    seen = {
        (c["item_id"], c["instance"]): c["text"] for c in detail(inspector, iid)["item_comments"]
    }
    assert seen == {(SHOWER, 1): "Ta bilde", (SHOWER, 2): "Mål kanten i bad 2"}
