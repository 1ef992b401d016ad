"""Response schemas of the bodies views build themselves: an accessibility result (what-if
score, a unit's current assessment), matches and upgrade options.

They document, they do not serialise (see `Blueprint.documents`): the bodies come from the
scoring and matching code, and members may be added within /api/v1 (the schemas allow
additional properties, so a client generated today keeps working)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from app.api.smorest import Schema

CLASSES = ["suitable", "adaptable", "unsuitable", "unknown"]
SEVERITY = {"description": "1 (minor) .. 4 (blocking)"}


class Open(Schema):
    class Meta(Schema.Meta):
        unknown = ma.INCLUDE  # additionalProperties: true


class LabelSchema(Open):
    nb = fields.String(required=True)
    en = fields.String(allow_none=True)


class CostRangeSchema(Open):
    low = fields.Float(required=True)
    typical = fields.Float(required=True)
    high = fields.Float(required=True)


class MeasureOptionSchema(Open):
    id = fields.String(required=True)
    name = fields.Nested(LabelSchema, required=True)
    cost = fields.Nested(CostRangeSchema, required=True)
    feasible = fields.Boolean()


class BarrierSchema(Open):
    item_id = fields.String(required=True)
    question = fields.Nested(LabelSchema)
    answer = fields.Raw(allow_none=True, metadata={"description": "The answer's value"})
    severity = fields.Integer(required=True, metadata=SEVERITY)
    photo_ids = fields.List(fields.String())
    measures = fields.List(fields.Nested(MeasureOptionSchema), required=True)


class UnansweredSchema(Open):
    item_id = fields.String(required=True)
    question = fields.Nested(LabelSchema)
    weight = fields.Float()


class KeyResultSchema(Open):
    """R: one limitation's (or the general) score, class, coverage and barriers."""

    score = fields.Float(required=True)
    class_ = fields.String(data_key="class", required=True, metadata={"enum": CLASSES})
    coverage = fields.Float(required=True)
    problem_score = fields.Float()
    barriers = fields.List(fields.Nested(BarrierSchema), required=True)
    unanswered = fields.List(fields.Nested(UnansweredSchema))


class ProfileLimitationSchema(Open):
    weight = fields.Float()
    score = fields.Float()
    class_ = fields.String(data_key="class", metadata={"enum": CLASSES})
    coverage = fields.Float()


class ProfileResultSchema(KeyResultSchema):
    limitations = fields.Dict(keys=fields.String(), values=fields.Nested(ProfileLimitationSchema))


class AccessibilityResultSchema(Open):
    limitations = fields.Dict(
        keys=fields.String(), values=fields.Nested(KeyResultSchema), required=True
    )
    profiles = fields.Dict(
        keys=fields.String(), values=fields.Nested(ProfileResultSchema), required=True
    )
    general = fields.Nested(KeyResultSchema, required=True)


class ChecklistRefSchema(Open):
    key = fields.String(required=True)
    version = fields.Integer(required=True)


class SuitsSchema(Open):
    limitations = fields.List(fields.String())
    profiles = fields.List(fields.String())


class UnitAccessibilitySchema(Open):
    """A unit's current assessment; only `unit_id`, `assessed` and `detail` when it has none."""

    unit_id = fields.Integer(required=True)
    assessed = fields.Boolean(required=True)
    detail = fields.String()
    inspection_id = fields.String()
    checklist = fields.Nested(ChecklistRefSchema)
    profiles_version = fields.Integer()
    measures_version = fields.Integer()
    scored_at = fields.String()
    suits = fields.Nested(SuitsSchema)
    limitations = fields.Dict(keys=fields.String(), values=fields.Nested(KeyResultSchema))
    profiles = fields.Dict(keys=fields.String(), values=fields.Nested(ProfileResultSchema))
    general = fields.Nested(KeyResultSchema)


class NeedFitSchema(Open):
    class_ = fields.String(data_key="class", metadata={"enum": CLASSES})
    score = fields.Float()
    level = fields.String()


class RemainingBarrierSchema(Open):
    need = fields.String()
    item_id = fields.String()
    severity = fields.Integer(metadata=SEVERITY)


class MatchSchema(Open):
    rank = fields.Integer(required=True)
    unit_id = fields.Integer(required=True)
    address = fields.String()
    unit_number = fields.String(allow_none=True)
    district = fields.String(allow_none=True)
    bedrooms = fields.Integer(allow_none=True)
    status = fields.String()
    profile_score = fields.Float()
    needs = fields.Dict(keys=fields.String(), values=fields.Nested(NeedFitSchema))
    reasons = fields.List(fields.String())
    remaining_barriers = fields.List(fields.Nested(RemainingBarrierSchema))
    measures = fields.List(fields.Nested(MeasureOptionSchema))
    cost = fields.Nested(CostRangeSchema)


class UnassessedUnitSchema(Open):
    unit_id = fields.Integer(required=True)
    unit_number = fields.String(allow_none=True)
    address = fields.String()
    district = fields.String(allow_none=True)


class MatchesSchema(Open):
    applicant_id = fields.Integer(required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    matches = fields.List(fields.Nested(MatchSchema), required=True)
    not_assessed = fields.List(fields.Nested(UnassessedUnitSchema))


class BlockedItemSchema(Open):
    item_id = fields.String()
    infeasible_measures = fields.List(fields.String())


class UpgradeOptionsSchema(Open):
    """Reachable: the measures, their cost and the resulting score; otherwise why not."""

    unit_id = fields.Integer(required=True)
    target = fields.String(required=True)
    reachable = fields.Boolean(required=True)
    class_before = fields.String(metadata={"enum": CLASSES})
    score_before = fields.Float()
    resulting_score = fields.Float()
    measures = fields.List(fields.Nested(MeasureOptionSchema))
    removes = fields.List(fields.String())
    cost = fields.Nested(CostRangeSchema)
    also_suitable = fields.List(fields.String())
    reason = fields.String()
    detail = fields.String()
    blocked = fields.List(fields.Nested(BlockedItemSchema))
    unanswered = fields.List(fields.String())
