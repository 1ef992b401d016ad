"""A unit's current accessibility, and the portfolio statistics."""

from flask.views import MethodView

from app.api.results import UnitAccessibilitySchema
from app.api.smorest import Blueprint
from app.assessments import explain, stats
from app.assessments.schemas import PortfolioStatsSchema
from app.units.services import get_unit

blp = Blueprint("assessments", __name__, url_prefix="/api/v1", description="Tilgjengelighet")


@blp.route("/units/<int:unit_id>/accessibility")
class Accessibility(MethodView):
    @blp.auth_required()
    @blp.response(200)
    @blp.documents(UnitAccessibilitySchema)
    def get(self, unit_id):
        """Scores, classes, coverage and explained barriers per limitation, age group and in
        general, from the unit's current (newest approved) assessment."""
        return explain.accessibility(get_unit(unit_id))


@blp.route("/stats/portfolio")
class PortfolioStats(MethodView):
    @blp.auth_required()
    @blp.response(200)
    @blp.documents(PortfolioStatsSchema)
    def get(self):
        """Units per class for every limitation and age group, per district, and the KOSTRA
        share of dwellings accessible to wheelchair users."""
        return stats.portfolio()
