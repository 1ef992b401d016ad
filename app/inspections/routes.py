"""Inspections: create (idempotent), read, sync answers, the instances of repeated sections,
submit, approve or return."""

from operator import itemgetter

from flask import g
from flask.views import MethodView

from app.api import etag
from app.api.etag import check_if_match, etag_of
from app.api.smorest import Blueprint, Page
from app.auth.roles import ADMIN, FACILITY_MANAGER, INSPECTOR
from app.inspections import services
from app.inspections.instances import instances_of
from app.inspections.photos.services import (
    delete_instance_photos,
    photo_items,
    photos_for_detail,
)
from app.inspections.schemas import (
    AnswerBatchSchema,
    ChangesSchema,
    InspectionCreateSchema,
    InspectionDetailSchema,
    InspectionQuerySchema,
    InspectionSchema,
    InstanceInSchema,
    MissingSchema,
    ReturnSchema,
    StartingPointQuerySchema,
    StartingPointSchema,
    SyncResultSchema,
)
from app.inspections.starting import (
    changes_since_previous,
    previous_answers,
    previous_of,
    starting_points,
)

blp = Blueprint("inspections", __name__, url_prefix="/api/v1/inspections", description="Befaringer")

CREATORS = (ADMIN, FACILITY_MANAGER, INSPECTOR)
MANAGERS = (ADMIN, FACILITY_MANAGER)


def _detail(inspection):
    inspection.photos = photos_for_detail(inspection)
    inspection.instances = instances_of(inspection, services.checklist_of(inspection))
    previous = previous_of(inspection)
    inspection.previous_answers = previous_answers(previous)
    return inspection


def _check_if_match(inspection):
    """412 with the current detail when If-Match names another version of the inspection."""
    check_if_match(
        etag_of("inspection", inspection),
        lambda: InspectionDetailSchema().dump(_detail(inspection)),
    )


@blp.route("")
class Inspections(MethodView):
    @blp.auth_required()
    @blp.arguments(InspectionQuerySchema, location="query")
    @blp.response(200, InspectionSchema(many=True))
    @blp.paginate(Page)
    def get(self, query):
        """List inspections; inspectors see only their own (assigned_to=me)."""
        return services.list_query(g.user, query)

    @blp.auth_required(*CREATORS)
    @blp.arguments(InspectionCreateSchema)
    @blp.response(201, InspectionDetailSchema)
    @blp.alt_response(200, schema=InspectionDetailSchema, description="Already created (same id)")
    @blp.alt_response(409, response="CONFLICT")
    @etag.versioned("inspection")
    def post(self, data):
        """Create an inspection; repeating the same client UUID returns the existing one."""
        inspection, created = services.create_inspection(g.user, data)
        return _detail(inspection), 201 if created else 200


@blp.route("/starting-points")
class StartingPoints(MethodView):
    @blp.auth_required(ADMIN, INSPECTOR)
    @blp.arguments(StartingPointQuerySchema, location="query")
    @blp.response(200, StartingPointSchema(many=True))
    def get(self, query):
        """What a phone needs to start inspections offline, per unit (default: the caller's)."""
        return starting_points(g.user, query.get("unit_id"))


@blp.route("/<uuid:inspection_id>")
class InspectionById(MethodView):
    @blp.auth_required()
    @blp.response(200, InspectionDetailSchema)
    @etag.versioned("inspection")
    def get(self, inspection_id):
        """Read an inspection with its answers and photos."""
        return _detail(services.get_inspection(g.user, inspection_id))


@blp.route("/<uuid:inspection_id>/answers")
class Answers(MethodView):
    @blp.auth_required(ADMIN, INSPECTOR)
    @blp.arguments(AnswerBatchSchema)
    @blp.response(200, SyncResultSchema)
    @blp.alt_response(409, response="CONFLICT")
    @etag.versioned("inspection", row=itemgetter("inspection"))
    def put(self, body, inspection_id):
        """Upsert a batch of answers (offline sync), each of one item and instance (default 1);
        If-Match refuses a stale batch with 412."""
        inspection = services.get_inspection(g.user, inspection_id, write=True, lock=True)
        _check_if_match(inspection)
        outcomes = services.upsert_answers(g.user, inspection, body["answers"])
        return {"inspection": _detail(inspection), "outcomes": outcomes}


@blp.route("/<uuid:inspection_id>/sections/<section_id>/instances/<int:number>")
class SectionInstanceByNumber(MethodView):
    @blp.auth_required(ADMIN, INSPECTOR)
    @blp.arguments(InstanceInSchema)
    @blp.response(200, InspectionDetailSchema)
    @blp.alt_response(201, schema=InspectionDetailSchema, description="Created")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(422, response="UNPROCESSABLE_CONTENT")
    @etag.versioned("inspection")
    def put(self, body, inspection_id, section_id, number):
        """Create an instance of a repeated section ("Bad 2"), or rename or move it; the same
        request again changes nothing. A deleted instance's number is refused (409)."""
        inspection = services.get_inspection(g.user, inspection_id, write=True, lock=True)
        _check_if_match(inspection)
        created = services.save_instance(g.user, inspection, section_id, number, body)
        return _detail(inspection), 201 if created else 200

    @blp.auth_required(ADMIN, INSPECTOR)
    @blp.response(200, InspectionDetailSchema)
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(422, response="UNPROCESSABLE_CONTENT")
    @etag.versioned("inspection")
    def delete(self, inspection_id, section_id, number):
        """Delete an instance with its answers, item comments and photos; refused below the
        section's minimum (409). Deleting it again changes nothing."""
        inspection = services.get_inspection(g.user, inspection_id, write=True, lock=True)
        item_ids = services.delete_instance(g.user, inspection, section_id, number)
        delete_instance_photos(inspection, item_ids, number)
        return _detail(inspection)


@blp.route("/<uuid:inspection_id>/changes")
class Changes(MethodView):
    @blp.auth_required()
    @blp.response(200)
    @blp.documents(ChangesSchema)
    def get(self, inspection_id):
        """What differs from the unit's previous approved inspection."""
        return changes_since_previous(services.get_inspection(g.user, inspection_id))


@blp.route("/<uuid:inspection_id>/missing")
class Missing(MethodView):
    @blp.auth_required()
    @blp.response(200, MissingSchema)
    def get(self, inspection_id):
        """What a submit would refuse now, by section (a barrier's missing photo included)."""
        inspection = services.get_inspection(g.user, inspection_id)
        return services.missing_report(inspection, photo_items(inspection))


@blp.route("/<uuid:inspection_id>/submit")
class Submit(MethodView):
    @blp.auth_required(ADMIN, INSPECTOR)
    @blp.response(200, InspectionDetailSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_CONTENT")
    @etag.versioned("inspection")
    def post(self, inspection_id):
        """Submit for review; 422 lists what is missing, by section."""
        inspection = services.get_inspection(g.user, inspection_id, write=True, lock=True)
        services.submit(g.user, inspection, photo_items(inspection))
        return _detail(inspection)


@blp.route("/<uuid:inspection_id>/approve")
class Approve(MethodView):
    @blp.auth_required(*MANAGERS)
    @blp.response(200, InspectionDetailSchema)
    @etag.versioned("inspection")
    def post(self, inspection_id):
        """Approve: the inspection becomes the unit's current assessment."""
        inspection = services.get_inspection(g.user, inspection_id, lock=True)
        services.approve(g.user, inspection)
        return _detail(inspection)


@blp.route("/<uuid:inspection_id>/return")
class Return(MethodView):
    @blp.auth_required(*MANAGERS)
    @blp.arguments(ReturnSchema)
    @blp.response(200, InspectionDetailSchema)
    @etag.versioned("inspection")
    def post(self, body, inspection_id):
        """Return a submitted inspection to its inspector as a draft, with a comment on the
        whole and/or per item (422 names unknown items)."""
        inspection = services.get_inspection(g.user, inspection_id, lock=True)
        services.return_to_draft(g.user, inspection, body.get("comment"), body["item_comments"])
        return _detail(inspection)
