"""Photo upload and serving over the API, with real image files."""

import io
import uuid
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from app.inspections.photos.models import Photo
from tests.factories import make_unit, upload_photo
from tests.helpers import assert_problem
from tests.inspections.photos.photo_files import (
    camera_exif,
    heic_bytes,
    jpeg_bytes,
    png_header_only,
    stored_files,
    two_halves,
)

ITEM = "entrance.door_clear_width_mm"


def phone_photo() -> bytes:
    """A 4032x3024 JPEG stored sideways with EXIF orientation 6 and GPS tags."""
    img = two_halves((4032, 3024), (220, 20, 20), (20, 20, 220))
    return jpeg_bytes(img, exif=camera_exif(6), quality=85)


def test_phone_photo_is_upright_small_and_stripped(app, inspector, inspection):
    response = upload_photo(inspector, inspection, ITEM, phone_photo())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["item_id"] == ITEM
    assert max(body["width"], body["height"]) <= 2048
    with inspector.get(body["url"]) as served:
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        assert served.headers["Cache-Control"] == "private, no-store" and served.headers["ETag"]
        data = served.data
    img = Image.open(io.BytesIO(data))
    assert img.height > img.width  # rotated upright by the EXIF orientation
    assert not img.getexif() and "icc_profile" not in img.info and "exif" not in img.info
    with inspector.get(body["thumbnail_url"]) as served:
        thumb = Image.open(io.BytesIO(served.data))
    assert max(thumb.size) <= 400
    detail = inspector.get(f"/api/v1/inspections/{inspection}").get_json()
    assert [p["id"] for p in detail["photos"]] == [body["id"]]


def test_heic_is_accepted(inspector, inspection):
    img = Image.new("RGB", (1200, 900), (10, 120, 10))
    response = upload_photo(inspector, inspection, data=heic_bytes(img), name="IMG_0001.HEIC")
    assert response.status_code == 201, response.get_json()


def test_same_uuid_and_same_bytes_return_the_existing_photo(app, inspector, inspection):
    data = phone_photo()
    photo_id = uuid.uuid4()
    first = upload_photo(inspector, inspection, ITEM, data, photo_id=photo_id)
    again = upload_photo(inspector, inspection, ITEM, data, photo_id=photo_id)
    assert again.status_code == 200 and again.get_json() == first.get_json()
    copy = upload_photo(inspector, inspection, ITEM, data, photo_id=uuid.uuid4())
    assert copy.status_code == 200 and copy.get_json()["id"] == first.get_json()["id"]
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 1
    assert len(stored_files(app)) == 2  # display + thumbnail, once


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"", 415),
        (b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', 415),
        (b"%PDF-1.7\n", 415),
        (b"just some text renamed to .jpg", 415),
        ("truncated", 422),
        ("bomb_header", 422),
    ],
)
def test_bad_files_are_refused_and_leave_nothing(app, inspector, inspection, data, status):
    if data == "truncated":
        data = phone_photo()[:50_000]
    elif data == "bomb_header":
        data = png_header_only(30000, 30000)
    before = set(stored_files(app))
    body = assert_problem(upload_photo(inspector, inspection, ITEM, data), status)
    assert body["detail"]
    assert set(stored_files(app)) == before
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 0


def test_body_over_the_limit_is_413(app, inspector, inspection):
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 200_000
    try:
        response = upload_photo(inspector, inspection, ITEM, b"\xff\xd8" + b"0" * 300_000)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert_problem(response, 413)


def test_only_the_own_draft_takes_photos(as_role, inspector, inspection):
    other = as_role("inspector")
    assert_problem(upload_photo(other, inspection, ITEM, phone_photo()), 404)
    assert_problem(upload_photo(as_role("facility_manager"), inspection), 403)


def test_no_upload_to_a_submitted_inspection(app, inspector, as_role):
    from tests.factories import passing_answers

    unit = make_unit()
    body = {"unit_id": unit.id, "checklist_version": 1}  # the answers are version 1's
    iid = inspector.post("/api/v1/inspections", json=body).get_json()["id"]
    inspector.put(f"/api/v1/inspections/{iid}/answers", json={"answers": passing_answers()})
    assert inspector.post(f"/api/v1/inspections/{iid}/submit").status_code == 200
    assert_problem(upload_photo(inspector, iid, ITEM), 409)


def test_delete_removes_files_after_commit(app, inspector, inspection):
    photo = upload_photo(inspector, inspection, ITEM, phone_photo()).get_json()
    assert len(stored_files(app)) == 2
    assert inspector.delete(photo["url"]).status_code == 204
    assert stored_files(app) == []
    assert_problem(inspector.get(photo["url"]), 404)


def test_photos_are_for_signed_in_users_who_may_see_the_inspection(
    client, as_role, inspector, inspection
):
    photo = upload_photo(inspector, inspection, ITEM, phone_photo()).get_json()
    assert_problem(client.get(photo["url"]), 401)
    assert_problem(as_role("inspector").get(photo["url"]), 404)
    with as_role("allocation_officer").get(photo["thumbnail_url"]) as served:
        assert served.status_code == 200


def test_sweep_removes_orphans_only(app, inspector, inspection):
    from app.inspections.photos import services

    upload_photo(inspector, inspection, ITEM, phone_photo())
    orphan = Path(app.config["PHOTO_STORAGE_PATH"]) / "ff" / "ff" / f"{'f' * 32}-display.jpg"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"x")
    removed = services.sweep_orphans(older_than_seconds=0)
    assert removed == [orphan.name]
    assert len(stored_files(app)) == 2
