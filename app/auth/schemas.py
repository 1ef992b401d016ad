from marshmallow import fields, validate

from app.api.smorest import Schema
from app.auth.roles import ROLES


class LoginSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(1, 254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(1, 1024))


class UserSchema(Schema):
    id = fields.Integer(dump_only=True)
    email = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    role = fields.String(dump_only=True, metadata={"enum": list(ROLES)})


class MeSchema(Schema):
    user = fields.Nested(UserSchema, dump_only=True)
    auth_method = fields.String(dump_only=True, metadata={"enum": ["session", "token"]})
    csrf_token = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Send as X-CSRF-Token on writes authenticated by the cookie"},
    )


class TokenRequestSchema(Schema):
    email = fields.String(validate=validate.Length(1, 254))
    password = fields.String(load_only=True, validate=validate.Length(1, 1024))
    name = fields.String(required=True, validate=validate.Length(1, 200))


class TokenSchema(Schema):
    id = fields.UUID(dump_only=True)
    name = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    expires_at = fields.DateTime(dump_only=True)
    parent_id = fields.UUID(
        dump_only=True, allow_none=True, metadata={"description": "The token that issued it"}
    )
    revoked_at = fields.DateTime(dump_only=True, allow_none=True)
    token = fields.String(
        dump_only=True, metadata={"description": "The secret, shown only in this response"}
    )
