"""Upgrade options per unit, portfolio plans with exports, scenarios, feasibility overrides."""

from flask import Response, g, jsonify
from flask.views import MethodView
from sqlalchemy import select

from app.api.results import UpgradeOptionsSchema
from app.api.smorest import Blueprint
from app.auth.roles import ADMIN, ALLOCATION_OFFICER, APPLICANT_READERS, FACILITY_MANAGER
from app.checklists.services import catalogue
from app.extensions import db
from app.planning import exports, services
from app.planning.models import Scenario
from app.planning.portfolio import no_cyclic_gc
from app.planning.schemas import (
    CompareSchema,
    ComparisonSchema,
    DoneResultSchema,
    DoneSchema,
    FormatSchema,
    OverrideQuerySchema,
    OverrideSchema,
    PlanRequestSchema,
    PlanSchema,
    ScenarioCreateSchema,
    ScenarioSchema,
    UpgradeQuerySchema,
)
from app.units.feasibility import FeasibilityOverride
from app.units.services import get_unit

blp = Blueprint("planning", __name__, url_prefix="/api/v1", description="Tiltaksplanlegging")

PLANNERS = (ADMIN, FACILITY_MANAGER)
READERS = (ADMIN, FACILITY_MANAGER, ALLOCATION_OFFICER)
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE = {"type": "string", "format": "binary"}


@blp.route("/units/<int:unit_id>/upgrade-options")
class UpgradeOptions(MethodView):
    @blp.auth_required(*READERS)
    @blp.arguments(UpgradeQuerySchema, location="query")
    @blp.response(200)
    @blp.documents(UpgradeOptionsSchema)
    def get(self, query, unit_id):
        """The cheapest feasible measures that make the unit suitable for a key (exact)."""
        return services.unit_upgrade_options(get_unit(unit_id), query["profile"])


@blp.route("/planning/portfolio")
class Portfolio(MethodView):
    @blp.auth_required(*PLANNERS)
    @blp.arguments(FormatSchema, location="query")
    @blp.arguments(PlanRequestSchema)
    @blp.response(200, PlanSchema)
    @blp.alt_response(200, schema=FILE, content_type=CSV, success=True)
    @blp.alt_response(200, schema=FILE, content_type=XLSX, success=True)
    def post(self, fmt, request):
        """A ranked plan of measures within the budget (JSON, or ?format=csv / xlsx).

        With `"priorities": "demand"`, roles without access to applicants get weights from
        the published demand statistics (waiting counts below 5 count as 0)."""
        with no_cyclic_gc():  # reading, planning and writing out create only acyclic data
            exact = g.user.role in APPLICANT_READERS  # others: no count under 5 in the answer
            plan = services.portfolio_plan(request, exact_counts=exact)
            labels = exports.need_labels(catalogue())
            if fmt["format"] == "csv":
                csv = exports.to_csv(plan, labels)
                return _download(csv, f"{CSV}; charset=utf-8", "tiltaksplan.csv")
            if fmt["format"] == "xlsx":
                return _download(exports.to_xlsx(plan, labels), XLSX, "tiltaksplan.xlsx")
            return jsonify(plan)  # already JSON-ready (see PlanSchema)


def _download(data: bytes, mimetype: str, name: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@blp.route("/planning/scenarios")
class Scenarios(MethodView):
    @blp.auth_required(*READERS)
    @blp.response(200, ScenarioSchema(many=True, only=("id", "name", "created_at")))
    def get(self):
        """Saved scenarios."""
        return db.session.scalars(select(Scenario).order_by(Scenario.created_at.desc())).all()

    @blp.auth_required(*PLANNERS)
    @blp.arguments(ScenarioCreateSchema)
    @blp.response(201, ScenarioSchema)
    def post(self, body):
        """Run a plan and save it under a name."""
        return services.save_scenario(g.user, body["name"], body["request"])


@blp.route("/planning/scenarios/<int:scenario_id>")
class ScenarioById(MethodView):
    @blp.auth_required(*READERS)
    @blp.response(200, ScenarioSchema)
    def get(self, scenario_id):
        """A saved scenario with its plan."""
        return services.get_scenario(scenario_id)


@blp.route("/planning/scenarios/compare")
class CompareScenarios(MethodView):
    @blp.auth_required(*READERS)
    @blp.arguments(CompareSchema, location="query")
    @blp.response(200)
    @blp.documents(ComparisonSchema)
    def get(self, query):
        """Two scenarios side by side: spending, value and suitable units per need."""
        return services.compare(
            services.get_scenario(query["a"]), services.get_scenario(query["b"])
        )


@blp.route("/planning/done")
class Done(MethodView):
    @blp.auth_required(*PLANNERS)
    @blp.arguments(DoneSchema)
    @blp.response(201)
    @blp.documents(DoneResultSchema, 201, "Created")
    def post(self, body):
        """Mark a measure done on a unit: opens a follow-up re-inspection."""
        done = services.mark_done(g.user, get_unit(body["unit_id"]), body["measure_id"])
        return {"id": done.id, "follow_up_inspection_id": done.follow_up_inspection_id}


@blp.route("/feasibility-overrides")
class Overrides(MethodView):
    @blp.auth_required(*READERS)
    @blp.arguments(OverrideQuerySchema, location="query")
    @blp.response(200, OverrideSchema(many=True))
    def get(self, query):
        """Feasibility overrides, for a unit or a building."""
        stmt = select(FeasibilityOverride).order_by(FeasibilityOverride.id)
        for name, value in query.items():
            stmt = stmt.where(getattr(FeasibilityOverride, name) == value)
        return db.session.scalars(stmt).all()

    @blp.auth_required(*PLANNERS)
    @blp.arguments(OverrideSchema)
    @blp.response(200, OverrideSchema)
    def put(self, body):
        """Mark a measure feasible or infeasible for a unit or building, with a reason."""
        return services.set_override(g.user, body)


@blp.route("/feasibility-overrides/<int:override_id>")
class OverrideById(MethodView):
    @blp.auth_required(*PLANNERS)
    @blp.response(204)
    def delete(self, override_id):
        """Remove an override; the catalogue default applies again."""
        services.delete_override(override_id)
