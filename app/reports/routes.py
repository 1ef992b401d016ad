"""Report downloads: a unit's current accessibility and one inspection, as PDF/A + PDF/UA;
all unit reports of a district as one ZIP."""

from flask import g, make_response, request, send_file
from flask.views import MethodView

from app.api import etag
from app.api.smorest import Blueprint
from app.auth.roles import ADMIN, FACILITY_MANAGER
from app.reports import district, services
from app.reports.schemas import DistrictZipQuerySchema

blp = Blueprint("reports", __name__, url_prefix="/api/v1", description="Rapporter")

# A whole district at once is a bulk export: those who approve inspections (and so answer for
# the reports), not every reader of a single report.
ZIP_ROLES = (ADMIN, FACILITY_MANAGER)


def _file(media_type: str, description: str):
    """Document a success body that is a file of `media_type` (smorest leaves the content of
    a schema-less response out of the document, so clients would not know what they get)."""
    schema = {"type": "string", "format": "binary"}
    content = {media_type: {"schema": schema}}
    return blp.doc(responses={"200": {"description": description, "content": content}})


def _headers_only(mimetype: str, filename: str):
    """The answer to HEAD: what a GET would send, without rendering the file or recording a
    download in the audit log."""
    response = make_response("", 200)
    response.mimetype = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _send(report: services.Report):
    """304 when the client has this version and headers only for HEAD (nothing rendered
    either way), else the PDF."""
    etag.tag(report.etag)
    if request.method == "HEAD":
        return _headers_only("application/pdf", report.filename)
    response = make_response(services.render(report))
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response


@blp.route("/units/<int:unit_id>/report.pdf")
class UnitReport(MethodView):
    @blp.auth_required()
    @blp.response(200, content_type="application/pdf")
    @_file("application/pdf", "The unit report (PDF/A-2b, PDF/UA-1)")
    @blp.alt_response(409, response="CONFLICT")
    @etag.conditional(cache_control="private, no-cache")
    def get(self, unit_id):
        """The unit's current accessibility as an archivable, accessible PDF (PDF/A-2b,
        PDF/UA-1, Norwegian); 409 while the unit has no approved inspection."""
        return _send(services.unit_report(unit_id))


@blp.route("/inspections/<uuid:inspection_id>/report.pdf")
class InspectionReport(MethodView):
    @blp.auth_required()
    @blp.response(200, content_type="application/pdf")
    @_file("application/pdf", "The inspection report (PDF/A-2b, PDF/UA-1)")
    @blp.alt_response(409, response="CONFLICT")
    @etag.conditional(cache_control="private, no-cache")
    def get(self, inspection_id):
        """A submitted or approved inspection as an archivable, accessible PDF; 409 for a
        draft. Inspectors reach only their own inspections."""
        return _send(services.inspection_report(g.user, inspection_id))


@blp.route("/reports/district.zip")
class DistrictReports(MethodView):
    @blp.auth_required(*ZIP_ROLES)
    @blp.arguments(DistrictZipQuerySchema, location="query")
    @blp.response(200, content_type="application/zip")
    @_file("application/zip", "One PDF per assessed unit and les-meg.txt")
    @blp.alt_response(409, response="CONFLICT")
    def get(self, query):
        """Every unit report of a district as one ZIP

        A PDF per unit with an approved assessment (the same bytes as its single download),
        named by address and unit number, and `les-meg.txt` naming the units without one.
        Built synchronously: 422 above `REPORT_ZIP_MAX_UNITS` reports (download per unit
        instead), 409 when no unit of the district has been assessed. Facility managers and
        administrators only."""
        if request.method == "HEAD":  # the same refusals, nothing rendered
            district.check_district_zip(query["district"])
            response = _headers_only("application/zip", district.zip_name(query["district"]))
        else:
            built = district.district_zip(query["district"])
            response = send_file(
                built.file,
                mimetype="application/zip",
                as_attachment=True,
                download_name=built.filename,
                conditional=False,
                etag=False,
            )
            response.content_length = built.size
        response.headers["Cache-Control"] = "private, no-cache"
        return response
