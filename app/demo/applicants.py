"""A few dozen demo applicant households with varied needs (no names, by case number)."""

from __future__ import annotations

import random

from flask import current_app
from sqlalchemy import func, select

from app.applicants.models import Applicant
from app.extensions import db

NEED_SETS = [
    [("wheelchair_manual", "required")],
    [("wheelchair_electric", "required")],
    [("walking_aid", "required"), ("balance", "preferred")],
    [("balance", "required"), ("stamina", "preferred")],
    [("low_vision", "required")],
    [("blind", "required"), ("cognitive", "preferred")],
    [("deaf", "required")],
    [("hard_of_hearing", "preferred")],
    [("cognitive", "required")],
    [("asthma_allergy", "required")],
    [("young_child", "required")],
    [],
]


def seed_applicants(units: int = 0, count: int = 36) -> int:
    if db.session.scalar(select(func.count()).select_from(Applicant)):
        return 0
    rng = random.Random(2023)
    districts = current_app.config["DISTRICTS"]
    for n in range(1, count + 1):
        needs = rng.choice(NEED_SETS)
        over_80 = int(rng.random() < 0.25)
        children = int(rng.random() < 0.3)
        wished = rng.sample(districts[:4], k=rng.choice([0, 1, 2]))
        db.session.add(
            Applicant(
                case_reference=f"2026/{4000 + n}",
                household={
                    "adults": rng.choice([1, 1, 2]),
                    "children_0_5": children,
                    "children_6_12": 0,
                    "children_13_17": 0,
                    "over_67": over_80 or int(rng.random() < 0.2),
                    "over_80": over_80,
                },
                needs=[{"limitation": key, "level": level} for key, level in needs],
                min_bedrooms=rng.choice([0, 1, 1, 2, 3]),
                districts=wished,
                districts_required=bool(wished) and rng.random() < 0.3,
                status="waiting",
            )
        )
    return count
