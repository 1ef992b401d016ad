"""Who is calling: a bearer token or a session cookie, resolved once per request."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app, g, request
from sqlalchemy import or_, select, update
from sqlalchemy.exc import OperationalError

from app.auth import tokens
from app.auth.models import ApiToken, AuthSession, User
from app.errors import Forbidden, Unauthorized
from app.extensions import db
from app.timeutil import as_utc, utcnow

CSRF_HEADER = "X-CSRF-Token"
# `last_used_at` is written at most this often per token, and never inside the request's own
# transaction: a row lock held until commit would make one token's requests take turns.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)

log = logging.getLogger(__name__)


def _from_bearer(header: str) -> User | None:
    secret = header[7:].strip()
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == tokens.digest(secret)))
    if row is None or not _token_valid(row) or not row.user.active:
        return None
    g.api_token_id = row.id
    if row.last_used_at is None or as_utc(row.last_used_at) <= utcnow() - TOKEN_USE_RESOLUTION:
        g.token_use_to_record = row.id
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


def record_token_use() -> None:
    """Note the bearer token's use, after the request's transaction has ended, in a short one
    of its own: a conditional UPDATE (so at most once a minute however many workers race)
    that skips the row when another transaction holds it. Best effort: the answer is already
    decided, so a failure is logged, not raised."""
    token_id = g.pop("token_use_to_record", None)
    if token_id is None:
        return
    now = utcnow()
    free = (
        select(ApiToken.id)
        .where(ApiToken.id == token_id)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    stale = or_(
        ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - TOKEN_USE_RESOLUTION
    )
    try:
        db.session.execute(
            update(ApiToken).where(ApiToken.id == free, stale).values(last_used_at=now),
            execution_options={"synchronize_session": False},
        )
        db.session.commit()
    except OperationalError as error:
        db.session.rollback()
        log.warning("could not record the use of token %s: %s", token_id, error.orig)
