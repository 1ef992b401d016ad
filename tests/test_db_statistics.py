"""SQLite keeps planner statistics: after migrations, on AUTOCOMMIT connections (committed at
once, not rolled back at close), and from `PRAGMA optimize` at close and on a schedule."""

import sqlite3

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app, db_statistics
from app.extensions import db
from app.units.models import Building, Unit


@pytest.fixture
def fresh(tmp_path):
    """An app on a SQLite file of its own (also when the suite runs on PostgreSQL)."""
    path = tmp_path / "statistics.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TESTING": True})
    with app.app_context():
        upgrade()
        yield path
        db.session.remove()
        db.engine.dispose()


def _stat_tables(path) -> set[str] | None:
    """Tables with statistics, seen from a connection of its own; None without sqlite_stat1."""
    with sqlite3.connect(path) as conn:
        exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
        if not exists:
            return None
        return {row[0] for row in conn.execute("SELECT tbl FROM sqlite_stat1")}


def _add_units(count: int) -> None:
    building = Building(address="Storgata 1", address_key="storgata 1", district="Sentrum")
    db.session.add(building)
    db.session.flush()
    for n in range(count):
        db.session.add(Unit(building_id=building.id, unit_number=f"H{n:04d}", bedrooms=1))
    db.session.commit()


def test_migrations_leave_sqlite_stat1(fresh):
    assert _stat_tables(fresh) is not None


def test_autocommit_connection_commits_and_others_stay_transactional(fresh):
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("CREATE TABLE probe (a INTEGER)")
        conn.exec_driver_sql("INSERT INTO probe VALUES (1)")
    with db.engine.connect() as conn:  # closed without commit: rolled back
        conn.exec_driver_sql("INSERT INTO probe VALUES (2)")
    with sqlite3.connect(fresh) as other:
        assert other.execute("SELECT a FROM probe").fetchall() == [(1,)]


def test_optimize_at_close_analyzes_the_tables_queries_used(fresh):
    _add_units(50)
    assert "units" not in _stat_tables(fresh)
    db.session.execute(text("SELECT id FROM units WHERE status = 'vacant'")).all()
    db.session.remove()
    db.engine.dispose()  # closes the pooled connections
    assert "units" in _stat_tables(fresh)


def test_optimize_on_schedule_when_a_connection_is_returned(fresh, monkeypatch):
    _add_units(50)
    db.session.execute(text("SELECT id FROM units WHERE status = 'vacant'")).all()
    db.session.remove()  # returned to the pool before the interval: nothing yet
    assert "units" not in _stat_tables(fresh)
    monkeypatch.setattr(db_statistics, "OPTIMIZE_EVERY", 0.0)
    db.session.execute(text("SELECT id FROM units WHERE status = 'vacant'")).all()
    db.session.remove()
    assert "units" in _stat_tables(fresh)
