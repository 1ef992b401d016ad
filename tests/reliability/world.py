"""A small, real data set for role scenarios: one signed-in caller per role and one object of
every kind the API addresses by id, so path parameters point at rows that exist."""

from __future__ import annotations

from dataclasses import dataclass

from app.auth import services as auth
from app.auth.roles import ROLES
from app.extensions import db
from tests.conftest import Caller
from tests.factories import make_unit, upload_photo

HOUSEHOLD = {
    "case_reference": "2026/7001",
    "household": {"adults": 1},
    "needs": [{"limitation": "wheelchair_manual", "level": "required"}],
    "min_bedrooms": 1,
}


@dataclass
class World:
    callers: dict[str, Caller]
    revoked_token: str
    ids: dict[str, object]  # path parameter name -> an existing id

    def headers(self, role: str | None) -> dict:
        if role is None:
            return {}
        token = self.revoked_token if role == "revoked" else self.callers[role].token
        return {"Authorization": f"Bearer {token}"}


def build_world(as_role) -> World:
    callers = {role: as_role(role) for role in ROLES}
    revoked = as_role("admin")
    token = auth.revoke_token(revoked.user, _token_id(revoked))
    db.session.commit()
    assert token.revoked_at is not None

    inspector = callers["inspector"]
    unit = make_unit()
    inspection = inspector.post(
        "/api/v1/inspections", json={"unit_id": unit.id, "checklist_version": 1}
    ).get_json()
    photo = upload_photo(inspector, inspection["id"]).get_json()
    applicant = callers["allocation_officer"].post("/api/v1/applicants", json=HOUSEHOLD)
    ids = {
        "applicant_id": applicant.get_json()["id"],
        "building_id": unit.building_id,
        "unit_id": unit.id,
        "user_id": inspector.user.id,
        "inspection_id": inspection["id"],
        "photo_id": photo["id"],
        "token_id": str(_token_id(callers["admin"])),
        "offer_id": 1,  # none exists: 404 for the roles allowed
        "key": "uu-bolig",
        "version": 1,
    }
    return World(callers, revoked.token, ids)


def _token_id(caller: Caller):
    from sqlalchemy import select

    from app.auth.models import ApiToken

    return db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == caller.user.id))
