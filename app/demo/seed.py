"""Demo data builders; each step skips what already exists, so seeding twice is a no-op."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from app.auth import services as auth
from app.auth.models import User
from app.auth.roles import ROLES
from app.extensions import db

DEMO_USERS = {
    "admin": ("admin@demo.halden.kommune.no", "Ada Administrator"),
    "inspector": ("befarer@demo.halden.kommune.no", "Birger Befarer"),
    "allocation_officer": ("tildeling@demo.halden.kommune.no", "Tone Tildeling"),
    "facility_manager": ("forvalter@demo.halden.kommune.no", "Frida Forvalter"),
}


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


# Later domains append their builders here: each takes `units` and is idempotent.
STEPS: list = []
