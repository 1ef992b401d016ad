"""Sign-in, sign-out, API tokens and accounts. Services flush; the request commits."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, g
from sqlalchemy import select

from app.audit import services as audit
from app.auth import passwords, throttle, tokens
from app.auth.models import ApiToken, AuthSession, User
from app.auth.roles import ROLES
from app.errors import Conflict, NotFound, TooManyRequests, Unauthorized, Unprocessable
from app.extensions import db
from app.timeutil import as_utc, utcnow

WRONG_CREDENTIALS = "Feil e-post eller passord."


@dataclass(frozen=True)
class NewSession:
    user: User
    secret: str
    csrf_token: str
    expires_at: object


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _check_credentials(email: str, password: str, address: str) -> User:
    """The active user with this e-mail and password, or 401 (the same answer for any wrong
    input); throttled per account and address (app.auth.throttle). Failed and refused
    attempts are audited and kept even though the request answers with an error."""
    email = normalise_email(email)
    address = address or "unknown"
    attempt = db.session.begin_nested()
    refused = throttle.begin_attempt(email, address)
    if refused is not None:
        attempt.rollback()
        audit.record(
            "auth.login_refused",
            "user",
            details={"email": email, "retry_after": refused.retry_after},
        )
        g.commit_on_error = True  # the audit event stays
        raise TooManyRequests(
            "For mange mislykkede innlogginger. Vent litt og prøv igjen.",
            headers={"Retry-After": str(refused.retry_after)},
        )
    attempt.commit()
    user = db.session.scalar(select(User).where(User.email == email))
    if not passwords.verify_password(user.password_hash if user else None, password) or not (
        user and user.active
    ):
        throttle.failed(email, address)
        audit.record(
            "auth.login_failed", "user", user.id if user else None, details={"email": email}
        )
        db.session.flush()
        g.commit_on_error = True  # the 401 must still count against the limits
        raise Unauthorized(WRONG_CREDENTIALS)
    throttle.succeeded(email, address)
    return user


def login(email: str, password: str, address: str) -> NewSession:
    """Check credentials and open a browser session; the same answer for any wrong input."""
    user = _check_credentials(email, password, address)
    hours = current_app.config["SESSION_LIFETIME_HOURS"]
    secret = tokens.new_secret("s")
    session = AuthSession(
        token_hash=tokens.digest(secret),
        csrf_token=secrets.token_urlsafe(32),
        user=user,
        expires_at=utcnow() + timedelta(hours=hours),
    )
    db.session.add(session)
    audit.record("auth.login", "user", user.id, actor=user)
    db.session.flush()
    return NewSession(user, secret, session.csrf_token, session.expires_at)


def logout(session: AuthSession | None, token_id: uuid.UUID | None = None) -> None:
    """End the browser session, or revoke the bearer token the request came with (and the
    tokens it minted)."""
    if session is not None:
        audit.record("auth.logout", "user", session.user_id, actor=session.user)
        db.session.delete(session)
        db.session.flush()
    if token_id is not None:
        token = db.session.get(ApiToken, token_id)
        if token is not None:
            audit.record("auth.logout", "user", token.user_id, actor=token.user)
            _revoke_family(token, token.user)


def authenticate(email: str, password: str, address: str) -> User:
    """Check credentials without opening a session (used to issue tokens)."""
    return _check_credentials(email, password, address)


def issue_token(user: User, name: str, parent_id: uuid.UUID | None = None) -> tuple[ApiToken, str]:
    """Create a bearer token; the secret is returned once and only its hash is kept.

    Tokens expire after API_TOKEN_LIFETIME_DAYS. A token minted with another token
    (`parent_id`) expires no later than that one and is revoked with it."""
    secret = tokens.new_secret("uub")
    expires_at = utcnow() + timedelta(days=current_app.config["API_TOKEN_LIFETIME_DAYS"])
    if parent_id is not None:
        parent = db.session.get(ApiToken, parent_id)
        expires_at = min(expires_at, as_utc(parent.expires_at))
    token = ApiToken(
        token_hash=tokens.digest(secret),
        name=name,
        user=user,
        parent_id=parent_id,
        expires_at=expires_at,
    )
    db.session.add(token)
    db.session.flush()
    details = {"name": name, "parent_id": str(parent_id) if parent_id else None}
    audit.record("auth.token_issued", "api_token", token.id, actor=user, details=details)
    return token, secret


def _revoke_family(token: ApiToken, actor: User) -> None:
    """Revoke `token` and every token minted from it, at any depth."""
    now = utcnow()
    family, frontier = [token], [token.id]
    while frontier:
        children = db.session.scalars(select(ApiToken).where(ApiToken.parent_id.in_(frontier)))
        children = list(children)
        family += children
        frontier = [child.id for child in children]
    for member in family:
        if member.revoked_at is None:
            member.revoked_at = now
            audit.record("auth.token_revoked", "api_token", member.id, actor=actor)
    db.session.flush()


def revoke_token(actor: User, token_id: uuid.UUID) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.user_id != actor.id and actor.role != "admin"):
        raise NotFound("Tokenet finnes ikke.")
    _revoke_family(token, actor)
    return token


def create_user(email: str, role: str, password: str, name: str = "") -> User:
    email = normalise_email(email)
    errors = {}
    if "@" not in email or len(email) > 254:
        errors["email"] = ["Ugyldig e-postadresse."]
    if role not in ROLES:
        errors["role"] = [f"Ukjent rolle. Gyldige roller: {', '.join(ROLES)}."]
    if len(password) < passwords.MIN_LENGTH:
        errors["password"] = [f"Passordet må ha minst {passwords.MIN_LENGTH} tegn."]
    if errors:
        raise Unprocessable("Brukeren kan ikke opprettes.", errors=errors)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("Det finnes allerede en bruker med denne e-postadressen.")
    user = User(email=email, role=role, name=name, password_hash=passwords.hash_password(password))
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", "user", user.id, details={"role": role})
    return user
