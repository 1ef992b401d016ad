"""Row locks for state changes: read a row fresh and hold it until the request commits.

On PostgreSQL `get_locked` is `SELECT ... FOR UPDATE OF <table>`: a second writer waits at this
line and then reads what the first committed, so checks made after it (status, If-Match,
"newest wins") cannot be overtaken. SQLite has no row locks; there a write request begins
IMMEDIATE (see `app/__init__.py`), which holds the database's write lock from its first
statement and gives the same guarantee. The UPDATE itself is still a compare-and-set on the
row's version (the mappers' `version_id_col`)."""

from __future__ import annotations

from app.extensions import db


def get_locked(model, ident):
    """The row with primary key `ident`, locked and re-read (None when there is none)."""
    return db.session.get(model, ident, with_for_update={"of": model}, populate_existing=True)
