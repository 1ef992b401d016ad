"""Import the register from an FDV export: all rows or nothing, upserting by external id,
else by building address + bruksenhetsnummer, so the same file twice changes nothing."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import select, text

from app import db_statistics
from app.audit import services as audit
from app.errors import Unprocessable
from app.extensions import db
from app.units.facts import BUILDING_FACTS, UNIT_FACTS
from app.units.importing import BuildingRow, ParseResult, UnitRow, normalise_address, parse_file
from app.units.models import Building, Unit
from app.units.signals import register_changed

BUILDING_FIELDS = (
    "external_id", "name", "address", "postal_code", "place", "district", "latitude",
    "longitude", "gnr", "bnr", "fnr", "snr", "storeys", "building_type", "has_lift",
    "year_built", "notes",
)  # fmt: skip
UNIT_FIELDS = (
    "external_id", "unit_number", "floor", "rooms", "bedrooms", "bathrooms", "area", "ownership",
    "status", "notes",
)  # fmt: skip


def _building_values(row: BuildingRow) -> dict:
    values = {name: getattr(row, name) for name in BUILDING_FIELDS}
    values["address_key"] = normalise_address(row.address)
    return {k: v for k, v in values.items() if v is not None}


def _unit_values(row: UnitRow) -> dict:
    values = {name: getattr(row, name) for name in UNIT_FIELDS}
    values["ownership"] = str(row.ownership)
    values["status"] = str(row.status)
    return {k: v for k, v in values.items() if v is not None}


def _changes(obj, values: dict) -> dict:
    return {k: v for k, v in values.items() if getattr(obj, k) != v}


class _Index:
    """Existing buildings and units, keyed the way the import file identifies them."""

    def __init__(self) -> None:
        buildings = db.session.scalars(select(Building)).all()
        self.building_by_id = {b.external_id: b for b in buildings if b.external_id}
        self.building_by_address = {(b.address_key, b.postal_code or ""): b for b in buildings}
        units = db.session.scalars(select(Unit)).all()
        self.unit_by_id = {u.external_id: u for u in units if u.external_id}
        self.unit_by_place = {(u.building_id, u.unit_number): u for u in units}

    def building(self, row: BuildingRow) -> Building | None:
        if row.external_id and row.external_id in self.building_by_id:
            return self.building_by_id[row.external_id]
        return self.building_by_address.get((normalise_address(row.address), row.postal_code or ""))

    def unit(self, row: UnitRow, building: Building | None) -> Unit | None:
        if row.external_id and row.external_id in self.unit_by_id:
            return self.unit_by_id[row.external_id]
        if building is None or building.id is None:
            return None
        return self.unit_by_place.get((building.id, row.unit_number))


def import_units(data: bytes, filename: str, districts: list[str], *, dry_run: bool) -> dict:
    """Validate the file and, unless dry_run, write it. Invalid rows: 422, nothing written."""
    parsed = parse_file(data, filename, districts)
    if not dry_run:
        _one_import_at_a_time()
    index = _Index()
    summary = {"rows": len(parsed.rows) + parsed.error_rows, "errors": parsed.error_rows}
    counts = {
        "create": 0,
        "update": 0,
        "unchanged": 0,
        "buildings_create": 0,
        "buildings_update": 0,
    }

    buildings: dict = {}
    for row in parsed.buildings:
        existing = index.building(row)
        values = _building_values(row)
        if existing is None:
            counts["buildings_create"] += 1
            buildings[row.key] = Building(**values)
        else:
            if _changes(existing, values):
                counts["buildings_update"] += 1
            buildings[row.key] = existing

    pending_units = []
    for row in parsed.rows:
        building = buildings[row.building.key]
        existing = index.unit(row, building)
        values = _unit_values(row)
        if existing is None:
            counts["create"] += 1
            pending_units.append((None, building, values))
        elif _changes(existing, values) or existing.building_id != building.id:
            counts["update"] += 1
            pending_units.append((existing, building, values))
        else:
            counts["unchanged"] += 1

    report = _report(parsed, filename, dry_run, {**summary, **counts})
    if not parsed.ok and not dry_run:
        raise Unprocessable(
            "Filen har feil; ingenting er importert. Rett radene og prøv igjen.", report=report
        )
    if dry_run:
        return report

    moved = set()  # buildings whose district changed
    refacted_buildings, refacted = set(), set()  # register facts changed (see UNIT_FACTS)
    for row in parsed.buildings:
        building = buildings[row.key]
        if building.id is None:
            db.session.add(building)
        elif changes := _changes(building, _building_values(row)):
            for name, value in changes.items():
                setattr(building, name, value)
            if "district" in changes:
                moved.add(building.id)
            if changes.keys() & BUILDING_FACTS:
                refacted_buildings.add(building.id)
    db.session.flush()
    changed = set()  # existing units with a new status, bedrooms or building
    for existing, building, values in pending_units:
        if existing is None:
            db.session.add(Unit(building_id=building.id, **values))
        else:
            updates = _changes(existing, values)
            if updates.keys() & {"status", "bedrooms"} or existing.building_id != building.id:
                changed.add(existing.id)
            if updates.keys() & UNIT_FACTS or existing.building_id != building.id:
                refacted.add(existing.id)
            for name, value in updates.items():
                setattr(existing, name, value)
            existing.building_id = building.id
    db.session.flush()
    if moved:
        changed.update(db.session.scalars(select(Unit.id).where(Unit.building_id.in_(moved))))
    if refacted_buildings:
        refacted.update(
            db.session.scalars(select(Unit.id).where(Unit.building_id.in_(refacted_buildings)))
        )
    register_changed.send(units=sorted(changed), facts=sorted(refacted))
    if counts["create"] or counts["buildings_create"]:
        db_statistics.analyze("buildings", "units")  # committed with the import
    audit.record(
        "units.imported", "import", None, details={"file_name": filename, **report["summary"]}
    )
    return report


def _one_import_at_a_time() -> None:
    """Two imports at once would both see a unit as new and create it twice: on PostgreSQL
    the second waits here until the first commits (SQLite already serialises writers)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('units.import'))"))


def _report(parsed: ParseResult, filename: str, dry_run: bool, summary: dict) -> dict:
    return {
        "dry_run": dry_run,
        "file_name": filename,
        "summary": summary,
        "problems": [asdict(p) for p in parsed.problems],
        "unknown_columns": list(parsed.unknown_columns),
    }
