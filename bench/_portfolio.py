"""Realistic portfolio data for the database benchmarks, shared by all of them.

Every unit gets its own generated answers (seeded, deterministic), correlated the way real
stock is: old buildings have more barriers than new ones (building regulations of 1997 and
2010), outlying districts were renovated less than the centre, everything about the entrance,
access, stairs, lift and neighbourhood is shared by all units of a building, stairs are on
the route above the ground floor, and lifts are retrofitted in older blocks only sometimes
(the register of `_dbsetup.register_rows`). No unit copies another's rows.

`seed_portfolio` bulk-loads approved inspections and assessments that store those answers as
their inputs, then scores every unit with the app's own bulk rescoring (`rebuild_all`: score,
matching and barrier rows) and, when asked, its planner inputs (`refresh_plan_inputs`).
"""

from __future__ import annotations

import datetime
import random
import time
import uuid
from collections.abc import Iterator

import _dbsetup as setup  # first: puts the repository on sys.path
from sqlalchemy import func, select

from app.assessments.models import UnitAssessment, UnitBarrier
from app.assessments.rebuild import rebuild_all, refresh_plan_inputs, vacuum_scores
from app.checklists import services as checklists
from app.checklists.definitions import Checklist, Item
from app.demo.inspections import TYPICAL_BARRIERS, passing_value
from app.extensions import db
from app.inspections.models import Inspection
from app.scoring import ItemAnswer
from app.scoring.inputs import inputs_of
from app.units.facts import facts_from

BUILDING_SECTIONS = ("access.", "entrance.", "stairs.", "neighbourhood.")
UNIT_STAIRS = ("stairs.stairs_on_route", "stairs.internal_stairs_present")
# How much less renovated than the centre each district is (multiplies barrier odds).
REGION = {
    "Sentrum": 0.75, "Brødløs": 1.0, "Tistedal": 1.1, "Idd": 1.05, "Berg": 0.9,
    "Iddefjord": 1.25, "Rokke": 1.3, "Kornsjø": 1.4,
}  # fmt: skip
NOT_APPLICABLE = 0.15  # share of n/a where the checklist allows it (no balcony, no child...)
UNANSWERED = 0.01


def age_risk(year_built: int | None) -> float:
    """0-1: how far a building is from today's requirements, by the regulations it was built
    under (before 1950, before 1980, before TEK97, before TEK10, after)."""
    year = year_built or 1990
    for limit, risk in ((1950, 1.0), (1980, 0.85), (1997, 0.55), (2010, 0.25)):
        if year < limit:
            return risk
    return 0.08


def _value(it: Item, rng: random.Random, passing: bool):
    """A plausible value for a measurement, count or choice that passes or fails its
    requirement (measurements spread over the passing or failing range)."""
    if it.type == "choice":
        options = [c.key for c in it.choices if c.passes == passing] or [it.choices[0].key]
        return rng.choice(options)
    req, (low, high) = it.requirement, (it.bounds or (0, 10_000))
    if req is None:
        value = rng.uniform(low, high)
    elif passing:
        lo = req.min if req.min is not None else low
        hi = req.max if req.max is not None else high
        value = rng.uniform(lo, min(hi, lo + (hi - lo) / 2 + 1))
    elif req.min is not None:
        value = rng.uniform(max(low, req.min * 0.7), req.min - 1e-6)
    else:
        value = rng.uniform(req.max + 1e-6, min(high, req.max * 1.5 + 1))
    value = min(max(value, low), high)
    return round(value) if it.type == "count" else round(value, 1)


def barrier(item: Item, rng: random.Random):
    """A value that fails the item's requirement."""
    return False if item.type == "yes_no" else _value(item, rng, passing=False)


def _failing(item: Item, rng: random.Random, typical: dict):
    if item.id in typical:
        return rng.choice(typical[item.id][2])
    return barrier(item, rng)


def passing(item: Item, rng: random.Random):
    """A value that passes; measurements vary within the passing range."""
    if item.type in ("measurement", "count"):
        return _value(item, rng, passing=True)
    if item.type == "text":
        return "Notat"
    return passing_value(item)


def _draw(item: Item, rng: random.Random, risk: float, typical: dict) -> ItemAnswer | None:
    """One item's answer: unanswered, n/a, a barrier with odds by age and district, or a pass.
    `typical`: the checklist version's typical barriers (app/demo/inspections.py), with their
    odds in old and new buildings and their usual failing values."""
    draw = rng.random()
    if draw < UNANSWERED:
        return None
    if item.not_applicable_allowed and rng.random() < NOT_APPLICABLE:
        return ItemAnswer(None, True)
    if item.id in typical:
        p_old, p_new, _ = typical[item.id]
        odds = p_new + (p_old - p_new) * risk
    elif item.severity:
        odds = 0.005 + 0.06 * risk
    else:
        odds = 0.0
    return ItemAnswer(_failing(item, rng, typical) if rng.random() < odds else passing(item, rng))


class Generator:
    """Answers per unit; a building's shared answers are drawn once per building."""

    def __init__(self, checklist: Checklist, seed: int = 2026) -> None:
        self.items = [i for i in checklist.items.values() if not i.register and i.type != "text"]
        self.typical = TYPICAL_BARRIERS[checklist.version]
        self.seed = seed
        self._building: tuple[int, dict] | None = None

    def _shared(self, building: dict) -> dict[str, ItemAnswer]:
        if self._building and self._building[0] == building["id"]:
            return self._building[1]
        rng = random.Random(self.seed * 1_000_003 + building["id"])
        risk = age_risk(building["year_built"]) * REGION.get(building["district"], 1.0)
        shared = {}
        for item in self.items:
            if item.id.startswith(BUILDING_SECTIONS) and item.id not in UNIT_STAIRS:
                answer = _draw(item, rng, min(risk, 1.2), self.typical)
                if answer is not None:
                    shared[item.id] = answer
        if (shared.get("entrance.steps_count") or ItemAnswer(0)).value:
            shared["access.step_free_route"] = ItemAnswer(False)
        self._building = (building["id"], shared)
        return shared

    def answers(self, unit: dict, building: dict) -> dict[str, ItemAnswer]:
        """The unit's own answers: the building's shared ones plus its own draws."""
        rng = random.Random(self.seed * 7_919 + unit["id"])
        risk = age_risk(building["year_built"]) * REGION.get(building["district"], 1.0)
        answers = dict(self._shared(building))
        for item in self.items:
            if item.id.startswith(BUILDING_SECTIONS) and item.id not in UNIT_STAIRS:
                continue
            answer = _draw(item, rng, min(risk, 1.2), self.typical)
            if answer is not None:
                answers[item.id] = answer
        steps = (answers.get("entrance.steps_count") or ItemAnswer(0)).value
        answers["stairs.stairs_on_route"] = ItemAnswer((unit["floor"] or 1) > 1 or bool(steps))
        answers["stairs.internal_stairs_present"] = ItemAnswer(rng.random() < 0.04)
        return answers


INSPECTION_COLUMNS = [
    "id", "unit_id", "checklist_key", "checklist_version", "inspector_id", "created_by_id",
    "status", "version", "created_at", "updated_at", "submitted_at", "approved_at",
    "approved_by_id",
]  # fmt: skip


def stored_rows(
    buildings: list[dict], units: list[dict], inspector_id: int, *, changed: float, stale: bool
) -> Iterator[tuple[list[dict], list[dict]]]:
    """(inspections, assessments) in chunks. `changed`: share of units whose stored facts
    differ from the register's (1.0: never scored with today's facts, so the rebuild explains
    every unit and writes its barriers); `stale`: scored under an older profiles version."""
    catalogue = checklists.catalogue()
    generator = Generator(catalogue.checklists[("uu-bolig", 1)])
    by_id = {b["id"]: b for b in buildings}
    rng = random.Random(4242)
    now = datetime.datetime.now(datetime.UTC)
    versions = {
        "profiles_version": catalogue.profiles.version - (1 if stale else 0),
        "measures_version": catalogue.measures.version,
    }
    common = {"checklist_key": "uu-bolig", "checklist_version": 1}
    for start in range(0, len(units), 5_000):
        inspections, assessments = [], []
        for unit in units[start : start + 5_000]:
            building = by_id[unit["building_id"]]
            facts = facts_from(
                unit["floor"],
                building["has_lift"],
                building["building_type"],
                building["storeys"],
                unit["area"],
            )
            if rng.random() < changed:
                facts = {**facts, "has_lift": not building["has_lift"]}
            inspection_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            inspections.append(
                {"id": inspection_id, "unit_id": unit["id"], "inspector_id": inspector_id}
                | {"created_by_id": inspector_id, "approved_by_id": inspector_id, **common}
                | {"status": "approved", "version": 3, "created_at": now, "updated_at": now}
                | {"submitted_at": now, "approved_at": now}
            )
            answers = generator.answers(unit, building)
            assessments.append(
                {"unit_id": unit["id"], "inspection_id": inspection_id, "scored_at": now}
                | {"inputs": inputs_of(answers, facts, {}), **versions, **common}
            )
        yield inspections, assessments


def seed_portfolio(
    units: int,
    inspector_id: int,
    *,
    scored: bool = True,
    plan_inputs: bool = False,
    changed: float = 1.0,
    stale: bool = True,
) -> dict:
    """`units` units (the register of _dbsetup), each with an approved inspection and an
    assessment storing its own generated answers; `scored`: every unit scored by the app's
    bulk rescoring (score, matching and barrier rows); `plan_inputs`: and its planner input.
    Returns counts and the seconds each step took."""
    seconds = {}
    started = time.perf_counter()
    buildings, rows = setup.seed_register(units)
    for chunk in stored_rows(buildings, rows, inspector_id, changed=changed, stale=stale):
        for table, data in zip(
            (Inspection.__table__, UnitAssessment.__table__), chunk, strict=True
        ):
            db.session.execute(table.insert(), data)
        db.session.commit()
    seconds["generate and load"] = time.perf_counter() - started
    if scored:
        started = time.perf_counter()
        rebuild_all(1000, lambda done, total: db.session.commit())
        db.session.commit()
        vacuum_scores()
        seconds["score"] = time.perf_counter() - started
    if plan_inputs:
        started = time.perf_counter()
        refresh_plan_inputs(500, lambda done, total: db.session.commit())
        db.session.commit()
        seconds["planner inputs"] = time.perf_counter() - started
    setup.analyze()
    barriers = db.session.scalar(select(func.count()).select_from(UnitBarrier))
    return {
        "units": units,
        "buildings": len({r["building_id"] for r in rows}),
        "vacant": sum(r["status"] == "vacant" for r in rows),
        "barriers": barriers,
        "seconds": seconds,
    }
