"""Per-request plumbing: request ids, the one commit per request, security headers."""

from __future__ import annotations

import re
import uuid

from flask import g, request
from sqlalchemy.exc import IntegrityError, OperationalError

from app.api import problems
from app.api.input import check_path
from app.auth.current import record_token_use
from app.auth.routes import set_session_cookie
from app.extensions import db

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI sets inline style attributes; scripts stay strict.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def start_request() -> None:
    """Start each request with a clean `g` (a shared app context, as in tests, keeps it)."""
    for key in list(vars(g)):
        delattr(g, key)
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex


def commit_or_rollback(response):
    """The request boundary commits once: on success, or when a view asked to keep its writes.

    A commit that fails is answered here (errors raised after the view would otherwise
    reach Flask as a bare 500): the database gone gives 503, a lost race 409.
    """
    if response.status_code < 400 or g.get("commit_on_error"):
        try:
            db.session.commit()
        except OperationalError as error:
            db.session.rollback()
            return problems.handle_database_unavailable(error)
        except IntegrityError as error:
            db.session.rollback()
            return problems.handle_integrity_error(error)
    else:
        db.session.rollback()
    record_token_use()  # after the commit, in a transaction of its own
    return set_session_cookie(response)


def security_headers(response):
    headers = response.headers
    docs = request.path.startswith("/api/docs")
    headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
    if request.path.startswith("/api/") and "Cache-Control" not in headers:
        headers["Cache-Control"] = "no-store"
    headers["X-Request-ID"] = g.get("request_id", "")
    return response


def register_hooks(app) -> None:
    app.before_request(start_request)
    app.before_request(check_path)
    app.after_request(security_headers)
    app.after_request(commit_or_rollback)  # after_request runs in reverse: commit first
