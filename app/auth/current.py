"""Who is calling: a bearer token or a session cookie, resolved once per request."""

from __future__ import annotations

from flask import current_app, g, request
from sqlalchemy import select

from app.auth import tokens
from app.auth.models import ApiToken, AuthSession, User
from app.errors import Forbidden, Unauthorized
from app.extensions import db
from app.timeutil import as_utc, utcnow

CSRF_HEADER = "X-CSRF-Token"


def _from_bearer(header: str) -> User | None:
    secret = header[7:].strip()
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == tokens.digest(secret)))
    if row is None or not _token_valid(row) or not row.user.active:
        return None
    row.last_used_at = utcnow()
    g.api_token_id = row.id
    return row.user


def _token_valid(row: ApiToken) -> bool:
    """Not revoked, not expired, and neither is any token it was minted from (a revocation
    that raced with the minting of a child still reaches the child)."""
    now = utcnow()
    seen = set()
    while row is not None and row.id not in seen:
        if row.revoked_at is not None or as_utc(row.expires_at) <= now:
            return False
        seen.add(row.id)
        row = db.session.get(ApiToken, row.parent_id) if row.parent_id else None
    return True


def _from_cookie(secret: str) -> User | None:
    row = db.session.scalar(
        select(AuthSession).where(AuthSession.token_hash == tokens.digest(secret))
    )
    if row is None or as_utc(row.expires_at) <= utcnow() or not row.user.active:
        return None
    g.auth_session = row
    return row.user


def resolve_user() -> User | None:
    """Find the caller, or None. Cached on `g` for the request."""
    if "user" in g:
        return g.user
    user = None
    g.auth_method = None
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        user = _from_bearer(header)
        g.auth_method = "token" if user else "invalid-token"
    else:
        cookie = request.cookies.get(current_app.config["SESSION_COOKIE_NAME"])
        if cookie:
            user = _from_cookie(cookie)
            g.auth_method = "session" if user else None
    g.user = user
    return user


def require_user(*, csrf: bool) -> User:
    """The signed-in user, or 401; cookie-authenticated writes must carry the CSRF token."""
    user = resolve_user()
    if user is None:
        raise Unauthorized("Du må logge inn.")
    if csrf and g.auth_method == "session":
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not tokens.same(sent, g.auth_session.csrf_token):
            raise Forbidden("CSRF-token mangler eller er feil. Last siden på nytt.")
    return user
