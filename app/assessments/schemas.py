"""Schema of the portfolio statistics: it documents the body `stats.portfolio` builds (see
`Blueprint.documents`) and does not serialise."""

from marshmallow import fields

from app.api.smorest import Schema
from app.checklists.schemas import TextSchema

CLASS_COUNTS = {"description": "Units per class, and `not_assessed`"}


class KeyStatsSchema(Schema):
    classes = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata=CLASS_COUNTS)
    shares = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        metadata={"description": "Per class: the share of all active units"},
    )
    districts = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Integer()),
        metadata={"description": "Per district: units per class, and `not_assessed`"},
    )


class BarrierCountSchema(Schema):
    item_id = fields.String()
    question = fields.Nested(TextSchema, allow_none=True)
    count = fields.Integer(metadata={"description": "Units with this barrier"})


class KostraSchema(Schema):
    description = fields.String()
    wheelchair_accessible = fields.Integer()
    dwellings = fields.Integer()
    share = fields.Float()
    assessed_share = fields.Float()


class PortfolioStatsSchema(Schema):
    units = fields.Integer(metadata={"description": "Active units"})
    assessed = fields.Integer()
    districts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Active units per district"},
    )
    by_key = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(KeyStatsSchema),
        metadata={"description": "Per limitation and age group"},
    )
    barriers = fields.List(
        fields.Nested(BarrierCountSchema), metadata={"description": "Most common"}
    )
    kostra = fields.Nested(KostraSchema)
