"""Shared set-up for the database benchmarks: throw-away databases, an app with the schema
built by the migrations, bulk-seeded data, timed requests and their bare-driver baseline.

PostgreSQL: a server on 127.0.0.1:5432 (user postgres, trust) or BENCH_PG_URL; each run
creates its own `uu_bench_<pid>_<n>` database and drops it at the end. SQLite: a temp file.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["APP_ENV"] = "testing"

import psycopg
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import event, text

from app import create_app, db_statistics
from app.auth import services as auth
from app.checklists import services as checklists
from app.extensions import db
from app.units.importing import normalise_address
from app.units.models import AddressTerm, Building, Unit, term_rows

PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DISTRICTS = ["Sentrum", "Brødløs", "Tistedal", "Idd", "Berg", "Iddefjord", "Rokke", "Kornsjø"]
STREETS = [
    "Storgata", "Tollbugata", "Jernbanegata", "Kongens gate", "Walkers gate", "Brødløsveien",
    "Busterudgata", "Os allé", "Rødsveien", "Tistedalsgata", "Fossveien", "Torpumveien",
    "Iddeveien", "Svingen", "Rokkeveien", "Præstebakkeveien", "Bergsveien", "Asakveien",
    "Sauøyveien", "Sponvikaveien", "Iddefjordveien", "Remmendalsveien", "Kornsjøveien",
    "Øvre Særgate", "Nedre Særgate", "Halvdan Svartes gate", "Porsnesveien", "Gimleveien",
]  # fmt: skip
OUTLYING = {"Idd", "Iddefjord", "Rokke", "Kornsjø"}
_counter = itertools.count(1)


# -- databases and app -------------------------------------------------------------------


@contextlib.contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh, empty database URL for `kind` ("sqlite" or "postgresql"), removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="uu-bench-") as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    name = f"uu_bench_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_app(url: str) -> Flask:
    """The real app on `url`, schema built by the migrations, checklists published."""
    photos = tempfile.mkdtemp("-photos")
    atexit.register(shutil.rmtree, photos, True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PHOTO_STORAGE_PATH": photos})
    with app.app_context():
        upgrade()
        checklists.publish(Path(app.config["CHECKLISTS_PATH"]))
        db.session.commit()
    return app


def bearer(role: str = "admin") -> tuple[int, dict]:
    """A user with `role` and a bearer token (inside an app context): (user id, headers)."""
    user = auth.create_user(f"bench-{role}-{next(_counter)}@bench.kommune.no", role, "x" * 16)
    _, secret = auth.issue_token(user, "bench")
    db.session.commit()
    return user.id, {"Authorization": f"Bearer {secret}"}


def raw_connection(url: str):
    """A bare driver connection (sqlite3 / psycopg) to the same database, autocommit mode,
    planning as the app's connections do (custom plans: see app/__init__.py)."""
    if url.startswith("sqlite"):
        return sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    url = url.replace("postgresql+psycopg://", "postgresql://")
    connection = psycopg.connect(url, autocommit=True)
    connection.execute("SET plan_cache_mode = force_custom_plan")
    return connection


def analyze() -> None:
    """After bulk loads: fresh planner statistics, committed, and on PostgreSQL a vacuum that
    sets the visibility map so index-only scans skip the heap. Autovacuum does both on
    PostgreSQL in steady state; on SQLite the app analyzes after imports and rebuilds and
    `PRAGMA optimize` catches up (app/db_statistics.py). SQLite: checked that `sqlite_stat1`
    holds rows afterwards, so a benchmark never runs without statistics by accident."""
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        db_statistics.analyze()
        db.session.commit()
        url = db.engine.url.render_as_string(hide_password=False)
        with contextlib.closing(raw_connection(url)) as other:
            analyzed = other.execute("SELECT count(DISTINCT tbl) FROM sqlite_stat1").fetchone()
        assert analyzed[0] > 0, "no statistics in sqlite_stat1 after ANALYZE"
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


def reset_sequences(*tables: str) -> None:
    """After inserts with explicit ids, PostgreSQL sequences must move past them."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in tables:
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        )
    db.session.commit()


# -- register data -----------------------------------------------------------------------


def register_rows(units: int, seed: int = 1771) -> tuple[list[dict], list[dict]]:
    """Buildings and units with explicit ids: 1-24 units per building, 8 districts (the
    outlying ones with lower and older buildings), about 12 % vacant, 0-4 bedrooms; lifts in
    most buildings of 3+ storeys from 1997 on, retrofitted in fewer of the older ones.
    Deterministic for a seed."""
    rng = random.Random(seed)
    buildings, rows, numbers = [], [], {}
    while len(rows) < units:
        street = rng.choice(STREETS)
        numbers[street] = numbers.get(street, 0) + rng.randint(1, 4)
        address = f"{street} {numbers[street]}"
        district = rng.choice(DISTRICTS)
        outlying = district in OUTLYING
        storeys = rng.choice([1, 1, 2, 2, 3, 4] if outlying else [1, 2, 3, 3, 4, 4, 5, 6])
        year = rng.randint(1920, 2024) if not outlying else rng.randint(1900, 2015)
        lift_odds = 0.9 if year >= 1997 else 0.45 if year >= 1970 else 0.25
        per_storey = rng.choice([1, 2, 2, 3, 4])
        if storeys >= 3:
            kind = "care_housing" if rng.random() < 0.05 else "block"
        else:
            kind = rng.choice(["terraced", "semi_detached", "detached", "block"])
            per_storey = 1 if kind == "detached" else per_storey
        bid = len(buildings) + 1
        buildings.append(
            {
                "id": bid,
                "external_id": f"B{bid:06d}",
                "address": address,
                "address_key": normalise_address(address),
                "postal_code": f"{1760 + rng.randint(0, 30)}",
                "place": "Halden",
                "district": district,
                "storeys": storeys,
                "building_type": kind,
                "has_lift": storeys >= 3 and rng.random() < lift_odds,
                "year_built": year,
            }
        )
        for storey, n in itertools.product(range(1, storeys + 1), range(1, per_storey + 1)):
            rooms = rng.choice([1, 2, 2, 3, 3, 4, 5])
            rows.append(
                {
                    "id": len(rows) + 1,
                    "building_id": bid,
                    "external_id": f"E{len(rows) + 1:07d}",
                    "unit_number": f"H{storey:02d}{n:02d}",
                    "floor": storey,
                    "rooms": rooms,
                    "bedrooms": max(0, rooms - 1),
                    "area": Decimal(str(round(22 + rooms * rng.uniform(14, 22), 1))),
                    "ownership": "owned" if rng.random() < 0.85 else "leased",
                    "status": rng.choices(
                        ["let", "vacant", "renovation", "inactive"], [80, 12, 5, 3]
                    )[0],
                }
            )
    return buildings, rows[:units]


def seed_register(units: int, chunk: int = 10_000) -> tuple[list[dict], list[dict]]:
    """Bulk-insert `units` units and their buildings with SQLAlchemy Core; returns the rows."""
    buildings, rows = register_rows(units)
    used = {r["building_id"] for r in rows}
    buildings = [b for b in buildings if b["id"] in used]
    # Core inserts bypass the ORM hook that keeps the address search terms: add them here.
    terms = [
        r
        for b in buildings
        for r in term_rows(b["id"], b["address"], b.get("place"), b["district"])
    ]
    tables = ((Building.__table__, buildings), (Unit.__table__, rows))
    for table, data in (*tables, (AddressTerm.__table__, terms)):
        for start in range(0, len(data), chunk):
            db.session.execute(table.insert(), data[start : start + chunk])
    db.session.commit()
    reset_sequences("buildings", "units")
    return buildings, rows


def copy_or_executemany(table: str, columns: list[str], rows, chunk: int = 50_000) -> None:
    """Bulk-load plain tuples: COPY on PostgreSQL, executemany on SQLite (one transaction).
    Values must already be in the driver's form (SQLite: uuid hex, JSON text, ISO time)."""
    db.session.commit()
    raw = db.engine.raw_connection()
    try:
        driver = raw.driver_connection
        if db.engine.dialect.name == "postgresql":
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with driver.cursor() as cur, cur.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
            driver.commit()
        else:
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            cur = driver.cursor()
            cur.execute("BEGIN")
            rows = iter(rows)
            while batch := list(itertools.islice(rows, chunk)):
                cur.executemany(sql, batch)
            cur.execute("COMMIT")
    finally:
        raw.close()
    db.session.commit()  # a generator may have opened a read (snapshot) meanwhile


# -- timing ------------------------------------------------------------------------------


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99 in milliseconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "p50": statistics.median(samples) * 1000,
        "p95": cuts[94] * 1000,
        "p99": cuts[98] * 1000,
    }


def fmt(p: dict[str, float]) -> str:
    return f"p50 {p['p50']:.1f} / p95 {p['p95']:.1f} / p99 {p['p99']:.1f} ms"


@contextlib.contextmanager
def captured_sql(engine) -> Iterator[list[tuple[str, object]]]:
    """Record every statement (and its driver parameters) the app sends while open."""
    statements: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.strip().upper() != "BEGIN":  # replay() opens its own transaction
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def replay(conn, statements: list[tuple[str, object]]) -> None:
    """Run captured statements on a bare driver connection in one transaction, fetching all
    rows, and commit (as the request does)."""
    cur = conn.cursor()
    cur.execute("BEGIN")
    for statement, parameters in statements:
        cur.execute(statement, parameters or ())
        if cur.description is not None:
            cur.fetchall()
    cur.execute("COMMIT")


def check(response, status: int, field: str, expected=None):
    """A timed request's answer: the expected status and a field of the body (equal to
    `expected` when given); returns the field's value."""
    assert response.status_code == status, (response.status_code, response.get_data()[:300])
    body = response.get_json()
    value = body[field] if isinstance(body, dict) else body
    value = len(value) if isinstance(value, list) else value
    assert expected is None or value == expected, (field, value, expected)
    return value


def seeded_line(seeded: dict) -> str:
    steps = ", ".join(f"{k} {v:.0f} s" for k, v in seeded["seconds"].items())
    return (
        f"seeded {seeded['units']:,} units in {seeded['buildings']:,} buildings "
        f"({seeded['vacant']:,} vacant, {seeded['barriers']:,} barrier rows): {steps}"
    )


def timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def machine() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} cores, load {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}, " + (
        f"Python {sys.version.split()[0]}"
    )
