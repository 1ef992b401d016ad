"""Schemas of a what-if request: answers, unit facts, ad-hoc profiles and feasibility."""

from marshmallow import fields, validate

from app.api.smorest import Schema
from app.checklists.definitions import BUILDING_TYPES

# As many answers as one inspection may sync at once (a checklist has a few hundred items);
# with JSON_MAX_BYTES this bounds the work of one what-if request.
MAX_ANSWERS = 1000


class FactsSchema(Schema):
    floor = fields.Integer(allow_none=True, validate=validate.Range(-5, 60))
    has_lift = fields.Boolean(allow_none=True)
    building_type = fields.String(allow_none=True, validate=validate.OneOf(BUILDING_TYPES))
    storeys = fields.Integer(allow_none=True, validate=validate.Range(1, 60))
    area = fields.Float(allow_none=True, validate=validate.Range(5, 2000))


class WhatIfSchema(Schema):
    answers = fields.List(
        fields.Dict(),
        required=True,
        validate=validate.Length(max=MAX_ANSWERS),
        metadata={"description": 'Answers: {"item_id", "value"} or {"item_id", "not_applicable"}'},
    )
    facts = fields.Nested(FactsSchema, load_default=dict)
    profiles = fields.Dict(
        keys=fields.String(validate=validate.Length(1, 64)),
        values=fields.Dict(
            keys=fields.String(validate=validate.Length(1, 64)),
            values=fields.Float(),
            validate=validate.Length(max=100),
        ),
        load_default=dict,
        validate=validate.Length(max=20),
        metadata={"description": "Ad-hoc profiles: {key: {limitation: weight 0..1}}"},
    )
    feasibility = fields.Dict(
        keys=fields.String(validate=validate.Length(1, 64)),
        values=fields.Boolean(),
        load_default=dict,
        validate=validate.Length(max=1000),
        metadata={"description": "Per measure id: feasible for this unit or not"},
    )
