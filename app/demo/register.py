"""A demo unit register that feels like a mid-size Norwegian municipality (Halden-like)."""

from __future__ import annotations

import random
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.units.importing import normalise_address
from app.units.models import Building, Unit

STREETS = {
    "Sentrum": ["Storgata", "Tollbugata", "Jernbanegata", "Kongens gate", "Walkers gate"],
    "Brødløs": ["Brødløsveien", "Busterudgata", "Os allé", "Rødsveien"],
    "Tistedal": ["Tistedalsgata", "Fossveien", "Torpumveien"],
    "Idd": ["Iddeveien", "Svingen", "Rokkeveien", "Præstebakkeveien"],
    "Berg": ["Bergsveien", "Asakveien", "Sauøyveien"],
    "Iddefjord": ["Sponvikaveien", "Iddefjordveien"],
    "Rokke": ["Rokkeveien", "Remmendalsveien"],
    "Kornsjø": ["Kornsjøveien"],
}
POSTAL = {"Sentrum": "1771", "Brødløs": "1776", "Tistedal": "1792", "Idd": "1778"}
# (kind, storeys, units per storey, lift share)
KINDS = [
    ("blokk med heis", (4, 6), (3, 5), 1.0),
    ("oppgang uten heis", (3, 4), (2, 3), 0.0),
    ("rekkehus", (1, 2), (3, 6), 0.0),
    ("småhus", (1, 1), (1, 2), 0.0),
]
BUILDING_TYPE = {
    "blokk med heis": "block",
    "oppgang uten heis": "block",
    "rekkehus": "terraced",
    "småhus": "detached",
}
KIND_WEIGHTS = [3, 4, 2, 1]


def _unit_plan(rng: random.Random, target: int):
    """Buildings as (district, street, number, kind, storeys, per_storey) until `target` units."""
    districts = [d for d in current_app.config["DISTRICTS"] if d in STREETS] or ["Sentrum"]
    total, number = 0, {}
    while total < target:
        district = rng.choice(districts)
        street = rng.choice(STREETS.get(district, ["Storgata"]))
        number[street] = number.get(street, 0) + rng.randint(1, 6)
        kind, storeys, per_storey, lift = rng.choices(KINDS, KIND_WEIGHTS)[0]
        storeys = rng.randint(*storeys)
        per_storey = rng.randint(*per_storey)
        total += storeys * per_storey
        yield district, street, number[street], kind, storeys, per_storey, lift >= 1.0


def seed_register(units: int = 600) -> int:
    """Create buildings and units until there are about `units`; skips when some exist."""
    if db.session.scalar(select(func.count()).select_from(Unit)):
        return 0
    rng = random.Random(1771)
    created = 0
    rows = []
    for i, (district, street, number, kind, storeys, per_storey, lift) in enumerate(
        _unit_plan(rng, units), start=1
    ):
        address = f"{street} {number}"
        building = Building(
            external_id=f"B{i:05d}",
            name=f"{street} {number} ({kind})",
            address=address,
            address_key=normalise_address(address),
            postal_code=POSTAL.get(district, "1781"),
            place="Halden",
            district=district,
            latitude=round(59.12 + rng.uniform(-0.05, 0.05), 5),
            longitude=round(11.39 + rng.uniform(-0.08, 0.08), 5),
            gnr=rng.randint(1, 200),
            bnr=rng.randint(1, 900),
            storeys=storeys,
            building_type=BUILDING_TYPE[kind],
            has_lift=lift,
            year_built=rng.choice([1925, 1958, 1965, 1972, 1984, 1998, 2008, 2019]),
        )
        db.session.add(building)
        db.session.flush()
        for storey in range(1, storeys + 1):
            for n in range(1, per_storey + 1):
                rooms = rng.choice([1, 2, 2, 3, 3, 4, 5])
                created += 1
                rows.append(
                    {
                        "building_id": building.id,
                        "external_id": f"E{created:06d}",
                        "unit_number": f"H{storey:02d}{n:02d}",
                        "floor": storey,
                        "rooms": rooms,
                        "bedrooms": max(0, rooms - 1),
                        "area": Decimal(str(round(22 + rooms * rng.uniform(14, 22), 1))),
                        "ownership": "owned" if rng.random() < 0.85 else "leased",
                        "status": rng.choices(["let", "vacant", "renovation"], [85, 12, 3])[0],
                    }
                )
        if len(rows) >= 5000:
            db.session.execute(Unit.__table__.insert(), rows)
            rows = []
    if rows:
        db.session.execute(Unit.__table__.insert(), rows)
    return created
