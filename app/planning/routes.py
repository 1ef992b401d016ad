"""Upgrade options per unit, portfolio plans with exports, scenarios, feasibility overrides."""

from flask import Response, g, jsonify
from flask.views import MethodView
from marshmallow import ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from app.api.results import UpgradeOptionsSchema
from app.api.smorest import Blueprint, Schema
from app.assessments.feasibility import FeasibilityOverride
from app.auth.roles import ADMIN, ALLOCATION_OFFICER, APPLICANT_READERS, FACILITY_MANAGER
from app.checklists.services import catalogue
from app.extensions import db
from app.planning import exports, services
from app.planning.models import Scenario
from app.planning.portfolio import no_cyclic_gc
from app.units.services import get_unit

blp = Blueprint("planning", __name__, url_prefix="/api/v1", description="Tiltaksplanlegging")

PLANNERS = (ADMIN, FACILITY_MANAGER)
READERS = (ADMIN, FACILITY_MANAGER, ALLOCATION_OFFICER)


class UpgradeQuerySchema(Schema):
    profile = fields.String(required=True, metadata={"description": "Limitation or profile key"})


class PlannedSchema(Schema):
    measure_id = fields.String(required=True)
    unit_id = fields.Integer()
    building_id = fields.Integer()


class PlanRequestSchema(Schema):
    budget = fields.Integer(required=True, validate=validate.Range(0, 10_000_000_000))
    priorities = fields.Raw(
        required=True,
        metadata={"description": '"demand", or {key: weight} per limitation/profile'},
    )
    districts = fields.List(fields.String())
    unit_ids = fields.List(fields.Integer())
    already_planned = fields.List(fields.Nested(PlannedSchema), load_default=list)

    @validates_schema
    def _priorities(self, data, **_):
        value = data.get("priorities")
        if value == "demand":
            return
        if (
            not isinstance(value, dict)
            or not value
            or not all(
                isinstance(k, str)
                and isinstance(w, int | float)
                and not isinstance(w, bool)
                and 0 <= w <= 100
                for k, w in value.items()
            )
        ):
            raise ValidationError('Bruk "demand" eller {nøkkel: vekt 0–100}.', "priorities")


class FormatSchema(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv", "xlsx"]))


# The plan response. The service builds it JSON-ready; these schemas document it (a plan
# over a national stock has tens of thousands of steps, too many to dump field by field).
MONEY = validate.Range(min=0)  # NOK: beyond the 32-bit range of ids and counts
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE = {"type": "string", "format": "binary"}


class CostSchema(Schema):
    low = fields.Integer(validate=MONEY)
    typical = fields.Integer(validate=MONEY)
    high = fields.Integer(validate=MONEY)


class TextSchema(Schema):
    nb = fields.String()
    en = fields.String()


class MeasureCostSchema(CostSchema):
    basis = fields.String()
    year = fields.Integer(allow_none=True, metadata={"description": "Price level (NOK of)"})
    currency = fields.String()


class MeasureSchema(Schema):
    id = fields.String()
    name = fields.Nested(TextSchema)
    removes = fields.List(fields.String(), metadata={"description": "Checklist items"})
    cost = fields.Nested(MeasureCostSchema, metadata={"description": "One-off; per flight"})
    annual_cost = fields.Nested(
        MeasureCostSchema, allow_none=True, metadata={"description": "Recurring, per year"}
    )
    scope = fields.String(metadata={"description": '"unit", "building" or "flight"'})
    feasible_by_default = fields.Boolean()
    feasible_when = fields.Dict(
        allow_none=True, metadata={"description": "Register facts the measure needs"}
    )
    limits = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        metadata={"description": "Item id -> the largest failing value the measure can fix"},
    )
    ns3451 = fields.String()


class MeasureRefSchema(Schema):
    id = fields.String(metadata={"description": "A key of the plan's `measures`"})
    owner = fields.Integer(
        metadata={"description": "The unit, or for a building measure the building"}
    )


class PlanStepSchema(Schema):
    rank = fields.Integer()
    unit_id = fields.Integer()
    building_id = fields.Integer()
    address = fields.String()
    unit_number = fields.String()
    district = fields.String()
    measures = fields.List(
        fields.Nested(MeasureRefSchema), metadata={"description": "Bought in this step"}
    )
    reused_measures = fields.List(
        fields.Nested(MeasureRefSchema),
        metadata={"description": "Also part of the upgrade, paid earlier or already planned"},
    )
    cost = fields.Nested(CostSchema, metadata={"description": "Paid in this step"})
    cumulative_cost = fields.Integer(validate=MONEY, metadata={"description": "Typical"})
    needs = fields.List(fields.String(), metadata={"description": "Made suitable by the step"})
    value = fields.Float(metadata={"description": "Weight of the needs made suitable"})


class NeedTotalSchema(Schema):
    need = fields.String()
    district = fields.String(allow_none=True, metadata={"description": "null: all districts"})
    units = fields.Integer()
    current = fields.Integer(metadata={"description": "Units suitable today"})
    baseline = fields.Integer(metadata={"description": "With the already planned measures"})
    after = fields.Integer(metadata={"description": "With the plan"})
    spread_baseline = fields.Float()
    spread_after = fields.Float(
        metadata={"description": "Max minus min share of suitable units across districts"}
    )


class PlanTotalsSchema(Schema):
    overall = fields.List(fields.Nested(NeedTotalSchema))
    districts = fields.List(fields.Nested(NeedTotalSchema))


class PlanSchema(Schema):
    budget = fields.Integer(validate=MONEY)
    spent = fields.Nested(CostSchema)
    value = fields.Float()
    upper_bound = fields.Float(metadata={"description": "No plan within the budget is worth more"})
    method = fields.String()
    measures = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(MeasureSchema),
        metadata={"description": "Every measure the steps name, once, by id"},
    )
    steps = fields.List(fields.Nested(PlanStepSchema))
    totals = fields.Nested(PlanTotalsSchema)


class ScenarioCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 200))
    request = fields.Nested(PlanRequestSchema, required=True)


class ScenarioSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    request = fields.Dict()
    result = fields.Dict()
    created_at = fields.DateTime()


class CompareSchema(Schema):
    a = fields.Integer(required=True)
    b = fields.Integer(required=True)


class DoneSchema(Schema):
    unit_id = fields.Integer(required=True)
    measure_id = fields.String(required=True)


class OverrideSchema(Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(allow_none=True)
    building_id = fields.Integer(allow_none=True)
    measure_id = fields.String(required=True)
    feasible = fields.Boolean(required=True)
    reason = fields.String(required=True, validate=validate.Length(1, 2000))
    set_at = fields.DateTime(dump_only=True)


class OverrideQuerySchema(Schema):
    unit_id = fields.Integer()
    building_id = fields.Integer()


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
