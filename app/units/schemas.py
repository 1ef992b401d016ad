from flask import current_app
from flask_smorest.fields import Upload
from marshmallow import ValidationError, fields, validate, validates, validates_schema
from webargs.fields import DelimitedList

from app.api.smorest import Schema
from app.checklists.definitions import BUILDING_TYPES
from app.units.facts import facts_of
from app.units.models import OWNERSHIPS, STATUSES
from app.units.numbering import InvalidUnitNumber, parse_unit_number

YEAR = validate.Range(1600, 2100)


class Area(fields.Decimal):
    """Square metres: read as a Decimal rounded to `places`, written as a JSON number
    (a Decimal would reach the client as a string, against the documented type)."""

    def _serialize(self, value, attr, obj, **kwargs):
        number = super()._serialize(value, attr, obj, **kwargs)
        return None if number is None else float(number)


def check_district(value: str) -> None:
    districts = current_app.config["DISTRICTS"]
    if value not in districts:
        raise ValidationError(f"Ukjent bydel/krets. Gyldige: {', '.join(districts)}.")


class BuildingSchema(Schema):
    id = fields.Integer(dump_only=True)
    external_id = fields.String(allow_none=True, validate=validate.Length(1, 64))
    name = fields.String(allow_none=True, validate=validate.Length(max=200))
    address = fields.String(required=True, validate=validate.Length(1, 200))
    postal_code = fields.String(allow_none=True, validate=validate.Regexp(r"^\d{4}$"))
    place = fields.String(allow_none=True, validate=validate.Length(max=100))
    district = fields.String(required=True, validate=check_district)
    latitude = fields.Float(allow_none=True, validate=validate.Range(57, 72))
    longitude = fields.Float(allow_none=True, validate=validate.Range(4, 32))
    gnr = fields.Integer(allow_none=True, validate=validate.Range(1, 99999))
    bnr = fields.Integer(allow_none=True, validate=validate.Range(1, 99999))
    fnr = fields.Integer(allow_none=True, validate=validate.Range(0, 9999))
    snr = fields.Integer(allow_none=True, validate=validate.Range(0, 9999))
    storeys = fields.Integer(allow_none=True, validate=validate.Range(1, 60))
    building_type = fields.String(
        allow_none=True,
        validate=validate.OneOf(BUILDING_TYPES),
        metadata={"description": "block, terraced, semi_detached, detached, care_housing, other"},
    )
    has_lift = fields.Boolean(allow_none=True)
    year_built = fields.Integer(allow_none=True, validate=YEAR)
    notes = fields.String(allow_none=True, validate=validate.Length(max=4000))
    version = fields.Integer(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class BuildingQuerySchema(Schema):
    district = fields.String()
    q = fields.String(metadata={"description": "Free-text search in name and address"})


class UnitSchema(Schema):
    id = fields.Integer(dump_only=True)
    building_id = fields.Integer(required=True)
    external_id = fields.String(allow_none=True, validate=validate.Length(1, 64))
    unit_number = fields.String(
        required=True, metadata={"description": "Bruksenhetsnummer, e.g. H0201"}
    )
    floor = fields.Integer(
        allow_none=True,
        validate=validate.Range(-5, 60),
        metadata={"description": "1 = street level; derived from the unit number when left out"},
    )
    rooms = fields.Integer(allow_none=True, validate=validate.Range(1, 20))
    bedrooms = fields.Integer(allow_none=True, validate=validate.Range(0, 15))
    bathrooms = fields.Integer(
        allow_none=True,
        validate=validate.Range(0, 10),
        metadata={"description": "An inspection starts with this many bathrooms to record"},
    )
    area = Area(allow_none=True, places=1, validate=validate.Range(1, 999))
    ownership = fields.String(load_default="owned", validate=validate.OneOf(OWNERSHIPS))
    status = fields.String(load_default="let", validate=validate.OneOf(STATUSES))
    notes = fields.String(allow_none=True, validate=validate.Length(max=4000))
    version = fields.Integer(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)
    address = fields.String(dump_only=True, attribute="building.address")
    facts = fields.Function(
        facts_of,
        dump_only=True,
        metadata={"description": "The register facts the checklist reads (floor, lift, ...)"},
    )
    district = fields.String(dump_only=True, attribute="building.district")
    scores = fields.Dict(
        dump_only=True,
        metadata={"description": "Listing with suitable_for only: {key: {class, score}}"},
    )

    @validates("unit_number")
    def _unit_number(self, value, **_):
        try:
            parse_unit_number(value)
        except InvalidUnitNumber as error:
            raise ValidationError(str(error)) from error

    @validates_schema
    def _rooms(self, data, **_):
        rooms, bedrooms = data.get("rooms"), data.get("bedrooms")
        if rooms is not None and bedrooms is not None and bedrooms > rooms:
            raise ValidationError("Kan ikke ha flere soverom enn rom.", "bedrooms")


SORTS = (
    *("address", "-address", "bedrooms", "-bedrooms", "area", "-area", "id"),
    *("district", "-district", "status", "-status", "score", "-score"),
)


class UnitQuerySchema(Schema):
    district = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    building_id = fields.Integer()
    min_bedrooms = fields.Integer(validate=validate.Range(0, 15))
    q = fields.String(
        metadata={"description": "The start of the address (street, number), or a unit number"}
    )
    suitable_for = DelimitedList(
        fields.String(validate=validate.Length(1, 64)),
        metadata={"description": "Limitation or profile keys, comma separated"},
    )
    class_ = fields.String(
        data_key="class",
        attribute="class",
        validate=validate.OneOf(["suitable", "adaptable", "unknown", "unsuitable"]),
        metadata={"description": "Minimum class for suitable_for (default suitable)"},
    )
    min_score = fields.Float(validate=validate.Range(0, 100))
    checklist_version = fields.Integer(
        validate=validate.Range(1, 1000),
        metadata={
            "description": "Only units whose current assessment was made under this checklist "
            "version (e.g. 1: still to be re-inspected under a newer version)"
        },
    )
    sort = fields.String(
        validate=validate.OneOf(SORTS),
        metadata={
            "description": "Default: address; with suitable_for: score (best first, by the "
            "first key; equal scores newest unit first; -score is the exact reverse)"
        },
    )

    @validates_schema
    def _suitability(self, data, **_):
        if ("class" in data or "min_score" in data) and "suitable_for" not in data:
            raise ValidationError("Brukes sammen med suitable_for.", "suitable_for")


class ImportArgsSchema(Schema):
    dry_run = fields.Boolean(load_default=False)


class ImportFileSchema(Schema):
    file = Upload(required=True)


class ImportProblemSchema(Schema):
    line = fields.Integer()
    column = fields.String(allow_none=True)
    message = fields.String()


class ImportReportSchema(Schema):
    dry_run = fields.Boolean()
    file_name = fields.String()
    summary = fields.Dict(keys=fields.String(), values=fields.Integer())
    problems = fields.List(fields.Nested(ImportProblemSchema))
    unknown_columns = fields.List(fields.String())
