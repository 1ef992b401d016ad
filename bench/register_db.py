"""Benchmark: the unit register on a real database (SQLite and PostgreSQL).

1. import: `import_units` of a 12,000-unit CSV into an empty register, then the same file
   again (nothing changes), against a bare SQLAlchemy Core bulk insert of the same buildings
   and units. Each round runs all three on emptied tables, alternately.
2. list: `GET /api/v1/units` with filters, search and sorts over `--units` units.
4. suitable: `GET /api/v1/units?suitable_for=...&class=...` over the same units, each scored
   from its own generated answers by the app's bulk rescoring (bench/_portfolio.py).

For 2 and 4 the baseline is the very SQL the request sent (captured once per variant),
replayed through the bare driver (sqlite3 / psycopg) in the same round, so the ratio is what
Flask, auth, the ORM and serialisation add to the database's own work. Server time is the
time around the test client call, inside the process. Every timed request is checked:
status 200 and the same number of units on the page as the first request.

    .venv/bin/python bench/register_db.py [--db sqlite,postgresql] [--units 110000]
        [--import-units 12000] [--rounds 3] [--requests 200] [--parts import,list,suitable]
        [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import pstats
import statistics
import time

import _dbsetup as setup  # first: puts the repository on sys.path
from _portfolio import seed_portfolio
from import_parse import csv_data
from sqlalchemy import delete, func, select

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

            def run(outcome: str) -> None:
                report = import_units(data, "register.csv", districts, dry_run=False)
                db.session.commit()
                assert report["summary"][outcome] == units, report["summary"]

            times["first"].append(setup.timed(lambda: run("create")))
            times["second"].append(setup.timed(lambda: run("unchanged")))
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
                start = time.perf_counter()
                response = client.get(path, headers=headers)
                server.append(time.perf_counter() - start)
                setup.check(response, 200, "units", shown)
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
            if {"suitable", "probe"} & set(args.parts):
                inspector_id, _ = setup.bearer("inspector")
                print(f"  {setup.seeded_line(seed_portfolio(args.units, inspector_id))}")
            else:
                setup.seed_register(args.units)
                print(f"  seeded {args.units} units in {time.perf_counter() - started:.1f} s")
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
