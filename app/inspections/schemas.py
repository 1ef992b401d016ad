from marshmallow import fields, validate

from app.api.smorest import Schema
from app.inspections.models import STATUSES


class AnswerInSchema(Schema):
    item_id = fields.String(required=True, validate=validate.Length(1, 100))
    value = fields.Raw(
        allow_none=True, metadata={"description": "bool, number, choice key or text"}
    )
    not_applicable = fields.Boolean()
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))
    answered_at = fields.AwareDateTime(
        default_timezone=None, metadata={"description": "When the device recorded it (UTC)"}
    )


class AnswerBatchSchema(Schema):
    answers = fields.List(
        fields.Nested(AnswerInSchema), required=True, validate=validate.Length(max=1000)
    )


class AnswerSchema(Schema):
    item_id = fields.String()
    value = fields.Raw(allow_none=True)
    not_applicable = fields.Boolean()
    note = fields.String(allow_none=True)
    answered_at = fields.DateTime()
    source = fields.String(metadata={"enum": ["inspector", "register", "carried"]})
    carried_over = fields.Boolean()


class InspectionCreateSchema(Schema):
    id = fields.UUID(metadata={"description": "Client-generated UUID; repeating it is safe"})
    unit_id = fields.Integer(required=True)
    inspector_id = fields.Integer(metadata={"description": "Defaults to the caller"})
    checklist_key = fields.String(load_default="uu-bolig")
    checklist_version = fields.Integer(metadata={"description": "Defaults to the newest"})
    carry_over = fields.Boolean(
        load_default=True, metadata={"description": "Start from the last approved answers"}
    )


class InspectionSchema(Schema):
    id = fields.UUID()
    unit_id = fields.Integer()
    unit_number = fields.String(attribute="unit.unit_number")
    address = fields.String(attribute="unit.building.address")
    checklist_key = fields.String()
    checklist_version = fields.Integer()
    inspector_id = fields.Integer()
    status = fields.String(metadata={"enum": list(STATUSES)})
    version = fields.Integer()
    previous_id = fields.UUID(allow_none=True)
    return_comment = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)


class InspectionDetailSchema(InspectionSchema):
    answers = fields.List(fields.Nested(AnswerSchema))
    photos = fields.List(fields.Dict(), dump_default=list)


class OutcomeSchema(Schema):
    item_id = fields.String(required=True)
    outcome = fields.String(
        required=True,
        metadata={
            "enum": ["saved", "unchanged", "stale"],
            "description": "saved, unchanged or stale (a newer answer exists)",
        },
    )


class SyncResultSchema(Schema):
    inspection = fields.Nested(InspectionDetailSchema)
    outcomes = fields.List(fields.Nested(OutcomeSchema), metadata={"description": "Per answer"})


class InspectionQuerySchema(Schema):
    unit_id = fields.Integer()
    status = fields.String(validate=validate.OneOf(STATUSES))
    assigned_to = fields.String(validate=validate.OneOf(["me"]))


class ReturnSchema(Schema):
    comment = fields.String(required=True, validate=validate.Length(1, 2000))
