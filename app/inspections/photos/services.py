"""Photo upload, deduplication, serving and deletion on top of the processing core.

Files are written (atomically) before the row is flushed; files of a deleted photo are removed
only after the deletion is committed. A crash in between leaves files without a row, which
`flask photos sweep` removes; never a row without its files.
"""

from __future__ import annotations

import uuid

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.audit import services as audit
from app.auth.models import User
from app.config import ConfigError, check_photo_storage
from app.errors import Conflict, NotFound, Unprocessable
from app.extensions import db
from app.inspections import services as inspections
from app.inspections.instances import instance_problem, numbers_of, section_by_item
from app.inspections.models import Inspection
from app.inspections.photos.models import Photo
from app.inspections.photos.processing import process_photo
from app.inspections.photos.storage import FilesystemStorage, PhotoStorage, store_photo, sweep


def storage() -> PhotoStorage:
    """The configured backend: the folder (the default) or an S3-compatible bucket."""
    config = current_app.config
    check_photo_storage(config["PHOTO_STORAGE"], config.get("PHOTO_S3_BUCKET"))
    if config["PHOTO_STORAGE"] == "s3":
        return bucket_storage()
    return folder_storage()


def folder_storage() -> FilesystemStorage:
    return FilesystemStorage(current_app.config["PHOTO_STORAGE_PATH"])


def bucket_storage() -> PhotoStorage:
    """The bucket of the PHOTO_S3_* settings, whichever backend is in use (the copy to the
    bucket is made while the service still runs on the folder). boto3 is imported only here:
    a deployment on the folder never loads it."""
    from app.inspections.photos.s3 import S3Storage, s3_client

    config = current_app.config
    if not config.get("PHOTO_S3_BUCKET"):
        raise ConfigError("PHOTO_S3_BUCKET must be set to use the bucket")
    client = s3_client(config.get("PHOTO_S3_ENDPOINT_URL"), config.get("PHOTO_S3_REGION"))
    return S3Storage(config["PHOTO_S3_BUCKET"], client, prefix=config.get("PHOTO_S3_PREFIX"))


def after_commit(session: Session, callback) -> None:
    """Run `callback` once the session's transaction is committed (not on rollback)."""
    session.info.setdefault("after_commit", []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for callback in session.info.pop("after_commit", []):
        callback()


@event.listens_for(Session, "after_rollback")
def _drop_after_commit(session: Session) -> None:
    session.info.pop("after_commit", None)


def photo_to_dict(photo: Photo) -> dict:
    return {
        "id": str(photo.id),
        "inspection_id": str(photo.inspection_id),
        "item_id": photo.item_id,
        "instance": photo.instance,
        "caption": photo.caption,
        "width": photo.width,
        "height": photo.height,
        "url": f"/api/v1/photos/{photo.id}",
        "thumbnail_url": f"/api/v1/photos/{photo.id}/thumbnail",
        "created_at": photo.created_at.isoformat() if photo.created_at else None,
    }


def photos_of(inspection_id) -> list[Photo]:
    return db.session.scalars(
        select(Photo).where(Photo.inspection_id == inspection_id).order_by(Photo.created_at)
    ).all()


def photos_for_detail(inspection: Inspection) -> list[dict]:
    return [photo_to_dict(p) for p in photos_of(inspection.id)]


def photo_items(inspection: Inspection) -> set[tuple[str, int]]:
    """The (item id, instance) pairs that have a photo."""
    return {(p.item_id, p.instance) for p in photos_of(inspection.id) if p.item_id}


def photo_ids_by_item(inspection_id) -> dict[str, list[str]]:
    """The photos of each item's instance 1, the one scoring reads: a barrier's evidence."""
    by_item: dict[str, list[str]] = {}
    for photo in photos_of(inspection_id):
        if photo.item_id and photo.instance == 1:
            by_item.setdefault(photo.item_id, []).append(str(photo.id))
    return by_item


def _check_item(inspection: Inspection, item_id: str | None, instance: int) -> None:
    """422 for an item the checklist does not have or an instance the inspection does not."""
    if item_id is None:
        if instance != 1:
            message = "Et bilde uten punkt hører ikke til en instans."
            raise Unprocessable("Ugyldige data.", errors={"instance": [message]})
        return
    checklist = inspections.checklist_of(inspection)
    section = section_by_item(checklist).get(item_id)
    if section is None:
        raise Unprocessable("Ugyldige data.", errors={"item_id": [f"Ukjent punkt: {item_id}"]})
    problem = instance_problem(section, item_id, instance, numbers_of(inspection, checklist))
    if problem:
        raise Unprocessable(problem, errors={"instance": [problem]})


def upload(
    actor: User,
    inspection_id: uuid.UUID,
    photo_id: uuid.UUID,
    stream,
    item_id,
    caption,
    *,
    instance: int = 1,
) -> tuple[Photo, bool]:
    """Store one photo on one item (of one instance of a repeated section). The same UUID, or
    the same bytes on the same item and instance, return the existing photo; the same bytes on
    another item or instance are linked there too, sharing the files already stored."""
    existing = db.session.get(Photo, photo_id)
    if existing is not None:
        if existing.inspection_id != inspection_id:
            raise Conflict("Denne bilde-ID-en er allerede brukt i en annen befaring.")
        inspections.get_inspection(actor, inspection_id)
        return existing, False
    inspection = inspections.get_inspection(actor, inspection_id, write=True)
    inspections.require_draft(inspection)
    _check_item(inspection, item_id, instance)

    config = current_app.config
    data = stream.read(config["MAX_CONTENT_LENGTH"] + 1)
    processed = process_photo(
        data, max_pixels=config["PHOTO_MAX_PIXELS"], max_bytes=config["MAX_CONTENT_LENGTH"]
    )
    # Only now lock the inspection (not while the image is processed) and check it again: a
    # submit at the same moment either sees this photo or makes this upload a 409, and an
    # instance deleted meanwhile gets no photo.
    inspection = inspections.get_inspection(actor, inspection_id, lock=True)
    inspections.require_draft(inspection)
    db.session.expire(inspection, ["section_instances"])  # read again, under the lock
    _check_item(inspection, item_id, instance)
    same_bytes = db.session.scalars(
        select(Photo)
        .where(Photo.inspection_id == inspection_id, Photo.sha256 == processed.sha256)
        .order_by(Photo.created_at)
    ).all()
    for duplicate in same_bytes:
        if (duplicate.item_id, duplicate.instance) == (item_id, instance):
            return duplicate, False
    if same_bytes:
        photo = _link(same_bytes[0], photo_id, item_id, caption, actor, instance)
    else:
        original = data if config["PHOTO_KEEP_ORIGINAL"] else None
        photo = save_processed(
            inspection_id, photo_id, processed, item_id, caption, actor, original, instance
        )
    details = {"inspection_id": str(inspection_id), "item_id": item_id, "instance": instance}
    audit.record("photo.uploaded", "photo", photo.id, details=details)
    return photo, True


def _link(stored: Photo, photo_id, item_id, caption, actor, instance: int) -> Photo:
    """Another item's (or instance's) photo with the same bytes: a row of its own on the same
    files."""
    photo = Photo(
        id=photo_id,
        inspection_id=stored.inspection_id,
        item_id=item_id,
        instance=instance,
        caption=caption,
        sha256=stored.sha256,
        media_type=stored.media_type,
        width=stored.width,
        height=stored.height,
        display_key=stored.display_key,
        thumbnail_key=stored.thumbnail_key,
        original_key=stored.original_key,
        uploaded_by_id=actor.id,
    )
    db.session.add(photo)
    db.session.flush()
    return photo


def save_processed(
    inspection_id, photo_id, processed, item_id, caption, actor, original=None, instance=1
) -> Photo:
    """Write the files, then the row; if the row cannot be written, remove the files."""
    files = storage()
    keys = store_photo(files, photo_id, processed, original=original)
    photo = Photo(
        id=photo_id,
        inspection_id=inspection_id,
        item_id=item_id,
        instance=instance,
        caption=caption,
        sha256=processed.sha256,
        media_type=processed.media_type,
        width=processed.width,
        height=processed.height,
        display_key=keys.display,
        thumbnail_key=keys.thumbnail,
        original_key=keys.original,
        uploaded_by_id=actor.id,
    )
    db.session.add(photo)
    try:
        db.session.flush()
    except Exception:
        for key in keys.all():
            files.delete(key)
        raise
    return photo


def get_photo(actor: User, photo_id: uuid.UUID) -> Photo:
    photo = db.session.get(Photo, photo_id)
    if photo is None:
        raise NotFound("Bildet finnes ikke.")
    inspections.get_inspection(actor, photo.inspection_id)  # same visibility as the inspection
    return photo


def set_caption(actor: User, photo_id: uuid.UUID, caption: str | None) -> Photo:
    photo = get_photo(actor, photo_id)
    inspection = inspections.get_inspection(actor, photo.inspection_id, write=True)
    inspections.require_draft(inspection)
    photo.caption = caption or None
    db.session.flush()
    audit.record("photo.captioned", "photo", photo_id)
    return photo


def delete(actor: User, photo_id: uuid.UUID) -> None:
    """Delete a photo of a draft; its files go once no other item's photo shares them."""
    photo = get_photo(actor, photo_id)
    # Locked, so a submit cannot pass its photo check while this photo is being removed.
    inspection = inspections.get_inspection(actor, photo.inspection_id, write=True, lock=True)
    inspections.require_draft(inspection)
    _remove(photo)


def delete_instance_photos(inspection: Inspection, item_ids: list[str], instance: int) -> None:
    """The photos of a deleted instance's items (`inspection` is locked, and a draft)."""
    if not item_ids:
        return
    for photo in db.session.scalars(
        select(Photo).where(
            Photo.inspection_id == inspection.id,
            Photo.instance == instance,
            Photo.item_id.in_(item_ids),
        )
    ).all():
        _remove(photo)


def _remove(photo: Photo) -> None:
    """Delete one photo row; its files go after the commit once no other row shares them."""
    keys, photo_id = photo.storage_keys(), photo.id
    shared = db.session.scalar(
        select(Photo.id).where(Photo.display_key == photo.display_key, Photo.id != photo.id)
    )
    db.session.delete(photo)
    db.session.flush()
    if shared is None:
        files = storage()
        after_commit(db.session(), lambda: [files.delete(k) for k in keys])
    audit.record("photo.deleted", "photo", photo_id)


def sweep_orphans(older_than_seconds: float = 3600) -> list[str]:
    referenced = {
        key for photo in db.session.scalars(select(Photo)) for key in photo.storage_keys()
    }
    return sweep(storage(), referenced, older_than_seconds)
