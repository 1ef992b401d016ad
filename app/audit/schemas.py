from marshmallow import fields

from app.api.smorest import Schema


class AuditEventSchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor_id = fields.Integer(allow_none=True)
    actor_email = fields.String(allow_none=True)
    action = fields.String()
    object_type = fields.String()
    object_id = fields.String(allow_none=True)
    client_address = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)
    details = fields.Dict()


class AuditQuerySchema(Schema):
    action = fields.String()
    object_type = fields.String()
    object_id = fields.String()
    actor_id = fields.Integer()
