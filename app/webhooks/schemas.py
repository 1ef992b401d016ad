from marshmallow import fields, validate

from app.api.smorest import Schema
from app.webhooks.events import SUBSCRIBABLE
from app.webhooks.models import DELIVERY_STATUSES


class SubscriptionInputSchema(Schema):
    url = fields.String(required=True, validate=validate.Length(1, 2000))
    events = fields.List(
        fields.String(validate=validate.OneOf(SUBSCRIBABLE)),
        required=True,
        validate=validate.Length(min=1),
    )
    secret = fields.String(
        load_only=True,
        validate=validate.Length(max=200),
        metadata={"description": "`whsec_` + base64 of 24-64 bytes; generated when left out"},
    )
    description = fields.String(allow_none=True, validate=validate.Length(max=200))
    active = fields.Boolean()


class SubscriptionSchema(Schema):
    id = fields.Integer()
    url = fields.String()
    events = fields.List(fields.String())
    description = fields.String(allow_none=True)
    active = fields.Boolean()
    created_at = fields.DateTime()


class CreatedSubscriptionSchema(SubscriptionSchema):
    secret = fields.String(metadata={"description": "The signing secret, shown only now"})


class EventTypeSchema(Schema):
    name = fields.String()
    description = fields.String()
    data = fields.List(fields.String(), metadata={"description": "The members of `data`"})


class AttemptSchema(Schema):
    number = fields.Integer()
    at = fields.DateTime()
    status_code = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    duration_ms = fields.Integer()


class DeliverySchema(Schema):
    id = fields.UUID()
    subscription_id = fields.Integer()
    event = fields.String()
    status = fields.String(metadata={"enum": list(DELIVERY_STATUSES)})
    attempts = fields.Integer(metadata={"description": "Attempts in the current round"})
    next_attempt_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    delivered_at = fields.DateTime(allow_none=True)
    last_status_code = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)


class DeliveryDetailSchema(DeliverySchema):
    payload = fields.Dict(metadata={"description": "The body as sent"})
    attempt_log = fields.List(fields.Nested(AttemptSchema), data_key="attempt_log")


class DeliveryQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(DELIVERY_STATUSES))
    event = fields.String(validate=validate.OneOf(SUBSCRIBABLE))
