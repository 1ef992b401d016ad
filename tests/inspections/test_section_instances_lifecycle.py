"""Repeated sections through an inspection's life: instances prefilled from the register's
bathrooms, photos and the submit checks per instance, scoring unchanged for instance 1, and a
re-inspection that carries instances and answers by instance and names them in its changes."""

import io
import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.inspections import services
from app.inspections.models import Inspection, SectionInstance
from app.inspections.photos.models import Photo
from app.scoring.inputs import answers_of
from app.units.models import Unit
from tests.factories import jpeg_bytes, make_unit, passing_answers, with_values
from tests.helpers import assert_problem
from tests.inspections.repeated_checklist import VERSION, publish_repeated_bathroom

SHOWER = "bathroom.step_free_shower"
WC = "bathroom.wc_height_mm"
LEVEL = "entrance.level_area_outside"


@pytest.fixture
def checklist(app, tmp_path):
    return publish_repeated_bathroom(app, tmp_path)


def start(caller, unit, **body):
    body = {"unit_id": unit.id, "checklist_version": VERSION, **body}
    response = caller.post("/api/v1/inspections", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def put_answers(caller, iid, answers):
    response = caller.put(f"/api/v1/inspections/{iid}/answers", json={"answers": answers})
    assert response.status_code == 200, response.get_json()
    return response


def bathroom_answers(checklist, number, **changes):
    """Passing answers for the bathroom items of one instance, with `changes` by item id."""
    answers = [a for a in passing_answers(checklist) if a["item_id"].startswith("bathroom.")]
    return [{**a, "instance": number} for a in with_values(answers, **changes)]


def upload_on(caller, iid, item_id, instance, data=None):
    form = {
        "id": str(uuid.uuid4()),
        "file": (io.BytesIO(data or jpeg_bytes()), "bilde.jpg"),
        "instance": str(instance),
    }
    if item_id:
        form["item_id"] = item_id
    url = f"/api/v1/inspections/{iid}/photos"
    return caller.post(url, data=form, content_type="multipart/form-data")


def listed(body, section="bathroom"):
    return [(i["number"], i["label"]) for i in body["instances"][section]]


def missing(caller, iid):
    return caller.get(f"/api/v1/inspections/{iid}/missing").get_json()["missing"]


@pytest.mark.parametrize(
    ("bathrooms", "expected", "rows"),
    [(None, 1, 0), (0, 1, 1), (1, 1, 1), (3, 3, 3), (9, 4, 4)],
)
def test_instances_are_prefilled_from_the_units_bathrooms(
    app, checklist, inspector, bathrooms, expected, rows
):
    body = start(inspector, make_unit(bathrooms=bathrooms))
    assert listed(body) == [(n, f"Bad {n}") for n in range(1, expected + 1)]
    stored = db.session.scalars(
        select(SectionInstance).where(SectionInstance.inspection_id == uuid.UUID(body["id"]))
    ).all()
    assert len(stored) == rows  # a unit with no count keeps the one implicit instance


def test_starting_points_show_the_instances_an_inspection_starts_with(app, checklist, inspector):
    unit = make_unit(bathrooms=2)
    url = f"/api/v1/inspections/starting-points?unit_id={unit.id}"
    point = inspector.get(url).get_json()[0]
    assert point["checklist_version"] == VERSION
    assert point["instances"] == {
        "bathroom": [
            {"number": 1, "label": "Bad 1", "position": 1},
            {"number": 2, "label": "Bad 2", "position": 2},
        ]
    }


def test_submit_checks_every_instance_photos_included(app, checklist, inspector):
    iid = start(inspector, make_unit(bathrooms=2))["id"]
    put_answers(inspector, iid, passing_answers(checklist))
    first = missing(inspector, iid)
    assert set(first) == {"bathroom"}
    assert {(m["instance"], m["reason"]) for m in first["bathroom"]} == {(2, "unanswered")}
    assert len(first["bathroom"]) == len(bathroom_answers(checklist, 2))

    put_answers(inspector, iid, bathroom_answers(checklist, 2, **{SHOWER: False}))
    photo = {"item_id": SHOWER, "instance": 2, "reason": "photo_required"}
    assert missing(inspector, iid) == {"bathroom": [photo]}
    body = assert_problem(inspector.post(f"/api/v1/inspections/{iid}/submit"), 422)
    assert body["missing"] == {"bathroom": [photo]}

    on_first = upload_on(inspector, iid, SHOWER, 1)
    assert on_first.status_code == 201 and on_first.get_json()["instance"] == 1
    assert missing(inspector, iid) == {"bathroom": [photo]}  # the other bathroom's photo
    same_bytes = upload_on(inspector, iid, SHOWER, 2)  # the same picture, on bathroom 2
    assert same_bytes.status_code == 201, same_bytes.get_json()
    shown = same_bytes.get_json()
    assert (shown["item_id"], shown["instance"]) == (SHOWER, 2)
    rows = db.session.scalars(select(Photo).order_by(Photo.instance)).all()
    assert [p.instance for p in rows] == [1, 2] and rows[0].display_key == rows[1].display_key
    assert missing(inspector, iid) == {}
    assert inspector.post(f"/api/v1/inspections/{iid}/submit").status_code == 200


def test_photos_name_an_instance_the_inspection_has(app, checklist, inspector):
    iid = start(inspector, make_unit(bathrooms=2))["id"]
    for item_id, instance, field in [
        (SHOWER, 3, "instance"),
        (LEVEL, 2, "instance"),
        (None, 2, "instance"),
        ("bathroom.sauna", 1, "item_id"),
    ]:
        problem = assert_problem(upload_on(inspector, iid, item_id, instance), 422)
        assert field in problem["errors"]
    assert db.session.scalars(select(Photo)).all() == []
    general = upload_on(inspector, iid, None, 1)
    assert general.status_code == 201 and general.get_json()["instance"] == 1


def test_scoring_reads_instance_one_as_before(app, checklist, inspector):
    iid = start(inspector, make_unit(bathrooms=2))["id"]
    put_answers(inspector, iid, passing_answers(checklist))
    put_answers(inspector, iid, bathroom_answers(checklist, 2, **{SHOWER: False, WC: 300}))
    inspection = db.session.get(Inspection, uuid.UUID(iid))
    db.session.expire_all()
    assert {a.instance for a in inspection.answers} == {1}
    result = services.score_inspection(inspection)
    assert SHOWER not in {b.item_id for b in result.barriers}

    grouped = services.answers_by_instance(inspection)
    assert grouped.single == {a.item_id: a for a in inspection.answers}
    assert answers_of(grouped.single.values()) == answers_of(inspection.answers)
    assert list(grouped.repeated) == ["bathroom"]
    (n1, label1, first), (n2, label2, second) = grouped.repeated["bathroom"]
    assert (n1, label1, n2, label2) == (1, "Bad 1", 2, "Bad 2")
    assert first[SHOWER].value is True and second[SHOWER].value is False
    assert second[WC].value == 300 and set(first) == set(second)
    assert LEVEL not in first and LEVEL in grouped.single


def test_a_reinspection_carries_instances_and_answers_by_instance(
    app, checklist, inspector, manager, as_role
):
    unit = make_unit(bathrooms=2)
    first = start(inspector, unit)["id"]
    url = f"/api/v1/inspections/{first}/sections/bathroom/instances/2"
    renamed = inspector.put(url, json={"label": "Bad ved soverom", "position": 2})
    assert renamed.status_code == 200
    put_answers(inspector, first, passing_answers(checklist))
    put_answers(inspector, first, bathroom_answers(checklist, 2, **{SHOWER: False}))
    assert upload_on(inspector, first, SHOWER, 2).status_code == 201
    assert inspector.post(f"/api/v1/inspections/{first}/submit").status_code == 200
    assert manager.post(f"/api/v1/inspections/{first}/approve").status_code == 200
    # The assessment reads bathroom 1 only (scoring of instances is not wired yet).
    officer = as_role("allocation_officer")
    result = officer.get(f"/api/v1/units/{unit.id}/accessibility").get_json()
    barriers = {b["item_id"] for b in result["limitations"]["wheelchair_manual"]["barriers"]}
    assert SHOWER not in barriers

    db.session.get(Unit, unit.id).bathrooms = 3  # the register changed: the carried count wins
    db.session.commit()
    second = start(inspector, unit)
    assert second["previous_id"] == first
    assert listed(second) == [(1, "Bad 1"), (2, "Bad ved soverom")]
    answers = {(a["item_id"], a["instance"]): a for a in second["answers"]}
    assert answers[(SHOWER, 2)]["value"] is False and answers[(SHOWER, 2)]["carried_over"]
    assert answers[(SHOWER, 1)]["value"] is True and answers[(SHOWER, 1)]["source"] == "carried"
    previous = {(a["item_id"], a["instance"]): a["value"] for a in second["previous_answers"]}
    assert previous[(SHOWER, 2)] is False

    put_answers(inspector, second["id"], [{"item_id": SHOWER, "instance": 2, "value": True}])
    changes = inspector.get(f"/api/v1/inspections/{second['id']}/changes").get_json()["changes"]
    shower = [c for c in changes if c["item_id"] == SHOWER]
    assert shower == [
        {
            "item_id": SHOWER,
            "instance": 1,
            "previous": {"value": True, "not_applicable": False},
            "current": {"value": True, "not_applicable": False},
            "carried_over": True,
        },
        {
            "item_id": SHOWER,
            "instance": 2,
            "previous": {"value": False, "not_applicable": False},
            "current": {"value": True, "not_applicable": False},
            "carried_over": False,
        },
    ]
    unconfirmed = missing(inspector, second["id"])["bathroom"]
    assert {"item_id": WC, "instance": 2, "reason": "carried_over"} in unconfirmed


def test_without_carry_over_a_reinspection_is_prefilled(app, checklist, inspector, manager):
    unit = make_unit(bathrooms=1)
    first = start(inspector, unit)["id"]
    put_answers(inspector, first, passing_answers(checklist))
    assert inspector.post(f"/api/v1/inspections/{first}/submit").status_code == 200
    assert manager.post(f"/api/v1/inspections/{first}/approve").status_code == 200
    db.session.get(Unit, unit.id).bathrooms = 2
    db.session.commit()
    fresh = start(inspector, unit, carry_over=False)
    assert listed(fresh) == [(1, "Bad 1"), (2, "Bad 2")]
    assert not [a for a in fresh["answers"] if a["source"] == "carried"]


def test_a_version_without_repeats_keeps_one_answer_per_item(app, checklist, inspector):
    """Inspections of the shipped versions: no instances listed, answers are instance 1."""
    body = inspector.post(
        "/api/v1/inspections", json={"unit_id": make_unit(bathrooms=2).id, "checklist_version": 2}
    ).get_json()
    assert body["instances"] == {}
    assert {a["instance"] for a in body["answers"]} == {1}


def test_the_register_keeps_bathrooms_from_the_api_and_the_import(app, as_role):
    manager = as_role("facility_manager")
    unit = make_unit()
    response = manager.patch(f"/api/v1/units/{unit.id}", json={"bathrooms": 2})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["bathrooms"] == 2
    problem = assert_problem(manager.patch(f"/api/v1/units/{unit.id}", json={"bathrooms": 11}), 422)
    assert "bathrooms" in problem["errors"]

    header = "FDV-id;Adresse;Postnr;Poststed;Bydel;Bruksenhetsnummer;Soverom;Bad\n"
    rows = (
        "E1;Storgata 1;1771;Halden;Sentrum;H0101;2;2\nE2;Storgata 1;1771;Halden;Sentrum;H0201;1;\n"
    )
    imported = _import(manager, header + rows)
    assert imported.status_code == 200, imported.get_json()
    found = {u.external_id: u.bathrooms for u in db.session.scalars(select(Unit))}
    assert found["E1"] == 2 and found["E2"] is None
    wrong = _import(manager, header + "E3;Storgata 1;1771;Halden;Sentrum;H0301;1;12\n")
    report = assert_problem(wrong, 422)["report"]
    assert any("antall bad" in p["message"] for p in report["problems"])


def _import(caller, text):
    data = {"file": (io.BytesIO(text.encode("cp1252")), "eksport.csv")}
    return caller.post("/api/v1/units/import", data=data, content_type="multipart/form-data")
