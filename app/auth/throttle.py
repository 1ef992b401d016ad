"""Sign-in throttling: a progressive delay per account and per address, counted atomically.

Three counters of failed sign-ins, each a row of `login_throttles`:

- the address (`ip:`): every account tried from it. After LOGIN_FREE_FAILURES_PER_ADDRESS
  failures each further attempt from the address waits 1, 2, 4 ... seconds (at most
  LOGIN_MAX_DELAY_SECONDS) after the last failure. Spraying passwords over many accounts
  from one place slows down.
- the account from that address (`pair:`): the same after LOGIN_FREE_FAILURES_PER_ACCOUNT.
- the account from anywhere (`account:`): after LOGIN_FREE_FAILURES_PER_ACCOUNT failures the
  account is "under attack" and every address that has itself failed on it recently waits.
  An address with no recent failure on the account still gets its attempt checked, so the
  owner's right password is never refused because a stranger elsewhere guessed wrong;
  each new address an attacker brings gets one guess before it waits too.

Failures older than LOGIN_FAILURE_WINDOW_SECONDS are forgotten. A successful sign-in clears
the account's counters.

Atomic: every attempt first counts itself as a failure with one conditional UPDATE per
counter (`WHERE next_allowed_at <= now`), then checks the password, then sets the delay
(or, on success, takes the count back). The UPDATE keeps the row locked until the request
commits, so parallel attempts on one counter are decided one after another, each seeing
the delay the one before set: a burst of twelve gets exactly as far as twelve in a row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import case, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.auth.models import LoginThrottle
from app.extensions import db
from app.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class Refused:
    """The attempt must wait this many seconds."""

    retry_after: int


def delay_seconds(failures: int, free: int, maximum: int) -> int:
    """0 for the first `free` failures, then 1, 2, 4 ... seconds, at most `maximum`."""
    if failures <= free:
        return 0
    return min(2 ** min(failures - free - 1, 30), maximum)


def _keys(email: str, address: str) -> dict[str, str]:
    return {
        "address": f"ip:{address}",
        "pair": f"pair:{address}|{email}",
        "account": f"account:{email}",
    }


def _ensure_rows(keys) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [{"key": key, "failures": 0} for key in sorted(keys)]
    db.session.execute(insert(LoginThrottle).values(rows).on_conflict_do_nothing())


def _count(key: str, now: datetime, *, gated: bool) -> int | None:
    """Count one attempt on `key` as a failure; None if the key must wait (when gated)."""
    forget = now - timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])
    t = LoginThrottle
    stmt = (
        update(t)
        .where(t.key == key)
        .values(
            failures=case(
                (t.last_failure_at.is_(None) | (t.last_failure_at < forget), 1),
                else_=t.failures + 1,
            ),
            last_failure_at=now,
        )
        .returning(t.failures)
    )
    if gated:
        stmt = stmt.where(t.next_allowed_at.is_(None) | (t.next_allowed_at <= now))
    return db.session.execute(stmt).scalar_one_or_none()


def _wait(key: str, now: datetime) -> int:
    at = db.session.scalar(select(LoginThrottle.next_allowed_at).where(LoginThrottle.key == key))
    return max(1, math.ceil((as_utc(at) - now).total_seconds())) if at else 1


def begin_attempt(email: str, address: str) -> Refused | None:
    """Count this attempt on every counter before the password is checked (see module).
    Returns Refused (nothing counted: the caller rolls back) when it must wait."""
    now = utcnow()
    keys = _keys(email, address)
    _ensure_rows(keys.values())
    for name in ("address", "pair"):
        if _count(keys[name], now, gated=True) is None:
            return Refused(_wait(keys[name], now))
    pair_failures = db.session.scalar(
        select(LoginThrottle.failures).where(LoginThrottle.key == keys["pair"])
    )
    _count(keys["account"], now, gated=False)
    waiting_until = db.session.scalar(
        select(LoginThrottle.next_allowed_at).where(LoginThrottle.key == keys["account"])
    )
    if pair_failures > 1 and waiting_until is not None and as_utc(waiting_until) > now:
        return Refused(_wait(keys["account"], now))  # this address failed on it already
    return None


def failed(email: str, address: str) -> None:
    """The password was wrong: the counts stay, and each counter gets its next delay."""
    config = current_app.config
    now = utcnow()
    free = {
        "address": config["LOGIN_FREE_FAILURES_PER_ADDRESS"],
        "pair": config["LOGIN_FREE_FAILURES_PER_ACCOUNT"],
        "account": config["LOGIN_FREE_FAILURES_PER_ACCOUNT"],
    }
    for name, key in _keys(email, address).items():
        failures = db.session.scalar(select(LoginThrottle.failures).where(LoginThrottle.key == key))
        wait = delay_seconds(failures or 0, free[name], config["LOGIN_MAX_DELAY_SECONDS"])
        next_allowed = now + timedelta(seconds=wait) if wait else None
        db.session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == key)
            .values(next_allowed_at=next_allowed)
        )


def succeeded(email: str, address: str) -> None:
    """The right password: the account's counters are cleared, the address's count of this
    attempt is taken back (its other failures stay)."""
    keys = _keys(email, address)
    t = LoginThrottle
    db.session.execute(
        update(t)
        .where(t.key.in_([keys["pair"], keys["account"]]))
        .values(failures=0, last_failure_at=None, next_allowed_at=None)
    )
    db.session.execute(
        update(t).where(t.key == keys["address"], t.failures > 0).values(failures=t.failures - 1)
    )
