"""Register writes: create and update buildings and units. Services flush; requests commit."""

from __future__ import annotations

from sqlalchemy import and_, false, func, or_, select

from app.audit import services as audit
from app.errors import Conflict, NotFound, Unprocessable
from app.extensions import db
from app.locking import get_locked
from app.units.facts import BUILDING_FACTS, UNIT_FACTS
from app.units.importing import normalise_address
from app.units.models import AddressTerm, Building, BuildingUnitCount, Unit
from app.units.numbering import normalise_unit_number, parse_unit_number
from app.units.search_terms import parse_query, starting_with
from app.units.signals import register_changed


def get_building(building_id: int, *, lock: bool = False) -> Building:
    """`lock`: for an update; the row is held until the request commits (app.locking)."""
    building = get_locked(Building, building_id) if lock else db.session.get(Building, building_id)
    if building is None:
        raise NotFound("Bygget finnes ikke.")
    return building


def get_unit(unit_id: int, *, lock: bool = False) -> Unit:
    unit = get_locked(Unit, unit_id) if lock else db.session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("Boligen finnes ikke.")
    return unit


def _apply(row, data: dict) -> bool:
    changed = False
    for name, value in data.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed  # the version moves with the UPDATE (the mapper's version counter)


def save_building(data: dict, building: Building | None = None) -> Building:
    if "address" in data:
        data["address_key"] = normalise_address(data["address"])
    if data.get("external_id"):
        clash = db.session.scalar(
            select(Building.id).where(Building.external_id == data["external_id"])
        )
        if clash is not None and (building is None or clash != building.id):
            raise Conflict("Et annet bygg har allerede denne eksterne ID-en.")
    building = building or Building()
    _apply(building, data)
    db.session.add(building)
    db.session.flush()
    units = select(Unit.id).where(Unit.building_id == building.id)
    register_changed.send(units=units, facts=units if data.keys() & BUILDING_FACTS else None)
    audit.record("building.saved", "building", building.id)
    return building


def save_unit(data: dict, unit: Unit | None = None) -> Unit:
    if "building_id" in data:
        get_building(data["building_id"])
    if "unit_number" in data:
        data["unit_number"] = normalise_unit_number(data["unit_number"])
        if data.get("floor") is None:
            data["floor"] = parse_unit_number(data["unit_number"]).floor
    building_id = data.get("building_id", unit.building_id if unit else None)
    number = data.get("unit_number", unit.unit_number if unit else None)
    clash = db.session.scalar(
        select(Unit.id).where(
            or_(
                (Unit.building_id == building_id) & (Unit.unit_number == number),
                Unit.external_id == data["external_id"] if data.get("external_id") else False,
            )
        )
    )
    if clash is not None and (unit is None or clash != unit.id):
        raise Conflict(
            "Bygget har allerede en bolig med dette bruksenhetsnummeret eller den eksterne ID-en."
        )
    rooms = data.get("rooms", unit.rooms if unit else None)
    bedrooms = data.get("bedrooms", unit.bedrooms if unit else None)
    if rooms is not None and bedrooms is not None and bedrooms > rooms:
        raise Unprocessable("Ugyldige data.", errors={"bedrooms": ["Flere soverom enn rom."]})
    unit = unit or Unit()
    _apply(unit, data)
    db.session.add(unit)
    db.session.flush()
    refacted = data.keys() & UNIT_FACTS or "building_id" in data
    register_changed.send(units=[unit.id], facts=[unit.id] if refacted else None)
    audit.record("unit.saved", "unit", unit.id)
    return unit


def address_starts_with(text: str):
    """Addresses that start with `text` (case and spacing folded), as an index range scan:
    "storgata" finds every Storgata, "storgata 1" finds 1, 10, 12b..."""
    low, high = starting_with(normalise_address(text))
    return (Building.address_key >= low) & (Building.address_key < high)


def search(text: str, *, walk: bool = False):
    """Any words of the address, place or district, in any order, anywhere in a word ("veien"
    finds Asakveien), plus a unit number ("asakveien 15 h0102", "H0102 Tistedal"). Each word
    is one range on the term index; a unit number uses the unit-number index. The conditions
    are on the unit's own columns, so counting needs no join to the buildings.

    `walk`: the same conditions written so that no index serves them (`+ 0`, `|| ''`): the
    database then reads units in the address index's order and checks each (see WALK_FROM)."""
    words, number = parse_query(text)
    building_id = Unit.building_id + 0 if walk else Unit.building_id
    unit_number = Unit.unit_number.concat("") if walk else Unit.unit_number
    conditions = [unit_number == number] if number else []
    conditions += _having_words(building_id, words)
    return and_(*conditions) if conditions else false()  # nothing searchable typed ("%")


def search_count(text: str, *building_conditions):
    """The number of units the search finds, as a select; for words alone, the sum of the
    matching buildings' unit counts (one row per building, not one per unit); else None."""
    words, number = parse_query(text)
    if number or not words:
        return None
    count = select(func.coalesce(func.sum(BuildingUnitCount.units), 0))
    if building_conditions:
        count = count.join(Building, Building.id == BuildingUnitCount.building_id)
    return count.where(*_having_words(BuildingUnitCount.building_id, words), *building_conditions)


def _having_words(building_id, words: list[str]) -> list:
    """Per typed word: the building has a term that starts with it."""
    conditions = []
    for word in words:
        low, high = starting_with(word)
        terms = select(AddressTerm.building_id).where(
            AddressTerm.term >= low, AddressTerm.term < high
        )
        conditions.append(building_id.in_(terms))
    return conditions


def search_rank(text: str):
    """Addresses that start with the first typed word come first ("storgata" before "nedre
    storgata"): the condition that makes a unit rank first, or None."""
    words, _ = parse_query(text)
    return address_starts_with(words[0]) if words else None
