"""Schema of the liveness and readiness answers."""

from marshmallow import fields

from app.api.smorest import Schema


class HealthSchema(Schema):
    status = fields.String()
    revision = fields.String(allow_none=True)
