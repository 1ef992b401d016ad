"""Report downloads: a unit's current accessibility and one inspection, as PDF/A + PDF/UA."""

from flask import g, make_response, request
from flask.views import MethodView

from app.api.smorest import Blueprint
from app.reports import services

blp = Blueprint("reports", __name__, url_prefix="/api/v1", description="Rapporter")


def _send(report: services.Report):
    """304 when the client has this version (nothing rendered), else the PDF."""
    if report.etag.strip('"') in request.if_none_match:
        response = make_response("", 304)
    else:
        response = make_response(services.render(report))
        response.mimetype = "application/pdf"
        response.headers["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response.headers["ETag"] = report.etag
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@blp.route("/units/<int:unit_id>/report.pdf")
class UnitReport(MethodView):
    @blp.auth_required()
    @blp.response(200, content_type="application/pdf")
    @blp.alt_response(304, description="Not modified (If-None-Match)")
    @blp.alt_response(409, response="CONFLICT")
    def get(self, unit_id):
        """The unit's current accessibility as an archivable, accessible PDF (PDF/A-2b,
        PDF/UA-1, Norwegian); 409 while the unit has no approved inspection."""
        return _send(services.unit_report(unit_id))


@blp.route("/inspections/<uuid:inspection_id>/report.pdf")
class InspectionReport(MethodView):
    @blp.auth_required()
    @blp.response(200, content_type="application/pdf")
    @blp.alt_response(304, description="Not modified (If-None-Match)")
    @blp.alt_response(409, response="CONFLICT")
    def get(self, inspection_id):
        """A submitted or approved inspection as an archivable, accessible PDF; 409 for a
        draft. Inspectors reach only their own inspections."""
        return _send(services.inspection_report(g.user, inspection_id))
