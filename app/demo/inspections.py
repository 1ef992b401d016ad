"""Approved demo inspections with a realistic spread of barriers, and a few photos."""

from __future__ import annotations

import io
import random
import uuid

from flask import current_app
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from app.assessments.services import store_assessment
from app.auth.models import User
from app.checklists import services as checklists
from app.checklists.answer_types import ANSWER_TYPES
from app.checklists.definitions import Checklist, Item
from app.extensions import db
from app.inspections.models import Answer, Inspection
from app.inspections.photos.processing import process_photo
from app.inspections.photos.services import save_processed
from app.timeutil import utcnow
from app.units.models import Unit

MAX_INSPECTED = 1000  # the demo inspects at most this many units; the rest stay unassessed
OLD_BUILDING = 1980

# Every approved demo inspection uses the newest checklist, except about one unit in
# LEGACY_EVERY, which keeps its assessment under version 1 (to be re-inspected).
CURRENT_VERSION, LEGACY_VERSION, LEGACY_EVERY = 2, 1, 20

# Per checklist version: item id -> (probability in old buildings, in newer ones, failing values)
TYPICAL_BARRIERS = {
    1: {
        "entrance.door_clear_width_mm": (0.5, 0.05, [780, 800, 820, 840]),
        "entrance.threshold_height_mm": (0.5, 0.1, [20, 25, 35, 40]),
        "unit.internal_door_clear_width_mm": (0.6, 0.1, [700, 720, 740]),
        "unit.internal_thresholds_step_free": (0.5, 0.05, [False]),
        "bathroom.turning_space": (0.6, 0.15, [False]),
        "bathroom.wc_side_clearance_mm": (0.6, 0.15, [400, 550, 700]),
        "bathroom.step_free_shower": (0.5, 0.1, [False]),
        "kitchen.turning_space": (0.4, 0.1, [False]),
        "entrance.steps_count": (0.5, 0.1, [1, 2, 3, 5, 8]),
        "hearing.doorbell_visual_signal": (0.8, 0.6, [False]),
        "hearing.smoke_alarm_visual_signal": (0.8, 0.6, [False]),
        "cognition.stove_guard": (0.5, 0.2, [False]),
        "vision.entrance_contrast": (0.4, 0.2, [False]),
        "environment.no_moisture_or_mould": (0.15, 0.03, [False]),
        "environment.smoke_free": (0.1, 0.05, [False]),
        "child.window_opening_limiter": (0.4, 0.2, [False]),
    },
    2: {
        "entrance.door_clear_width_mm": (0.5, 0.05, [780, 800, 820, 840]),
        "unit_door.threshold_height_mm": (0.5, 0.1, [20, 30, 35, 40]),
        "unit_door.opening_force_n": (0.3, 0.2, [35, 45, 60]),
        "unit.internal_door_clear_width_mm": (0.6, 0.1, [700, 720, 740]),
        "unit.internal_thresholds_step_free": (0.5, 0.05, [False]),
        "bathroom.turning_space_size": (0.6, 0.15, ["smaller", "d15"]),
        "bathroom.wc_side_clearance_mm": (0.6, 0.15, [400, 550, 700]),
        "bathroom.step_free_shower": (0.5, 0.1, [False]),
        "bathroom.door_opens_outward": (0.6, 0.2, [False]),
        "bathroom.wc_height_mm": (0.4, 0.1, [400, 420]),
        "kitchen.turning_space_size": (0.4, 0.1, ["smaller", "d15"]),
        "entrance.entrance_steps_count": (0.5, 0.1, [1, 2, 3, 5, 8]),
        "hearing.doorbell_visual_signal": (0.8, 0.6, [False]),
        "hearing.smoke_alarm_visual_signal": (0.8, 0.6, [False]),
        "hearing.induction_loop": (0.9, 0.8, [False]),
        "cognition.stove_guard": (0.5, 0.2, [False]),
        "vision.entrance_contrast": (0.4, 0.2, [False]),
        "environment.no_moisture_or_mould": (0.15, 0.03, [False]),
        "environment.radon_bq_m3": (0.2, 0.05, [150, 250, 400]),
        "environment.smoke_free": (0.1, 0.05, [False]),
        "safety.sprinkler": (0.9, 0.5, [False]),
        "child.window_limiter_high": (0.4, 0.2, [False]),
    },
}
# Presence questions: most demo units have no ramp and no wood stove.
ABSENT = {"entrance.ramp_present": 0.9, "safety.wood_stove_present": 0.9}
STEP_RISE_MM = 170


def passing_value(item: Item):
    """A value that passes the item, by how its answer type is judged (yes is the good state);
    None for a type that is never judged (free text)."""
    kind = ANSWER_TYPES[item.type]
    if kind.judged_by == "yes":
        return True
    if kind.judged_by == "choice":
        return next(c.key for c in item.choices if c.passes)
    if kind.judged_by == "requirement":
        req, (low, high) = item.requirement, item.bounds or (0, 10_000)
        if req is None:
            value = low
        elif req.recommended is not None:
            value = req.recommended
        elif req.min is not None:
            value = max(req.min, low)
        else:
            value = min(req.max, high) if req.max is not None else low
        return int(value) if kind.value == "integer" else value
    return None


def _answers(rng: random.Random, checklist: Checklist, unit: Unit) -> dict:
    old = (unit.building.year_built or 2000) < OLD_BUILDING
    values = {}
    for item in checklist.items.values():
        if item.register:
            continue
        value = passing_value(item)
        if value is None:  # never judged (free text): left unanswered
            continue
        if ANSWER_TYPES[item.type].judged_by == "yes" and item.severity and rng.random() < 0.03:
            value = False
        if item.id in ABSENT:
            value = rng.random() >= ABSENT[item.id]
        values[item.id] = value
    for item_id, (p_old, p_new, failing) in TYPICAL_BARRIERS[checklist.version].items():
        if item_id in values and rng.random() < (p_old if old else p_new):
            values[item_id] = rng.choice(failing)
    steps = values.get("entrance.steps_count") or values.get("entrance.entrance_steps_count")
    if steps:
        values["access.step_free_route"] = False
        if "entrance.steps_total_rise_mm" in values:
            values["entrance.steps_total_rise_mm"] = steps * STEP_RISE_MM
    return values


def seed_inspections(units: int = 600) -> int:
    """Approve inspections for about 90 % of the first units, on the newest checklist version
    except a few (one in LEGACY_EVERY) still on version 1; skip when some exist."""
    if db.session.scalar(select(func.count()).select_from(Inspection)):
        return 0
    inspector = db.session.scalar(select(User).where(User.role == "inspector"))
    catalogue = checklists.catalogue()
    rng = random.Random(1792)
    chosen = db.session.scalars(select(Unit).order_by(Unit.id).limit(MAX_INSPECTED)).all()
    count = 0
    for unit in chosen:
        if rng.random() < 0.1:
            continue
        version = LEGACY_VERSION if unit.id % LEGACY_EVERY == 0 else CURRENT_VERSION
        checklist = catalogue.checklists[("uu-bolig", version)]
        now = utcnow()
        inspection = Inspection(
            unit_id=unit.id,
            checklist_key="uu-bolig",
            checklist_version=version,
            inspector_id=inspector.id,
            created_by_id=inspector.id,
            status="approved",
            submitted_at=now,
            approved_at=now,
            approved_by_id=inspector.id,
        )
        for item_id, value in _answers(rng, checklist, unit).items():
            inspection.answers.append(
                Answer(item_id=item_id, value=value, answered_at=now, answered_by_id=inspector.id)
            )
        inspection.unit = unit
        db.session.add(inspection)
        db.session.flush()
        store_assessment(inspection, catalogue)
        count += 1
        if count <= 8:
            _demo_photo(inspection, inspector, count)
    return count


def _demo_photo(inspection: Inspection, inspector: User, n: int) -> None:
    """A generated picture standing in for an inspector's photo of a barrier."""
    img = Image.new("RGB", (1600, 1200), (235, 230, 220))
    draw = ImageDraw.Draw(img)
    draw.rectangle((500, 150, 1100, 1150), outline=(90, 60, 40), width=24)
    draw.line((450, 1000, 1150, 1000), fill=(230, 180, 0), width=12)
    draw.text((60, 60), f"Demo-bilde {n}: dør med målebånd", fill=(20, 20, 20))
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=85)
    processed = process_photo(buffer.getvalue(), max_pixels=current_app.config["PHOTO_MAX_PIXELS"])
    caption = "Inngangsdør med målebånd (demo)"
    item_id = "entrance.door_clear_width_mm"
    save_processed(inspection.id, uuid.uuid4(), processed, item_id, caption, inspector)
