"""Builders for realistic test data: answer sets, registered units, inspections."""

from __future__ import annotations

import re
import uuid

from app.checklists import services as checklists
from app.checklists.definitions import Checklist
from app.demo.inspections import passing_value
from app.extensions import db
from app.timeutil import utcnow
from app.units.importing import normalise_address
from app.units.models import Building, Unit


def uu_bolig() -> Checklist:
    return checklists.catalogue().checklists[("uu-bolig", 1)]


def passing_answers(checklist: Checklist | None = None, *, skip=()) -> list[dict]:
    """An answer for every non-text item, all passing (a fully accessible unit)."""
    checklist = checklist or uu_bolig()
    return [
        {"item_id": item.id, "value": passing_value(item)}
        for item in checklist.items.values()
        if item.type != "text" and item.register is None and item.id not in skip
    ]


def with_values(answers: list[dict], **changes) -> list[dict]:
    """Replace values by item id: with_values(a, **{"entrance.steps_count": 3})."""
    return [
        {**a, "value": changes[a["item_id"]]} if a["item_id"] in changes else a for a in answers
    ]


def make_unit(
    district="Sentrum", floor=1, has_lift=True, status="vacant", bedrooms=2, **kw
) -> Unit:
    address = kw.pop("address", f"Testveien {uuid.uuid4().hex[:6]}")
    building = Building(
        address=address,
        address_key=normalise_address(address),
        postal_code="1771",
        district=district,
        has_lift=has_lift,
        storeys=max(floor, 1),
    )
    db.session.add(building)
    db.session.flush()
    unit = Unit(
        building_id=building.id,
        unit_number=f"H{max(floor, 1):02d}01",
        floor=floor,
        rooms=bedrooms + 1,
        bedrooms=bedrooms,
        status=status,
        **kw,
    )
    db.session.add(unit)
    db.session.commit()
    return unit


def jpeg_bytes(colour=(200, 40, 40), size=(640, 480)) -> bytes:
    """A small real JPEG; different colours give different content hashes."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def upload_photo(caller, inspection_id, item_id=None, data=None, photo_id=None, name="bilde.jpg"):
    import io

    form = {
        "id": str(photo_id or uuid.uuid4()),
        "file": (io.BytesIO(jpeg_bytes() if data is None else data), name),
    }
    if item_id:
        form["item_id"] = item_id
    return caller.post(
        f"/api/v1/inspections/{inspection_id}/photos", data=form, content_type="multipart/form-data"
    )


def assessed_unit(inspector, changes=None, *, checklist_version=1, **unit_fields) -> Unit:
    """A unit with an approved inspection (passing answers, with `changes`) scored and stored."""
    return assess(inspector, make_unit(**unit_fields), changes, checklist_version)


def assess(inspector, unit: Unit, changes=None, checklist_version=1) -> Unit:
    """Give `unit` an approved inspection (passing answers, with `changes`), scored and stored.

    Under checklist version 1 by default: most tests' changes name its item ids."""
    from app.assessments.services import store_assessment
    from app.inspections import services as inspections

    data = {"unit_id": unit.id, "checklist_version": checklist_version}
    inspection, _ = inspections.create_inspection(inspector, data)
    checklist = checklists.catalogue().checklists[("uu-bolig", checklist_version)]
    answers = with_values(passing_answers(checklist), **(changes or {}))
    inspections.upsert_answers(inspector, inspection, answers)
    inspection.status = "approved"
    inspection.submitted_at = inspection.approved_at = utcnow()
    store_assessment(inspection)
    db.session.commit()
    return unit


STEP_FREE_BARRIERS = {"entrance.steps_count": 4, "access.step_free_route": False}


def publish_heavier_hearing_weights(app, tmp_path) -> None:
    """Publish the next profiles version: the shipped profiles with hard_of_hearing weighing
    1.0 instead of 0.3 (a real definition change, for rebuild tests)."""
    import shutil
    from pathlib import Path

    from app.checklists import services as checklists

    target = tmp_path / "checklists"
    shutil.copytree(Path(app.config["CHECKLISTS_PATH"]), target)
    profiles = (target / "profiles.yaml").read_text(encoding="utf-8")
    shipped = int(re.search(r"^version: (\d+)$", profiles, re.M).group(1))
    profiles = profiles.replace(f"version: {shipped}", f"version: {shipped + 1}", 1).replace(
        "hard_of_hearing: 0.3", "hard_of_hearing: 1.0"
    )
    (target / "profiles.yaml").write_text(profiles, encoding="utf-8")
    checklists.publish(target)
    db.session.commit()
