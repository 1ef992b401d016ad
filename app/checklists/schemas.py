"""Schemas of the published catalogue: checklist versions and definitions, limitations,
profiles and measures.

The definition, limitation, profile and measure schemas document bodies that
`app.checklists.serialize` builds (see `Blueprint.documents`); they do not serialise."""

from marshmallow import fields, validate

from app.api.smorest import Schema
from app.checklists.answer_types import (
    ANSWER_TYPES,
    JUDGED_BY,
    NEEDABLE,
    OPERATORS,
    TYPE_FIELDS,
    VALUE_KINDS,
)

# NOK: beyond the 32-bit range of ids and counts (a bound of its own keeps the schema from
# adding that range), up to the largest integer every JSON reader holds exactly.
MONEY = validate.Range(0, 2**53 - 1)
SEVERITY = {"description": "Per limitation key: the severity, 1 (minor) .. 4 (blocking)"}
CONDITION = {"description": "A condition in the checklist file's own shape, e.g. {item, eq}"}


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


class ReferenceSchema(Schema):
    source = fields.String(metadata={"description": 'E.g. "TEK17", "Husbanken"'})
    clause = fields.String(metadata={"description": 'E.g. "§12-13"; "" without clauses'})
    kind = fields.String(metadata={"enum": ["regulation", "guidance", "recommendation"]})
    note = fields.String()


class RequirementSchema(Schema):
    min = fields.Float(allow_none=True)
    max = fields.Float(allow_none=True)
    recommended = fields.Float(allow_none=True)


class BandSchema(Schema):
    """A milder grading of a failed measurement: `at_least` (a `min` requirement) or
    `at_most` (a `max` requirement), never both."""

    at_least = fields.Float()
    at_most = fields.Float()
    severity = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata=SEVERITY)


class ChoiceSchema(Schema):
    key = fields.String()
    label = fields.Nested(TextSchema)
    passes = fields.Boolean()
    severity = fields.Dict(
        keys=fields.String(), values=fields.Integer(), allow_none=True, metadata=SEVERITY
    )


class ItemSchema(Schema):
    """One item with every rule needed to grade an answer on the device."""

    id = fields.String()
    section = fields.String()
    type = fields.String(
        metadata={"enum": list(ANSWER_TYPES), "description": "A key of `answer_types`"}
    )
    question = fields.Nested(TextSchema)
    help = fields.Nested(TextSchema)
    reference = fields.Nested(ReferenceSchema)
    severity = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata=SEVERITY)
    not_applicable_allowed = fields.Boolean()
    condition = fields.Dict(allow_none=True, metadata=CONDITION)
    satisfied_by = fields.Dict(allow_none=True, metadata=CONDITION)
    photo = fields.String(metadata={"enum": ["required_on_barrier", "optional"]})
    unit = fields.String(allow_none=True, metadata={"description": 'E.g. "mm", "%", "lux"'})
    bounds = fields.List(
        fields.Float(), allow_none=True, metadata={"description": "[low, high]: a sane range"}
    )
    requirement = fields.Nested(RequirementSchema, allow_none=True)
    bands = fields.List(fields.Nested(BandSchema), metadata={"description": "Mildest first"})
    choices = fields.List(fields.Nested(ChoiceSchema))
    register = fields.String(allow_none=True, metadata={"description": "The unit fact it reads"})
    no_measure_reason = fields.String(allow_none=True)
    measures = fields.List(fields.String(), metadata={"description": "Ids of the measures"})


class RepeatSchema(Schema):
    label = fields.Nested(TextSchema, metadata={"description": "Instance n's name: {n}"})
    rule = fields.String(
        metadata={"description": "any: the best instance counts; every: the worst does"}
    )
    min = fields.Integer()
    max = fields.Integer()
    prefill = fields.String(
        allow_none=True, metadata={"description": "Register fact giving the instance count"}
    )


class SectionSchema(Schema):
    id = fields.String()
    title = fields.Nested(TextSchema)
    location = fields.String(allow_none=True, metadata={"description": "null: mixed"})
    repeat = fields.Nested(
        RepeatSchema, allow_none=True, metadata={"description": "null: recorded once"}
    )
    items = fields.List(fields.Nested(ItemSchema))


class AnswerTypeSchema(Schema):
    """What the answers of one type are and how they are judged (see answer_types.py)."""

    value = fields.String(metadata={"enum": list(VALUE_KINDS), "description": "What a value is"})
    judged_by = fields.String(
        allow_none=True,
        metadata={
            "enum": [*JUDGED_BY, None],
            "description": '"yes": true passes; "choice": the choice\'s `passes`; '
            '"requirement": min/max and bands; null: never judged, rates nothing',
        },
    )
    allows = fields.List(
        fields.String(metadata={"enum": list(TYPE_FIELDS)}),
        metadata={"description": "The optional item fields its items may carry"},
    )
    needs = fields.List(
        fields.String(metadata={"enum": list(NEEDABLE)}),
        metadata={"description": "What every item of the type must have"},
    )
    operators = fields.List(
        fields.String(metadata={"enum": list(OPERATORS)}),
        metadata={"description": "The operators a condition may compare its answers with"},
    )
    required = fields.Boolean(metadata={"description": "A submission needs it answered"})
    noun = fields.String(metadata={"description": "Its Norwegian name, e.g. «målepunkt»"})
    inputmode = fields.String(
        allow_none=True, metadata={"description": "The keyboard for a typed value"}
    )
    input_label = fields.String(
        allow_none=True, metadata={"description": "The label of a typed value (Norwegian)"}
    )


class OperatorSchema(Schema):
    """A condition operator: `{item|fact: x, <name>: value}`."""

    takes = fields.String(
        metadata={"enum": ["value", "list"], "description": "list: holds for one of them"}
    )
    orders = fields.Boolean(metadata={"description": "Compares numbers only (gt, ge, lt, le)"})
    holds = fields.List(
        fields.Integer(),
        metadata={"description": "The outcomes it holds for: -1 less, 0 equal, 1 greater"},
    )


class ChecklistSchema(Schema):
    """A checklist version's full definition, with the measures that remove each item, and
    the table of answer types and condition operators the device judges answers by."""

    key = fields.String()
    version = fields.Integer()
    title = fields.Nested(TextSchema)
    sections = fields.List(fields.Nested(SectionSchema))
    answer_types = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(AnswerTypeSchema),
        metadata={"description": "Every answer type by name (an item's `type`)"},
    )
    operators = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(OperatorSchema),
        metadata={"description": "Every condition operator by name"},
    )


class LimitationSchema(Schema):
    key = fields.String()
    label = fields.Nested(TextSchema)
    group = fields.String()


class ProfileSchema(Schema):
    key = fields.String()
    label = fields.Nested(TextSchema)
    weights = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        metadata={"description": "Limitation key -> weight 0..1; empty: general score only"},
    )


class ProfileSetSchema(Schema):
    version = fields.Integer()
    tolerance = fields.Integer()
    min_coverage = fields.Float()
    profiles = fields.List(fields.Nested(ProfileSchema))


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


class MeasureCatalogueSchema(Schema):
    version = fields.Integer()
    measures = fields.List(fields.Nested(MeasureSchema))
