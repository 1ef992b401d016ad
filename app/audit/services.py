"""Write audit events; callers decide what is worth recording, never health data itself."""

from __future__ import annotations

from flask import g, has_request_context, request

from app.audit.models import AuditEvent
from app.extensions import db


def client_address() -> str | None:
    return request.remote_addr if has_request_context() else None


def record(
    action: str,
    object_type: str,
    object_id: object = None,
    *,
    actor=None,
    details: dict | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction (committed with the request)."""
    if actor is None and has_request_context():
        actor = g.get("user")
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_email=actor.email if actor is not None else None,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        client_address=client_address(),
        request_id=g.get("request_id") if has_request_context() else None,
        details=details or {},
    )
    db.session.add(event)
    return event
