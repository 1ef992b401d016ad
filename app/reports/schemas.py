"""Query arguments of the report downloads."""

from marshmallow import fields

from app.api.smorest import Schema
from app.units.schemas import check_district


class DistrictZipQuerySchema(Schema):
    district = fields.String(
        required=True,
        validate=check_district,
        metadata={"description": "A configured district (bydel/krets), as GET /units/districts"},
    )
