"""Applicant households and their matches: allocation officers and administrators only."""

from flask.views import MethodView
from sqlalchemy import select

from app.api import etag
from app.api.etag import check_if_match, etag_of
from app.api.results import MatchesSchema
from app.api.smorest import Blueprint, Page, current_user
from app.applicants import demand, matching, offers, services
from app.applicants.models import Applicant
from app.applicants.schemas import (
    ApplicantQuerySchema,
    ApplicantSchema,
    DemandSchema,
    MatchQuerySchema,
    OfferCreateSchema,
    OfferDecisionSchema,
    OfferSchema,
)
from app.auth.roles import ADMIN, ALLOCATION_OFFICER, FACILITY_MANAGER

blp = Blueprint("applicants", __name__, url_prefix="/api/v1", description="Søkere")

OFFICERS = (ADMIN, ALLOCATION_OFFICER)


class AuditedPage(Page):
    """A page of applicants; each one shown is recorded in the audit log."""

    @property
    def items(self):
        return services.listed(super().items)


@blp.route("/applicants")
class Applicants(MethodView):
    @blp.auth_required(*OFFICERS)
    @blp.arguments(ApplicantQuerySchema, location="query")
    @blp.response(200, ApplicantSchema(many=True))
    @blp.paginate(AuditedPage)
    def get(self, query):
        """List applicant households (every one shown is audited)."""
        stmt = select(Applicant).order_by(Applicant.created_at, Applicant.id)
        if "status" in query:
            stmt = stmt.where(Applicant.status == query["status"])
        return stmt

    @blp.auth_required(*OFFICERS)
    @blp.arguments(ApplicantSchema)
    @blp.response(201, ApplicantSchema)
    @etag.versioned("applicant")
    def post(self, data):
        """Register a household by its needs (no names, no identity numbers)."""
        return services.create(data)


@blp.route("/applicants/<int:applicant_id>")
class ApplicantById(MethodView):
    @blp.auth_required(*OFFICERS)
    @blp.response(200, ApplicantSchema)
    @etag.versioned("applicant")
    def get(self, applicant_id):
        """Read a household (audited)."""
        return services.get(applicant_id)

    @blp.auth_required(*OFFICERS)
    @blp.arguments(ApplicantSchema(partial=True))
    @blp.response(200, ApplicantSchema)
    @etag.versioned("applicant")
    def patch(self, data, applicant_id):
        """Update a household; If-Match refuses stale edits."""
        applicant = services.get(applicant_id, action="applicant.read_for_update", lock=True)
        check_if_match(etag_of("applicant", applicant))
        return services.update(applicant, data)

    @blp.auth_required(*OFFICERS)
    @blp.response(204)
    def delete(self, applicant_id):
        """Erase the household for real (the audit log keeps only the case reference)."""
        services.erase(services.get(applicant_id, action="applicant.read_for_erase"))


@blp.route("/applicants/<int:applicant_id>/matches")
class Matches(MethodView):
    @blp.auth_required(*OFFICERS)
    @blp.arguments(MatchQuerySchema, location="query")
    @blp.response(200)
    @blp.documents(MatchesSchema)
    def get(self, query, applicant_id):
        """Units that suit the household, ranked, each with its reasons."""
        applicant = services.get(applicant_id, action="applicant.matched")
        return matching.matches(applicant, query)


@blp.route("/applicants/<int:applicant_id>/offers")
class Offers(MethodView):
    @blp.auth_required(*OFFICERS)
    @blp.response(200, OfferSchema(many=True))
    def get(self, applicant_id):
        """The household's offers, newest first (audited)."""
        return offers.offers_of(services.get(applicant_id, action="applicant.offers_read"))

    @blp.auth_required(*OFFICERS)
    @blp.arguments(OfferCreateSchema)
    @blp.response(201, OfferSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, applicant_id):
        """Offer a vacant unit: the household becomes offered, the unit reserved."""
        applicant = services.get(applicant_id, action="applicant.offered")
        return offers.make_offer(current_user(), applicant, data["unit_id"])


@blp.route("/applicants/<int:applicant_id>/offers/<int:offer_id>")
class OfferById(MethodView):
    @blp.auth_required(*OFFICERS)
    @blp.arguments(OfferDecisionSchema)
    @blp.response(200, OfferSchema)
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, data, applicant_id, offer_id):
        """Decide an open offer: accepted (housed, unit let), declined with a reason or
        withdrawn (waiting, unit vacant)."""
        applicant = services.get(applicant_id, action="applicant.offer_decided")
        offer = offers.get_offer(applicant, offer_id)
        return offers.decide(current_user(), applicant, offer, data["status"], data.get("reason"))


@blp.route("/stats/demand")
class Demand(MethodView):
    @blp.auth_required(ADMIN, ALLOCATION_OFFICER, FACILITY_MANAGER)
    @blp.response(200)
    @blp.documents(DemandSchema)
    def get(self):
        """Waiting households per need and district against the suitable supply
        (aggregated; counts below 5 suppressed)."""
        return demand.demand()
