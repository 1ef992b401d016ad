"""Schemas of the published catalogue: checklist versions, and the measures a plan names."""

from marshmallow import fields, validate

from app.api.smorest import Schema

MONEY = validate.Range(min=0)  # NOK: beyond the 32-bit range of ids and counts


class ChecklistVersionSchema(Schema):
    key = fields.String()
    version = fields.Integer()
    content_hash = fields.String()
    published_at = fields.DateTime()
    url = fields.Method("_url")
    assessed_units = fields.Integer(
        metadata={"description": "Units whose current assessment used this version"}
    )

    def _url(self, row):
        return f"/api/v1/checklists/{row.key}/versions/{row.version}"


class DefinitionSchema(Schema):
    class Meta:
        unknown = "include"

    data = fields.Raw(metadata={"description": "The full definition, see the checklist docs"})


class TextSchema(Schema):
    nb = fields.String()
    en = fields.String()


class CostSchema(Schema):
    low = fields.Integer(validate=MONEY)
    typical = fields.Integer(validate=MONEY)
    high = fields.Integer(validate=MONEY)


class MeasureCostSchema(CostSchema):
    basis = fields.String()
    year = fields.Integer(allow_none=True, metadata={"description": "Price level (NOK of)"})
    currency = fields.String()


class MeasureSchema(Schema):
    id = fields.String()
    name = fields.Nested(TextSchema)
    removes = fields.List(fields.String(), metadata={"description": "Checklist items"})
    cost = fields.Nested(MeasureCostSchema, metadata={"description": "One-off; per flight"})
    annual_cost = fields.Nested(
        MeasureCostSchema, allow_none=True, metadata={"description": "Recurring, per year"}
    )
    scope = fields.String(metadata={"description": '"unit", "building" or "flight"'})
    feasible_by_default = fields.Boolean()
    feasible_when = fields.Dict(
        allow_none=True, metadata={"description": "Register facts the measure needs"}
    )
    limits = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        metadata={"description": "Item id -> the largest failing value the measure can fix"},
    )
    ns3451 = fields.String()
