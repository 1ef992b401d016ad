"""Published checklists, limitations, profiles and measures (read-only, cacheable)."""

from flask import request
from flask.views import MethodView

from app.api.smorest import Blueprint
from app.checklists import serialize, services
from app.checklists.loader import measures_for_item
from app.checklists.schemas import (
    ChecklistSchema,
    ChecklistVersionSchema,
    LimitationSchema,
    MeasureCatalogueSchema,
    ProfileSetSchema,
)

blp = Blueprint("checklists", __name__, url_prefix="/api/v1", description="Sjekklister")


@blp.route("/checklists")
class Checklists(MethodView):
    @blp.auth_required()
    @blp.response(200, ChecklistVersionSchema(many=True))
    def get(self):
        """Published checklist versions, with how many units are assessed on each."""
        from app.assessments.stats import units_per_checklist  # it imports this module

        counts, rows = units_per_checklist(), services.checklist_versions()
        for row in rows:
            row.assessed_units = counts.get((row.key, row.version), 0)
        return rows


@blp.route("/checklists/<key>/versions/<int:version>")
class ChecklistVersion(MethodView):
    @blp.auth_required()
    @blp.response(200)
    @blp.documents(ChecklistSchema)
    @blp.alt_response(304, description="Not modified (If-None-Match)")
    def get(self, key, version):
        """The full definition of one version: immutable, cacheable forever."""
        row = services.checklist_definition(key, version)
        etag = f'"{row.content_hash}"'
        headers = {
            "ETag": etag,
            "Cache-Control": "public, max-age=31536000, immutable",
        }
        if etag in {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}:
            return "", 304, headers
        catalogue = services.catalogue()
        checklist = catalogue.checklists[(key, version)]
        body = serialize.checklist_to_dict(checklist, measures_for_item(catalogue))
        return body, 200, headers


@blp.route("/limitations")
class Limitations(MethodView):
    @blp.auth_required()
    @blp.response(200)
    @blp.documents(LimitationSchema(many=True))
    def get(self):
        """The limitation keys with labels and groups."""
        return [serialize.limitation_to_dict(x) for x in services.catalogue().limitations]


@blp.route("/profiles")
class Profiles(MethodView):
    @blp.auth_required()
    @blp.response(200)
    @blp.documents(ProfileSetSchema)
    def get(self):
        """The profiles (age groups) and thresholds in force."""
        return serialize.profile_set_to_dict(services.catalogue().profiles)


@blp.route("/measures")
class Measures(MethodView):
    @blp.auth_required()
    @blp.response(200)
    @blp.documents(MeasureCatalogueSchema)
    def get(self):
        """The measures catalogue in force, with costs and NS 3451 codes."""
        measures = services.catalogue().measures
        return {
            "version": measures.version,
            "measures": [serialize.measure_to_dict(m) for m in measures.measures],
        }
