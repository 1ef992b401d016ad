"""Sign-in, sign-out, API tokens and accounts. Services flush; the request commits."""

from __future__ import annotations

import math
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, g
from sqlalchemy import delete, func, select

from app.audit import services as audit
from app.auth import passwords, tokens
from app.auth.models import ApiToken, AuthSession, LoginFailure, User
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


def _failures_since(column, value, since) -> tuple[int, object]:
    count, oldest = db.session.execute(
        select(func.count(), func.min(LoginFailure.at)).where(
            column == value, LoginFailure.at > since
        )
    ).one()
    return count, oldest


def _check_rate_limit(email: str, address: str) -> None:
    """Refuse sign-in while an account or an address has too many recent failures."""
    config = current_app.config
    window = timedelta(seconds=config["LOGIN_FAILURE_WINDOW_SECONDS"])
    now = utcnow()
    since = now - window
    for column, value, limit in (
        (LoginFailure.email, email, config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
        (LoginFailure.address, address, config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
    ):
        count, oldest = _failures_since(column, value, since)
        if count >= limit:
            retry = as_utc(oldest) + window - now
            raise TooManyRequests(
                "For mange mislykkede innlogginger. Vent litt og prøv igjen.",
                headers={"Retry-After": str(max(1, math.ceil(retry.total_seconds())))},
            )


def _record_failure(email: str, address: str) -> None:
    db.session.add(LoginFailure(email=email, address=address))
    db.session.flush()
    g.commit_on_error = True  # the 401 must still count against the rate limit


def login(email: str, password: str, address: str) -> NewSession:
    """Check credentials and open a browser session; the same answer for any wrong input."""
    email = normalise_email(email)
    address = address or "unknown"
    _check_rate_limit(email, address)
    user = db.session.scalar(select(User).where(User.email == email))
    if not passwords.verify_password(user.password_hash if user else None, password) or not (
        user and user.active
    ):
        _record_failure(email, address)
        raise Unauthorized(WRONG_CREDENTIALS)
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
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


def logout(session: AuthSession | None) -> None:
    if session is not None:
        audit.record("auth.logout", "user", session.user_id, actor=session.user)
        db.session.delete(session)
        db.session.flush()


def authenticate(email: str, password: str, address: str) -> User:
    """Check credentials without opening a session (used to issue tokens)."""
    email = normalise_email(email)
    _check_rate_limit(email, address or "unknown")
    user = db.session.scalar(select(User).where(User.email == email))
    if not passwords.verify_password(user.password_hash if user else None, password) or not (
        user and user.active
    ):
        _record_failure(email, address or "unknown")
        raise Unauthorized(WRONG_CREDENTIALS)
    return user


def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a bearer token; the secret is returned once and only its hash is kept."""
    secret = tokens.new_secret("uub")
    token = ApiToken(token_hash=tokens.digest(secret), name=name, user=user)
    db.session.add(token)
    db.session.flush()
    audit.record("auth.token_issued", "api_token", token.id, actor=user, details={"name": name})
    return token, secret


def revoke_token(actor: User, token_id: uuid.UUID) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.user_id != actor.id and actor.role != "admin"):
        raise NotFound("Tokenet finnes ikke.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("auth.token_revoked", "api_token", token.id, actor=actor)
    db.session.flush()
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
