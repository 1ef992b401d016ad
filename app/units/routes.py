"""Buildings and units: list, create, read, update; and the register import."""

from flask import current_app
from flask.views import MethodView
from sqlalchemy import or_, select

from app.api import etag
from app.api.etag import check_if_match, etag_of
from app.api.smorest import Blueprint, Page
from app.auth.roles import ADMIN, FACILITY_MANAGER
from app.units import importer, services
from app.units.models import Building
from app.units.schemas import (
    BuildingQuerySchema,
    BuildingSchema,
    ImportArgsSchema,
    ImportFileSchema,
    ImportReportSchema,
    UnitSchema,
)

WRITERS = (ADMIN, FACILITY_MANAGER)

buildings = Blueprint("buildings", __name__, url_prefix="/api/v1/buildings", description="Bygg")
units = Blueprint("units", __name__, url_prefix="/api/v1/units", description="Boliger")


@buildings.route("")
class Buildings(MethodView):
    @buildings.auth_required()
    @buildings.arguments(BuildingQuerySchema, location="query")
    @buildings.response(200, BuildingSchema(many=True))
    @buildings.paginate(Page)
    def get(self, query):
        """List buildings, filtered by district or free text."""
        stmt = select(Building).order_by(Building.address, Building.id)
        if "district" in query:
            stmt = stmt.where(Building.district == query["district"])
        if "q" in query:
            like = f"%{query['q'].strip().lower()}%"
            stmt = stmt.where(or_(Building.address_key.like(like), Building.name.ilike(like)))
        return stmt

    @buildings.auth_required(*WRITERS)
    @buildings.arguments(BuildingSchema)
    @buildings.response(201, BuildingSchema)
    @etag.versioned("building")
    def post(self, data):
        """Create a building."""
        return services.save_building(data)


@buildings.route("/<int:building_id>")
class BuildingById(MethodView):
    @buildings.auth_required()
    @buildings.response(200, BuildingSchema)
    @etag.versioned("building")
    def get(self, building_id):
        """Read a building."""
        return services.get_building(building_id)

    @buildings.auth_required(*WRITERS)
    @buildings.arguments(BuildingSchema(partial=True))
    @buildings.response(200, BuildingSchema)
    @etag.versioned("building")
    def patch(self, data, building_id):
        """Update a building; send If-Match with its ETag to refuse stale edits (412)."""
        building = services.get_building(building_id, lock=True)
        check_if_match(etag_of("building", building), lambda: BuildingSchema().dump(building))
        return services.save_building(data, building)


# GET /units, the register listed with its verdicts, is in app/assessments/routes.py.
@units.route("")
class Units(MethodView):
    @units.auth_required(*WRITERS)
    @units.arguments(UnitSchema)
    @units.response(201, UnitSchema)
    @etag.versioned("unit")
    def post(self, data):
        """Create a unit."""
        return services.save_unit(data)


@units.route("/districts")
class Districts(MethodView):
    @units.auth_required()
    @units.response(200)
    @units.documents({"type": "array", "items": {"type": "string"}})
    def get(self):
        """The municipality's districts (bydel/krets), in the configured order."""
        return list(current_app.config["DISTRICTS"])


@units.route("/<int:unit_id>")
class UnitById(MethodView):
    @units.auth_required()
    @units.response(200, UnitSchema)
    @etag.versioned("unit")
    def get(self, unit_id):
        """Read a unit."""
        return services.get_unit(unit_id)

    @units.auth_required(*WRITERS)
    @units.arguments(UnitSchema(partial=True))
    @units.response(200, UnitSchema)
    @etag.versioned("unit")
    def patch(self, data, unit_id):
        """Update a unit; send If-Match with its ETag to refuse stale edits (412)."""
        unit = services.get_unit(unit_id, lock=True)
        check_if_match(etag_of("unit", unit), lambda: UnitSchema().dump(unit))
        return services.save_unit(data, unit)


@units.route("/import")
class UnitImport(MethodView):
    @units.auth_required(*WRITERS)
    @units.arguments(ImportArgsSchema, location="query")
    @units.arguments(ImportFileSchema, location="files")
    @units.response(200, ImportReportSchema)
    @units.alt_response(422, response="UNPROCESSABLE_CONTENT")
    def post(self, args, files):
        """Import units from a CSV or XLSX export; dry_run=true only validates and reports."""
        upload = files["file"]
        return importer.import_units(
            upload.read(),
            upload.filename or "",
            current_app.config["DISTRICTS"],
            dry_run=args["dry_run"],
        )
