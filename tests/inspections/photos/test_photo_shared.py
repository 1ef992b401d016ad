"""The same image file attached to two items: stored once, linked to both, each item's photo
its own (deletable, captioned), and a submit that needs both photos succeeds."""

import uuid

from sqlalchemy import func, select

from app.extensions import db
from app.inspections.photos.models import Photo
from tests.factories import jpeg_bytes, passing_answers, upload_photo, with_values
from tests.helpers import assert_problem
from tests.inspections.photos.photo_files import stored_files

ROUTE = "access.step_free_route"
WIDTH = "entrance.door_clear_width_mm"


def rows() -> int:
    return db.session.scalar(select(func.count()).select_from(Photo))


def test_same_bytes_on_two_items_are_linked_to_both_and_stored_once(app, inspector, inspection):
    data = jpeg_bytes((10, 90, 200))
    first = upload_photo(inspector, inspection, ROUTE, data)
    second = upload_photo(inspector, inspection, WIDTH, data)
    assert first.status_code == 201 and second.status_code == 201, second.get_json()
    assert first.get_json()["item_id"] == ROUTE
    assert second.get_json()["item_id"] == WIDTH  # the answer says which item it is on
    assert second.get_json()["id"] != first.get_json()["id"]
    assert rows() == 2 and len(stored_files(app)) == 2  # display + thumbnail, once
    detail = inspector.get(f"/api/v1/inspections/{inspection}").get_json()
    assert sorted(p["item_id"] for p in detail["photos"]) == sorted([ROUTE, WIDTH])
    with inspector.get(second.get_json()["thumbnail_url"]) as served:
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
    # the same bytes on the same item again: the existing photo, nothing new
    again = upload_photo(inspector, inspection, WIDTH, data, photo_id=uuid.uuid4())
    assert again.status_code == 200 and again.get_json()["id"] == second.get_json()["id"]
    assert rows() == 2


def test_submit_needs_and_accepts_one_file_on_two_barriers(app, inspector, inspection):
    answers = with_values(passing_answers(), **{ROUTE: False, "access.route_surface_firm": False})
    assert (
        inspector.put(
            f"/api/v1/inspections/{inspection}/answers", json={"answers": answers}
        ).status_code
        == 200
    )
    refused = assert_problem(inspector.post(f"/api/v1/inspections/{inspection}/submit"), 422)
    needing = {m["item_id"] for items in refused["missing"].values() for m in items}
    assert needing == {ROUTE, "access.route_surface_firm"}
    data = jpeg_bytes((200, 200, 10))
    for item_id in needing:
        assert upload_photo(inspector, inspection, item_id, data).status_code == 201
    submitted = inspector.post(f"/api/v1/inspections/{inspection}/submit")
    assert submitted.status_code == 200, submitted.get_json()


def test_deleting_one_items_photo_keeps_the_shared_files(app, inspector, inspection):
    data = jpeg_bytes((120, 10, 10))
    first = upload_photo(inspector, inspection, ROUTE, data).get_json()
    second = upload_photo(inspector, inspection, WIDTH, data).get_json()
    assert inspector.delete(first["url"]).status_code == 204
    assert len(stored_files(app)) == 2
    with inspector.get(second["url"]) as served:
        assert served.status_code == 200
    assert inspector.delete(second["url"]).status_code == 204
    assert stored_files(app) == []  # the last one takes the files with it


def test_caption_is_set_on_a_draft_only(app, inspector, inspection):
    photo = upload_photo(inspector, inspection, ROUTE, jpeg_bytes()).get_json()
    changed = inspector.patch(photo["url"], json={"caption": "Kant ved porten"})
    assert changed.status_code == 200 and changed.get_json()["caption"] == "Kant ved porten"
    assert_problem(inspector.patch(photo["url"], json={"caption": "x" * 501}), 422)
    assert_problem(inspector.patch(photo["url"], json={}), 422)
    cleared = inspector.patch(photo["url"], json={"caption": None})
    assert cleared.get_json()["caption"] is None
