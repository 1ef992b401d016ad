"""What-if scoring: answers in, the full accessibility result out, nothing stored."""

from flask.views import MethodView

from app.api.results import AccessibilityResultSchema
from app.api.smorest import Blueprint
from app.checklists import services as checklists
from app.errors import NotFound, Unprocessable
from app.scoring import prepare, result_to_dict, score, validate_answers
from app.scoring.schemas import WhatIfSchema

blp = Blueprint("scoring", __name__, url_prefix="/api/v1", description="Vurdering")


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
