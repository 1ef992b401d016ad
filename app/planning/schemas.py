"""Schemas of plan requests and plans, scenarios, done measures and feasibility overrides.

The plan, comparison and done schemas document bodies the services build JSON-ready (see
`Blueprint.documents`); they do not serialise."""

from marshmallow import ValidationError, fields, validate, validates_schema

from app.api.smorest import Schema
from app.checklists.schemas import MONEY, CostSchema, MeasureSchema


class UpgradeQuerySchema(Schema):
    profile = fields.String(required=True, metadata={"description": "Limitation or profile key"})


class PlannedSchema(Schema):
    measure_id = fields.String(required=True)
    unit_id = fields.Integer()
    building_id = fields.Integer()


class PlanRequestSchema(Schema):
    budget = fields.Integer(required=True, validate=validate.Range(0, 10_000_000_000))
    priorities = fields.Raw(
        required=True,
        metadata={"description": '"demand", or {key: weight} per limitation/profile'},
    )
    districts = fields.List(fields.String())
    unit_ids = fields.List(fields.Integer())
    already_planned = fields.List(fields.Nested(PlannedSchema), load_default=list)

    @validates_schema
    def _priorities(self, data, **_):
        value = data.get("priorities")
        if value == "demand":
            return
        if (
            not isinstance(value, dict)
            or not value
            or not all(
                isinstance(k, str)
                and isinstance(w, int | float)
                and not isinstance(w, bool)
                and 0 <= w <= 100
                for k, w in value.items()
            )
        ):
            raise ValidationError('Bruk "demand" eller {nøkkel: vekt 0–100}.', "priorities")


class FormatSchema(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv", "xlsx"]))


# The plan response. The service builds it JSON-ready; these schemas document it (a plan
# over a national stock has tens of thousands of steps, too many to dump field by field).


class MeasureRefSchema(Schema):
    id = fields.String(metadata={"description": "A key of the plan's `measures`"})
    owner = fields.Integer(
        metadata={"description": "The unit, or for a building measure the building"}
    )


class PlanStepSchema(Schema):
    rank = fields.Integer()
    unit_id = fields.Integer()
    building_id = fields.Integer()
    address = fields.String()
    unit_number = fields.String()
    district = fields.String()
    measures = fields.List(
        fields.Nested(MeasureRefSchema), metadata={"description": "Bought in this step"}
    )
    reused_measures = fields.List(
        fields.Nested(MeasureRefSchema),
        metadata={"description": "Also part of the upgrade, paid earlier or already planned"},
    )
    cost = fields.Nested(CostSchema, metadata={"description": "Paid in this step"})
    cumulative_cost = fields.Integer(validate=MONEY, metadata={"description": "Typical"})
    needs = fields.List(fields.String(), metadata={"description": "Made suitable by the step"})
    value = fields.Float(metadata={"description": "Weight of the needs made suitable"})


class NeedTotalSchema(Schema):
    need = fields.String()
    district = fields.String(allow_none=True, metadata={"description": "null: all districts"})
    units = fields.Integer()
    current = fields.Integer(metadata={"description": "Units suitable today"})
    baseline = fields.Integer(metadata={"description": "With the already planned measures"})
    after = fields.Integer(metadata={"description": "With the plan"})
    spread_baseline = fields.Float()
    spread_after = fields.Float(
        metadata={"description": "Max minus min share of suitable units across districts"}
    )


class PlanTotalsSchema(Schema):
    overall = fields.List(fields.Nested(NeedTotalSchema))
    districts = fields.List(fields.Nested(NeedTotalSchema))


class PlanSchema(Schema):
    budget = fields.Integer(validate=MONEY)
    spent = fields.Nested(CostSchema)
    value = fields.Float()
    upper_bound = fields.Float(metadata={"description": "No plan within the budget is worth more"})
    method = fields.String()
    measures = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(MeasureSchema),
        metadata={"description": "Every measure the steps name, once, by id"},
    )
    steps = fields.List(fields.Nested(PlanStepSchema))
    totals = fields.Nested(PlanTotalsSchema)


class ScenarioCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 200))
    request = fields.Nested(PlanRequestSchema, required=True)


class ScenarioSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    request = fields.Dict()
    result = fields.Dict()
    created_at = fields.DateTime()


class CompareSchema(Schema):
    a = fields.Integer(required=True)
    b = fields.Integer(required=True)


class DoneSchema(Schema):
    unit_id = fields.Integer(required=True)
    measure_id = fields.String(required=True)


class ScenarioSummarySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    budget = fields.Integer(validate=MONEY)
    spent = fields.Nested(CostSchema)
    value = fields.Float()
    steps = fields.Integer(metadata={"description": "How many steps the plan has"})
    after = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Per need: units suitable with the plan"},
    )


class ComparisonSchema(Schema):
    a = fields.Nested(ScenarioSummarySchema)
    b = fields.Nested(ScenarioSummarySchema)
    difference = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Per need: suitable units in b minus those in a"},
    )


class DoneResultSchema(Schema):
    id = fields.Integer()
    follow_up_inspection_id = fields.UUID(
        metadata={"description": "The re-inspection that records the measure's effect"}
    )


class OverrideSchema(Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(allow_none=True)
    building_id = fields.Integer(allow_none=True)
    measure_id = fields.String(required=True)
    feasible = fields.Boolean(required=True)
    reason = fields.String(required=True, validate=validate.Length(1, 2000))
    set_at = fields.DateTime(dump_only=True)


class OverrideQuerySchema(Schema):
    unit_id = fields.Integer()
    building_id = fields.Integer()
