"""Benchmark: matching, portfolio plans and the unit register's filters on one seeded
110,000-unit portfolio per database (SQLite and PostgreSQL).

The same measurements as bench/matching_db.py, bench/planning_db.py (the 110,000-unit part)
and the list and suitability parts of bench/register_db.py, on one portfolio seeded once per
database (bench/_portfolio.py: every unit scored from its own generated answers, with its
planner input), instead of three seeds of about the same data.

    nice -n 10 .venv/bin/python bench/portfolio_db.py [--db sqlite,postgresql]
        [--units 110000] [--requests 200] [--rounds 10] [--parts list,suitable,matching,planning]
"""

from __future__ import annotations

import argparse
import datetime

import _dbsetup as setup  # first: puts the repository on sys.path
import matching_db
import planning_db
import register_db
from _portfolio import seed_portfolio

from app.extensions import db


def run(kind: str, args) -> None:
    print(f"\n== {kind} ==")
    with setup.database(kind) as url:
        app = setup.make_app(url)
        with app.app_context():
            inspector_id, _ = setup.bearer("inspector")
            seeded = seed_portfolio(args.units, inspector_id, plan_inputs=True)
            _, officer = setup.bearer("allocation_officer")
            db.session.remove()
        print(f"  {setup.seeded_line(seeded)} | {setup.machine()}")
        if "list" in args.parts:
            print("  unit list:")
            variants = register_db.LIST_VARIANTS
            register_db.compare_requests(app, officer, variants, args.requests, url)
        if "suitable" in args.parts:
            print("  suitability filter:")
            variants = register_db.SUITABLE_VARIANTS
            register_db.compare_requests(app, officer, variants, args.requests, url)
        if "matching" in args.parts:
            print(f"  matching: | {setup.machine()}")
            matching_db.measure(app, url, kind, args)
        if "planning" in args.parts:
            print(f"  portfolio plan: | {setup.machine()}")
            planning_db.measure(app, url, args.units, args.rounds, args.profile)
        print(f"  done | {setup.machine()}")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--units", type=int, default=110_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--parts", default="list,suitable,matching,planning")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    args.parts = args.parts.split(",")
    print(f"{datetime.date.today()} | {setup.machine()}")
    for kind in args.db.split(","):
        run(kind, args)


if __name__ == "__main__":
    main()
