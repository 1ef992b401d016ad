from marshmallow import ValidationError, fields, validate, validates_schema

from app.api.smorest import Schema
from app.inspections.models import STATUSES
from app.units.schemas import UnitSchema


class Trimmed(fields.String):
    """Text without the spaces around it; its length is checked trimmed."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class AnswerInSchema(Schema):
    item_id = fields.String(required=True, validate=validate.Length(1, 100))
    instance = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1),
        metadata={"description": "The instance of a repeated section (default 1)"},
    )
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
    instance = fields.Integer(metadata={"description": "1 outside repeated sections"})
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


class PreviousAnswerSchema(Schema):
    item_id = fields.String()
    instance = fields.Integer()
    value = fields.Raw(allow_none=True)
    not_applicable = fields.Boolean()


class ItemCommentSchema(Schema):
    item_id = fields.String()
    instance = fields.Integer()
    text = fields.String()
    author_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class InstanceSchema(Schema):
    number = fields.Integer(metadata={"description": "The instance's id within its section"})
    label = fields.String()
    position = fields.Integer()


def instances_field(**metadata):
    return fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Nested(InstanceSchema)),
        dump_default=dict,
        metadata={
            "description": "Per repeated section: its instances, ordered by position and "
            "number (a section nobody split has its one instance, number 1)",
            **metadata,
        },
    )


class InstanceInSchema(Schema):
    label = Trimmed(required=True, validate=validate.Length(1, 60))
    position = fields.Integer(
        required=True,
        validate=validate.Range(0, 999),
        metadata={"description": "Where it is listed among the section's instances"},
    )


class InspectionDetailSchema(InspectionSchema):
    answers = fields.List(
        fields.Nested(AnswerSchema),
        attribute="all_answers",
        metadata={"description": "Every answer, one per item and instance"},
    )
    instances = instances_field()
    item_comments = fields.List(
        fields.Nested(ItemCommentSchema),
        metadata={"description": "The reviewer's comments per item from the last return"},
    )
    photos = fields.List(fields.Dict(), dump_default=list)
    previous_answers = fields.List(
        fields.Nested(PreviousAnswerSchema),
        dump_default=list,
        metadata={"description": "The previous approved inspection's answers (re-inspection)"},
    )


class StartingPointQuerySchema(Schema):
    unit_id = fields.List(
        fields.Integer(validate=validate.Range(1, 2**31 - 1)),
        validate=validate.Length(max=50),
        metadata={"description": "Units to prepare; default: the caller's units (at most 50)"},
    )


class StartingPointSchema(Schema):
    unit = fields.Nested(UnitSchema)
    checklist_key = fields.String()
    checklist_version = fields.Integer()
    previous_inspection_id = fields.UUID(allow_none=True)
    previous_approved_at = fields.DateTime(allow_none=True)
    previous_answers = fields.List(fields.Nested(PreviousAnswerSchema))
    instances = instances_field(
        description="The instances of repeated sections a new inspection starts with"
    )
    open_draft_id = fields.UUID(
        allow_none=True, metadata={"description": "The caller's open draft of this unit"}
    )


class MissingSchema(Schema):
    count = fields.Integer()
    missing = fields.Dict(
        metadata={
            "description": "By section: [{item_id, reason}] ({item_id, instance, reason} in a "
            "repeated section), as a refused submit lists"
        }
    )


class OutcomeSchema(Schema):
    item_id = fields.String(required=True)
    instance = fields.Integer(metadata={"description": "Items of repeated sections only"})
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


class ItemCommentInSchema(Schema):
    item_id = fields.String(required=True, validate=validate.Length(1, 100))
    instance = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1),
        metadata={"description": "The instance of a repeated section (default 1)"},
    )
    text = fields.String(required=True, validate=validate.Length(1, 2000))


class ReturnSchema(Schema):
    comment = fields.String(
        allow_none=True,
        validate=validate.Length(1, 2000),
        metadata={"description": "On the whole inspection; required without item_comments"},
    )
    item_comments = fields.List(
        fields.Nested(ItemCommentInSchema),
        load_default=list,
        validate=validate.Length(max=500),
        metadata={"description": "Per item; shown to the inspector at that item"},
    )

    @validates_schema
    def _something(self, data, **_):
        if not (data.get("comment") or "").strip() and not data["item_comments"]:
            raise ValidationError("Skriv en kommentar til befareren.", "comment")


class AnswerStateSchema(Schema):
    value = fields.Raw(allow_none=True, metadata={"description": "The answer's value"})
    not_applicable = fields.Boolean()


class ChangeSchema(Schema):
    item_id = fields.String()
    instance = fields.Integer()
    previous = fields.Nested(
        AnswerStateSchema, allow_none=True, metadata={"description": "null: not answered then"}
    )
    current = fields.Nested(
        AnswerStateSchema, allow_none=True, metadata={"description": "null: not answered now"}
    )
    carried_over = fields.Boolean(
        metadata={"description": "Copied from the previous inspection, not yet confirmed"}
    )


class ChangesSchema(Schema):
    """Documents the body `starting.changes_since_previous` builds; does not serialise."""

    previous_inspection_id = fields.UUID(
        allow_none=True, metadata={"description": "null: the unit's first inspection"}
    )
    changes = fields.List(fields.Nested(ChangeSchema))
