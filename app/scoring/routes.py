"""What-if scoring: answers in, the full accessibility result out, nothing stored."""

from flask.views import MethodView
from marshmallow import fields, validate

from app.api.results import AccessibilityResultSchema
from app.api.smorest import Blueprint, Schema
from app.checklists import services as checklists
from app.checklists.model import BUILDING_TYPES
from app.errors import NotFound, Unprocessable
from app.scoring import prepare, result_to_dict, score, validate_answers

blp = Blueprint("scoring", __name__, url_prefix="/api/v1", description="Vurdering")


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


def score_answers(key: str, version: int, body: dict) -> dict:
    """The shared path: validate against the pinned checklist version, score, serialise."""
    catalogue = checklists.catalogue()
    checklist = catalogue.checklists.get((key, version))
    if checklist is None:
        raise NotFound(f"Sjekklisten {key} versjon {version} finnes ikke.")
    answers = validate_answers(checklist, body["answers"])
    known = {m.id for m in catalogue.measures.measures}
    unknown = sorted(set(body["feasibility"]) - known)
    if unknown:
        raise Unprocessable(
            "Ukjente tiltak.", errors={"feasibility": [f"Ukjent tiltak: {m}" for m in unknown]}
        )
    prepared = prepare(checklist, catalogue.profiles, catalogue.measures, catalogue.limitations)
    result = score(
        prepared,
        answers,
        facts={k: v for k, v in body["facts"].items() if v is not None},
        feasibility=body["feasibility"],
        extra_profiles=body["profiles"],
    )
    return result_to_dict(result)


@blp.route("/checklists/<key>/versions/<int:version>/score")
class WhatIf(MethodView):
    @blp.auth_required()
    @blp.arguments(WhatIfSchema)
    @blp.response(200)
    @blp.documents(AccessibilityResultSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_CONTENT")
    def post(self, body, key, version):
        """Score a set of answers without storing anything (what-if)."""
        return score_answers(key, version, body)
