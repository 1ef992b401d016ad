from flask.views import MethodView
from sqlalchemy import select

from app.api.smorest import Blueprint, Page
from app.audit.models import AuditEvent
from app.audit.schemas import AuditEventSchema, AuditQuerySchema
from app.auth.roles import ADMIN

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit-events", description="Revisjonslogg")


@blp.route("")
class AuditEvents(MethodView):
    @blp.auth_required(ADMIN)
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditEventSchema(many=True))
    @blp.paginate(Page)
    def get(self, query):
        """List audit events, newest first (administrators)."""
        stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
        for name, value in query.items():
            stmt = stmt.where(getattr(AuditEvent, name) == value)
        return stmt
