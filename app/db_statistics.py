"""Query-planner statistics on SQLite, which (unlike PostgreSQL's autovacuum) never gathers
them by itself. Without `sqlite_stat1` the planner guesses every index equally selective and
picks poor plans for the register, score and matching queries.

Gathered where the data's shape changes in bulk: after migrations (migrations/env.py), after
a register import, after `flask scores rebuild`; and `PRAGMA optimize`, which re-analyzes only
tables whose queries would benefit (never analyzed, or grown many times over), when a pooled
connection is closed and at most every `OPTIMIZE_EVERY` seconds when one is returned to the
pool. PostgreSQL's autovacuum analyzes on its own; `vacuum_scores` covers the rebuild.
"""

from __future__ import annotations

import logging
import sqlite3
import time

from sqlalchemy import event, text
from sqlalchemy.pool import Pool

from app.extensions import db

OPTIMIZE_EVERY = 3600.0  # seconds between `PRAGMA optimize` runs per pooled connection
_log = logging.getLogger(__name__)


def analyze(*tables: str) -> None:
    """SQLite: fresh statistics for `tables` (all when none) in the current transaction, so
    the commit of the request or command that changed the data keeps them."""
    if db.session.get_bind().dialect.name != "sqlite":
        return
    for table in tables or ("",):
        db.session.execute(text(f"ANALYZE {table}".strip()))


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


def _optimize(dbapi_connection, record) -> None:
    """`PRAGMA optimize` outside any transaction; statistics are best effort, so a busy
    database only postpones them."""
    if dbapi_connection is None or not _is_sqlite(dbapi_connection):
        return
    try:
        if dbapi_connection.in_transaction:
            return
        dbapi_connection.execute("PRAGMA optimize")
    except sqlite3.Error as error:
        _log.info("PRAGMA optimize postponed: %s", error)
    if record is not None:
        record.info["optimized_at"] = time.monotonic()


@event.listens_for(Pool, "connect")
def _remember_start(dbapi_connection, record):
    if _is_sqlite(dbapi_connection):
        record.info["optimized_at"] = time.monotonic()


@event.listens_for(Pool, "checkin")
def _optimize_on_schedule(dbapi_connection, record):
    started = record.info.get("optimized_at") if record is not None else None
    if started is not None and time.monotonic() - started >= OPTIMIZE_EVERY:
        _optimize(dbapi_connection, record)


@event.listens_for(Pool, "close")
def _optimize_at_close(dbapi_connection, record):
    _optimize(dbapi_connection, record)


@event.listens_for(Pool, "close_detached")
def _optimize_detached(dbapi_connection):
    _optimize(dbapi_connection, None)
