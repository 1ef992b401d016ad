from flask import current_app
from marshmallow import ValidationError, fields, validate, validates, validates_schema
from webargs.fields import DelimitedList

from app.api.smorest import Schema
from app.applicants.identity import contains_identity_number
from app.applicants.models import OFFER_STATUSES, STATUSES

IDENTITY_MESSAGE = (
    "Teksten ser ut til å inneholde et fødselsnummer. Søkere registreres uten "
    "fødselsnummer og navn; bruk saksnummeret."
)


def no_identity_number(value: str) -> None:
    if contains_identity_number(value):
        raise ValidationError(IDENTITY_MESSAGE)


class HouseholdSchema(Schema):
    adults = fields.Integer(load_default=1, validate=validate.Range(0, 20))
    children_0_5 = fields.Integer(load_default=0, validate=validate.Range(0, 20))
    children_6_12 = fields.Integer(load_default=0, validate=validate.Range(0, 20))
    children_13_17 = fields.Integer(load_default=0, validate=validate.Range(0, 20))
    over_67 = fields.Integer(load_default=0, validate=validate.Range(0, 20))
    over_80 = fields.Integer(load_default=0, validate=validate.Range(0, 20))


class NeedSchema(Schema):
    limitation = fields.String(required=True)
    level = fields.String(
        load_default="required", validate=validate.OneOf(["required", "preferred"])
    )


class ApplicantSchema(Schema):
    id = fields.Integer(dump_only=True)
    case_reference = fields.String(
        required=True,
        validate=[validate.Length(1, 64), no_identity_number],
        metadata={"description": "The case number in the municipality's case system"},
    )
    household = fields.Nested(HouseholdSchema, load_default=dict)
    needs = fields.List(fields.Nested(NeedSchema), load_default=list)
    min_bedrooms = fields.Integer(load_default=0, validate=validate.Range(0, 10))
    districts = fields.List(fields.String(), load_default=list)
    districts_required = fields.Boolean(load_default=False)
    earliest_move_in = fields.Date(allow_none=True)
    status = fields.String(load_default="waiting", validate=validate.OneOf(STATUSES))
    notes = fields.String(allow_none=True, validate=[validate.Length(max=4000), no_identity_number])
    version = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)

    @validates("districts")
    def _districts(self, value, **_):
        known = current_app.config["DISTRICTS"]
        unknown = [d for d in value if d not in known]
        if unknown:
            raise ValidationError(f"Ukjent bydel/krets: {', '.join(unknown)}.")


class ApplicantQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))


class MatchQuerySchema(Schema):
    status = DelimitedList(
        fields.String(validate=validate.OneOf(["vacant", "let", "renovation", "inactive"])),
        load_default=lambda: ["vacant"],
    )
    allow_adaptable = fields.Boolean(load_default=False)
    include_unassessed = fields.Boolean(load_default=False)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    page_size = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class OfferCreateSchema(Schema):
    unit_id = fields.Integer(required=True, metadata={"description": "A vacant unit"})


class OfferDecisionSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(OFFER_STATUSES[1:]))
    reason = fields.String(
        allow_none=True,
        validate=validate.Length(1, 2000),
        metadata={"description": "Why the household declined (required then), or why withdrawn"},
    )

    @validates_schema
    def _reason(self, data, **_):
        reason = (data.get("reason") or "").strip()
        if data["status"] == "declined" and not reason:
            raise ValidationError("Skriv hvorfor husstanden takket nei.", "reason")
        if contains_identity_number(reason):
            raise ValidationError(IDENTITY_MESSAGE, "reason")


class OfferSchema(Schema):
    id = fields.Integer()
    applicant_id = fields.Integer()
    unit_id = fields.Integer()
    address = fields.String(attribute="unit.building.address")
    unit_number = fields.String(attribute="unit.unit_number")
    status = fields.String(metadata={"enum": list(OFFER_STATUSES)})
    reason = fields.String(allow_none=True)
    offered_by_id = fields.Integer(allow_none=True)
    offered_at = fields.DateTime()
    decided_by_id = fields.Integer(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    version = fields.Integer()


class DistrictDemandSchema(Schema):
    waiting_households = fields.Integer(
        allow_none=True, metadata={"description": "null: fewer than `suppressed_below`"}
    )
    suitable_units_vacant = fields.Integer()
    suitable_units_total = fields.Integer()


class DemandSchema(Schema):
    """Documents the body `demand.demand` builds; does not serialise."""

    suppressed_below = fields.Integer(
        metadata={"description": "Waiting counts below this are published as null"}
    )
    needs = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Nested(DistrictDemandSchema)),
        metadata={"description": "Per need (limitation or profile key), per district"},
    )
