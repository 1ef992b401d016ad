"""A unit's current accessibility, and the portfolio statistics."""

from flask.views import MethodView

from app.api.results import UnitAccessibilitySchema
from app.api.smorest import Blueprint
from app.assessments import services, stats
from app.photos.services import photo_ids_by_item
from app.scoring import result_to_dict
from app.units.services import get_unit

blp = Blueprint("assessments", __name__, url_prefix="/api/v1", description="Tilgjengelighet")


def _with_photos(result: dict, photos: dict[str, list[str]]) -> dict:
    for group in (result["limitations"], result["profiles"], {"general": result["general"]}):
        for r in group.values():
            for barrier in r.get("barriers", []):
                barrier["photo_ids"] = photos.get(barrier["item_id"], [])
    return result


@blp.route("/units/<int:unit_id>/accessibility")
class Accessibility(MethodView):
    @blp.auth_required()
    @blp.response(200)
    @blp.documents(UnitAccessibilitySchema)
    def get(self, unit_id):
        """Scores, classes, coverage and explained barriers per limitation, age group and in
        general, from the unit's current (newest approved) assessment."""
        unit = get_unit(unit_id)
        assessment = services.current_assessment(unit.id)
        if assessment is None:
            return {
                "unit_id": unit.id,
                "assessed": False,
                "detail": "Boligen er ikke vurdert ennå.",
            }
        result = _with_photos(
            result_to_dict(services.assessment_result(assessment)),
            photo_ids_by_item(assessment.inspection_id),
        )
        return {
            "unit_id": unit.id,
            "assessed": True,
            "inspection_id": str(assessment.inspection_id),
            "checklist": {"key": assessment.checklist_key, "version": assessment.checklist_version},
            "profiles_version": assessment.profiles_version,
            "measures_version": assessment.measures_version,
            "scored_at": assessment.scored_at.isoformat(),
            "suits": services.suits(result),
            **result,
        }


@blp.route("/stats/portfolio")
class PortfolioStats(MethodView):
    @blp.auth_required()
    @blp.response(200)
    def get(self):
        """Units per class for every limitation and age group, per district, and the KOSTRA
        share of dwellings accessible to wheelchair users."""
        return stats.portfolio()
