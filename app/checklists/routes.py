"""Published checklists, limitations, profiles and measures (read-only, cacheable)."""

from flask.views import MethodView

from app.api import etag
from app.api.smorest import Blueprint
from app.checklists import answer_types, serialize, services
from app.checklists.loader import measures_for_item
from app.checklists.schemas import (
    ChecklistSchema,
    LimitationSchema,
    MeasureCatalogueSchema,
    ProfileSetSchema,
)

blp = Blueprint("checklists", __name__, url_prefix="/api/v1", description="Sjekklister")


# GET /checklists, the published versions with how many units are assessed on each, is in
# app/assessments/routes.py.


@blp.route("/checklists/<key>/versions/<int:version>")
class ChecklistVersion(MethodView):
    @blp.auth_required()
    @blp.response(200)
    @blp.documents(ChecklistSchema)
    @etag.conditional(cache_control="no-cache")
    def get(self, key, version):
        """The full definition of one version, with the table of answer types and operators it
        is read with and the measures that remove each item's barriers. Revalidate before use
        (If-None-Match: a 304 costs little): the version's file never changes, the table and
        the measures catalogue follow the server."""
        catalogue = services.catalogue()
        content = services.checklist_definition(key, version).content_hash
        measures, table = catalogue.measures.version, answer_types.fingerprint()
        etag.tag(f'"{content}-m{measures}-{table}"')
        checklist = catalogue.checklists[(key, version)]
        return serialize.checklist_to_dict(checklist, measures_for_item(catalogue))


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
