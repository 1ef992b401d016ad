"""Benchmark: the unit register on a real database (SQLite and PostgreSQL).

1. import: `import_units` of a 12,000-unit CSV into an empty register, then the same file
   again (nothing changes), against a bare SQLAlchemy Core bulk insert of the same buildings
   and units. Each round runs all three on emptied tables, alternately.
2. list: `GET /api/v1/units` with filters, search and sorts over `--units` units.
4. suitable: `GET /api/v1/units?suitable_for=...&class=...` over the same units, each with
   scores for every limitation, profile and general (bulk-loaded, 20-45 % suitable).

For 2 and 4 the baseline is the very SQL the request sent (captured once per variant),
replayed through the bare driver (sqlite3 / psycopg) in the same round, so the ratio is what
Flask, auth, the ORM and serialisation add to the database's own work. Server time is the
time around the test client call, inside the process.

    .venv/bin/python bench/register_db.py [--db sqlite,postgresql] [--units 110000]
        [--import-units 12000] [--rounds 3] [--requests 200] [--parts import,list,suitable]
        [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import pstats
import random
import statistics
import time
import zlib

import _dbsetup as setup  # first: puts the repository on sys.path
from import_parse import csv_data
from sqlalchemy import delete, func, select

from app.assessments.models import CLASS_RANK, UnitScore
from app.checklists import services as checklists
from app.extensions import db
from app.units.importer import BUILDING_FIELDS, UNIT_FIELDS, import_units
from app.units.importing import normalise_address, parse_file
from app.units.models import AddressTerm, Building, Unit, term_rows

LIST_VARIANTS = [
    ("filters", "district=Sentrum&status=vacant&min_bedrooms=2&page_size=50"),
    ("filters, page 3", "district=Idd&status=vacant&min_bedrooms=2&page_size=50&page=3"),
    ("q= street", "q=storgata%2012&page_size=50"),
    ("q= unit number", "q=H0201&page_size=50"),
    ("q= address + unit", "q=asakveien%2015%20h0102&page_size=50"),
    ("q= unit + district", "q=H0102%20Tistedal&page_size=50"),
    ("q= word inside", "q=sakvei&page_size=50"),
    ("q= veien", "q=veien&page_size=50"),
    ("sort=-bedrooms", "status=vacant&sort=-bedrooms&page_size=50"),
    ("sort=area + district", "district=Berg&sort=area&page_size=50"),
    ("sort=id, no filter", "sort=id&page_size=50"),
]
SUITABLE_VARIANTS = [
    ("issue 6 query, default page", "suitable_for=wheelchair_manual&class=suitable"),
    ("wheelchair_manual", "suitable_for=wheelchair_manual&class=suitable&page_size=50"),
    (
        "+ district, vacant",
        "suitable_for=wheelchair_manual&class=suitable&district=Sentrum&status=vacant&page_size=50",
    ),
    (
        "senior,walking_aid adaptable",
        "suitable_for=senior,walking_aid&class=adaptable&page_size=50",
    ),
    ("general min_score=90", "suitable_for=general&min_score=90&sort=-bedrooms&page_size=50"),
]
# Share of units rated suitable per key; the rest spread over adaptable/unsuitable/unknown.
SUITABLE_SHARE = {"wheelchair_manual": 0.20, "wheelchair_electric": 0.21, "walking_aid": 0.32}


# -- 1. import ---------------------------------------------------------------------------


def _empty_register() -> None:
    db.session.execute(delete(Unit))
    db.session.execute(delete(AddressTerm))
    db.session.execute(delete(Building))
    db.session.commit()


def bulk_insert(parsed) -> None:
    """The baseline: the same buildings and units through Core, ids back by RETURNING."""
    buildings = []
    for row in parsed.buildings:
        values = {name: getattr(row, name) for name in BUILDING_FIELDS}
        buildings.append({**values, "address_key": normalise_address(row.address)})
    stmt = Building.__table__.insert().returning(Building.id, sort_by_parameter_order=True)
    ids = db.session.execute(stmt, buildings).scalars().all()
    by_key = {row.key: bid for row, bid in zip(parsed.buildings, ids, strict=True)}
    terms = [
        r
        for b, bid in zip(buildings, ids, strict=True)
        for r in term_rows(bid, b["address"], b.get("place"), b["district"])
    ]
    db.session.execute(AddressTerm.__table__.insert(), terms)
    units = []
    for row in parsed.rows:
        values = {name: getattr(row, name) for name in UNIT_FIELDS}
        values.update(ownership=str(row.ownership), status=str(row.status))
        units.append({**values, "building_id": by_key[row.building.key]})
    db.session.execute(Unit.__table__.insert(), units)
    db.session.commit()


def bench_import(app, units: int, rounds: int) -> None:
    data = csv_data(units)
    districts = app.config["DISTRICTS"]
    times: dict[str, list[float]] = {"bulk": [], "first": [], "second": []}
    with app.app_context():
        parsed = parse_file(data, "register.csv", districts)
        assert parsed.ok and len(parsed.rows) == units, parsed.problems[:3]
        for _ in range(rounds):
            _empty_register()
            times["bulk"].append(setup.timed(lambda: bulk_insert(parsed)))
            _empty_register()

            def run():
                import_units(data, "register.csv", districts, dry_run=False)
                db.session.commit()

            times["first"].append(setup.timed(run))
            times["second"].append(setup.timed(run))
            db.session.remove()
        count = db.session.scalar(select(func.count()).select_from(Unit))
        assert count == units, count
    bulk = statistics.median(times["bulk"])
    for name in ("first", "second"):
        ratios = [t / b for t, b in zip(times[name], times["bulk"], strict=True)]
        print(
            f"  import {name:6}: median {statistics.median(times[name]):6.2f} s "
            f"(min {min(times[name]):.2f}, max {max(times[name]):.2f}) | bulk insert median "
            f"{bulk:.2f} s | ratio median {statistics.median(ratios):.1f}x"
        )


# -- 2 and 4. listing --------------------------------------------------------------------


def compare_requests(app, headers: dict, variants, requests: int, url: str) -> None:
    """Per variant: capture the request's SQL once, then alternate request and replay."""
    client = app.test_client()
    raw = setup.raw_connection(url)
    with app.app_context():
        engine = db.engine
    try:
        for name, query in variants:
            path = f"/api/v1/units?{query}"
            with setup.captured_sql(engine) as statements:
                response = client.get(path, headers=headers)
            assert response.status_code == 200, response.get_json()
            shown, total = len(response.get_json()), response.headers.get("X-Pagination")
            server, bare = [], []
            for _ in range(requests):
                server.append(setup.timed(lambda p=path: client.get(p, headers=headers)))
                bare.append(setup.timed(lambda: setup.replay(raw, statements)))
            ratios = [s / b for s, b in zip(server, bare, strict=True)]
            ps, pb = setup.percentiles(server), setup.percentiles(bare)
            print(
                f"  {name:28} request {setup.fmt(ps)} | bare SQL {setup.fmt(pb)} | "
                f"ratio median {statistics.median(ratios):.1f}x, p95/p95 "
                f"{ps['p95'] / pb['p95']:.1f}x | {shown} shown, {total}"
            )
    finally:
        raw.close()


def profile_requests(app, headers: dict, variants, requests: int) -> None:
    client = app.test_client()
    profiler = cProfile.Profile()
    for _, query in variants:
        profiler.enable()
        for _ in range(requests):
            client.get(f"/api/v1/units?{query}", headers=headers)
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def score_rows(units: int, seed: int = 7):
    """unit_scores rows for every unit and key, with a plausible class spread per key."""
    catalogue = checklists.catalogue()
    keys = [x.key for x in catalogue.limitations]
    keys += [p.key for p in catalogue.profiles.profiles] + ["general"]
    rng = random.Random(seed)
    for unit_id in range(1, units + 1):
        for key in keys:
            share = SUITABLE_SHARE.get(key, 0.25 + 0.2 * (zlib.crc32(key.encode()) % 5) / 4)
            draw = rng.random()
            if draw < share:
                cls, score = "suitable", rng.uniform(85, 100)
            elif draw < share + 0.35:
                cls, score = "adaptable", rng.uniform(40, 95)
            elif draw < share + 0.5:
                cls, score = "unsuitable", rng.uniform(10, 80)
            else:
                cls, score = "unknown", rng.uniform(50, 100)
            yield (unit_id, key, CLASS_RANK[cls], round(score, 2))


def seed_scores(units: int) -> None:
    columns = [c.name for c in UnitScore.__table__.columns]
    assert columns == ["unit_id", "key", "class_rank", "score"], columns
    setup.copy_or_executemany("unit_scores", columns, score_rows(units))


# -- probe: a faster form of the suitability query ----------------------------------------

JOIN_FORM = (
    "SELECT count(*) FROM unit_scores s JOIN units u ON u.id = s.unit_id "
    "JOIN buildings b ON b.id = u.building_id WHERE s.key = 'wheelchair_manual' "
    "AND s.class_rank >= 3",
    "SELECT u.*, b.* FROM unit_scores s JOIN units u ON u.id = s.unit_id "
    "JOIN buildings b ON b.id = u.building_id WHERE s.key = 'wheelchair_manual' "
    "AND s.class_rank >= 3 ORDER BY b.address_key, u.unit_number, u.id LIMIT 50",
)


def probe_join_form(app, headers: dict, url: str, requests: int) -> None:
    """The app's EXISTS query against a JOIN from unit_scores (count + first page), bare
    driver, before and after an index that covers (key, class_rank, unit_id)."""
    client = app.test_client()
    with app.app_context():
        engine = db.engine
    path = f"/api/v1/units?{SUITABLE_VARIANTS[0][1]}"
    with setup.captured_sql(engine) as statements:
        client.get(path, headers=headers)
    app_sql = [(s, p) for s, p in statements if "unit_scores" in s]
    join_sql = [(s, None) for s in JOIN_FORM]
    raw = setup.raw_connection(url)
    try:
        for label in ("existing indexes", "+ index (key, class_rank, unit_id)"):
            if label.startswith("+"):
                raw.execute("CREATE INDEX ix_probe ON unit_scores (key, class_rank, unit_id)")
                raw.execute("ANALYZE")
            exists = [setup.timed(lambda: setup.replay(raw, app_sql)) for _ in range(requests)]
            join = [setup.timed(lambda: setup.replay(raw, join_sql)) for _ in range(requests)]
            print(
                f"  probe, {label}: app's EXISTS form {setup.fmt(setup.percentiles(exists))} "
                f"| JOIN form {setup.fmt(setup.percentiles(join))}"
            )
        raw.execute("DROP INDEX ix_probe")
    finally:
        raw.close()


# -- main --------------------------------------------------------------------------------


def run(kind: str, args) -> None:
    print(f"\n== {kind} ==")
    with setup.database(kind) as url:
        app = setup.make_app(url)
        if "import" in args.parts:
            bench_import(app, args.import_units, args.rounds)
        if not {"list", "suitable", "probe"} & set(args.parts):
            return
        with app.app_context():
            _empty_register()
            started = time.perf_counter()
            setup.seed_register(args.units)
            print(f"  seeded {args.units} units in {time.perf_counter() - started:.1f} s")
            if {"suitable", "probe"} & set(args.parts):
                started = time.perf_counter()
                seed_scores(args.units)
                count = db.session.scalar(select(func.count()).select_from(UnitScore))
                print(f"  seeded {count} unit_scores in {time.perf_counter() - started:.1f} s")
            setup.analyze()
            _, headers = setup.bearer("allocation_officer")
            db.session.remove()
        if "list" in args.parts:
            compare_requests(app, headers, LIST_VARIANTS, args.requests, url)
        if "suitable" in args.parts:
            compare_requests(app, headers, SUITABLE_VARIANTS, args.requests, url)
        if "probe" in args.parts:
            probe_join_form(app, headers, url, args.requests)
        if args.profile:
            profile_requests(app, headers, LIST_VARIANTS[:1] + SUITABLE_VARIANTS[:1], 50)
        with app.app_context():
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--units", type=int, default=110_000)
    parser.add_argument("--import-units", type=int, default=12_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--parts", default="import,list,suitable")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    args.parts = args.parts.split(",")
    print(f"{datetime.date.today()} | {setup.machine()}")
    for kind in args.db.split(","):
        run(kind, args)


if __name__ == "__main__":
    main()
