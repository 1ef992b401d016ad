"""Demo data builders; each step skips what already exists, so seeding twice is a no-op."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.auth import services as auth
from app.auth.models import User
from app.auth.roles import ROLES
from app.checklists import services as checklists
from app.demo import applicants, inspections, register
from app.extensions import db

DEMO_USERS = {
    "admin": ("admin@demo.halden.kommune.no", "Ada Administrator"),
    "inspector": ("befarer@demo.halden.kommune.no", "Birger Befarer"),
    "allocation_officer": ("tildeling@demo.halden.kommune.no", "Tone Tildeling"),
    "facility_manager": ("forvalter@demo.halden.kommune.no", "Frida Forvalter"),
}


def publish_definitions(units: int = 0) -> None:
    """The shipped checklists, profiles and measures (a no-op when already published)."""
    checklists.publish(Path(current_app.config["CHECKLISTS_PATH"]))


def seed_users() -> list[tuple[str, str, str]]:
    """One user per role; returns (email, role, password) for the ones created now."""
    created = []
    for role in ROLES:
        email, name = DEMO_USERS[role]
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            password = secrets.token_urlsafe(9)
            auth.create_user(email, role, password, name)
            created.append((email, role, password))
    return created


# Each step takes `units` and is idempotent; later domains add theirs.
STEPS: list = [
    publish_definitions,
    register.seed_register,
    inspections.seed_inspections,
    applicants.seed_applicants,
]
