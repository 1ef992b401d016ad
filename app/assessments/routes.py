"""A unit's current accessibility, the portfolio statistics, and the lists that show register
rows and checklist versions with their verdicts (`GET /units`, `GET /checklists`)."""

from flask import request
from flask.views import MethodView

from app.api.results import UnitAccessibilitySchema
from app.api.smorest import Blueprint, Page
from app.assessments import explain, listing, stats
from app.assessments.schemas import PortfolioStatsSchema
from app.checklists import services as checklists
from app.checklists.schemas import ChecklistVersionSchema
from app.units.schemas import UnitQuerySchema, UnitSchema
from app.units.services import get_unit

blp = Blueprint("assessments", __name__, url_prefix="/api/v1", description="Tilgjengelighet")


class ScoredPage(Page):
    """A page of units; with suitable_for, each carries its class and score for those keys."""

    @property
    def items(self):
        keys = [k for k in request.args.get("suitable_for", "").split(",") if k]
        return listing.attach_scores(super().items, keys) if keys else super().items


@blp.route("/units", tags=["units"])
class Units(MethodView):
    @blp.auth_required()
    @blp.arguments(UnitQuerySchema, location="query")
    @blp.response(200, UnitSchema(many=True))
    @blp.paginate(ScoredPage)
    def get(self, query):
        """List units with filters, sorting and pagination."""
        return listing.unit_query(query)


@blp.route("/checklists", tags=["checklists"])
class Checklists(MethodView):
    @blp.auth_required()
    @blp.response(200, ChecklistVersionSchema(many=True))
    def get(self):
        """Published checklist versions, with how many units are assessed on each."""
        counts, rows = stats.units_per_checklist(), checklists.checklist_versions()
        for row in rows:
            row.assessed_units = counts.get((row.key, row.version), 0)
        return rows


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
