"""Benchmark: portfolio plans over stored results (SQLite and PostgreSQL).

`POST /api/v1/planning/portfolio` end to end (test client, server time inside the process)
over a 110,000-unit stock and a 600-unit municipality, every unit with a stored assessment of
its own generated answers and its planner input (bench/_portfolio.py), plus waiting
households for the demand priorities. Every timed request is checked: status 200 and the
same number of steps as the first round. Each round also times, in the same process:
- read: `services._candidates()`, the DB read and the building of the planner's input;
- bare read: the same SELECT through the bare driver (sqlite3 / psycopg), rows fetched;
- plan: the pure planner `plan_portfolio` on the already-built candidates (the baseline);
- to JSON: `plan_to_dict` of that plan.

    .venv/bin/python bench/planning_db.py [--db sqlite,postgresql] [--units 110000,600]
        [--rounds 10] [--small-rounds 200] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import pstats
import random
import statistics
import time

import _dbsetup as setup  # first: puts the repository on sys.path
from _portfolio import seed_portfolio

from app.applicants.models import Applicant
from app.checklists import services as checklists
from app.extensions import db
from app.planning import plan_portfolio
from app.planning import services as planning

NEEDS = [  # (limitation, share of waiting households with it as a need)
    ("wheelchair_manual", 0.25), ("wheelchair_electric", 0.08), ("walking_aid", 0.35),
    ("balance", 0.15), ("stamina", 0.1), ("low_vision", 0.05), ("blind", 0.02),
    ("deaf", 0.03), ("hard_of_hearing", 0.06), ("cognitive", 0.08), ("asthma_allergy", 0.05),
]  # fmt: skip
WEIGHTS = {"wheelchair_manual": 3, "walking_aid": 2, "old_senior": 1}


def seed_applicants(count: int) -> None:
    """Waiting households: a few needs each, a third with wished districts."""
    rng = random.Random(31)
    now = datetime.datetime.now(datetime.UTC)
    rows = []
    for n in range(count):
        needs = [
            {"limitation": key, "level": "required" if rng.random() < 0.7 else "preferred"}
            for key, share in NEEDS
            if rng.random() < share
        ]
        districts = rng.sample(setup.DISTRICTS, rng.randint(1, 3)) if rng.random() < 0.33 else []
        rows.append(
            {
                "case_reference": f"26/{n + 1:06d}",
                "household": {"adults": rng.choice([1, 1, 2]), "over_67": int(rng.random() < 0.3)},
                "needs": needs,
                "min_bedrooms": rng.choice([0, 1, 1, 2, 3]),
                "districts": districts,
                "districts_required": bool(districts) and rng.random() < 0.3,
                "status": "waiting",
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "status_changed_at": now,
            }
        )
    db.session.execute(Applicant.__table__.insert(), rows)
    db.session.commit()


def one_round(app, client, headers, raw, body, read_sql, profiler, steps) -> dict[str, float]:
    times = {}
    if profiler:
        profiler.enable()
    start = time.perf_counter()
    response = client.post("/api/v1/planning/portfolio", json=body, headers=headers)
    times["request"] = time.perf_counter() - start
    if profiler:
        profiler.disable()
    setup.check(response, 200, "steps", steps)
    times["bare read"] = setup.timed(lambda: setup.replay(raw, read_sql))
    with app.app_context():
        start = time.perf_counter()
        candidates, labels = planning._candidates()
        times["read"] = time.perf_counter() - start
        # The request is a facility manager's: demand weights from suppressed counts.
        weights = planning._weights(body["priorities"], candidates, exact_counts=False)
        catalogue = checklists.catalogue()
        start = time.perf_counter()
        plan = plan_portfolio(candidates, body["budget"], weights, catalogue.measures)
        times["plan"] = time.perf_counter() - start
        measures = {m.id: m for m in catalogue.measures.measures}
        times["to JSON"] = setup.timed(lambda: planning.plan_to_dict(plan, labels, measures))
        db.session.rollback()
    times["steps"] = len(plan.steps)
    return times


def bench(kind: str, units: int, rounds: int, profile: bool) -> None:
    with setup.database(kind) as url:
        app = setup.make_app(url)
        with app.app_context():
            inspector_id, _ = setup.bearer("inspector")
            seeded = seed_portfolio(units, inspector_id, plan_inputs=True)
            db.session.remove()
        print(f"  {kind}, {units:,} units: {setup.seeded_line(seeded)}")
        measure(app, url, units, rounds, profile)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def measure(app, url: str, units: int, rounds: int, profile: bool) -> None:
    """Plans by demand and by weights on the seeded portfolio, `rounds` rounds each."""
    with app.app_context():
        seed_applicants(max(40, units // 50))
        _, headers = setup.bearer("facility_manager")
        db.session.remove()
    print(f"  {units:,} units, {max(40, units // 50):,} waiting households")
    client = app.test_client()
    raw = setup.raw_connection(url)
    budget = 500_000_000 if units > 10_000 else 5_000_000
    profiler = cProfile.Profile() if profile else None
    for label, priorities in (("demand", "demand"), ("weights", WEIGHTS)):
        body = {"budget": budget, "priorities": priorities}
        with app.app_context(), setup.captured_sql(db.engine) as statements:
            planning._candidates()
            db.session.rollback()
        first = client.post("/api/v1/planning/portfolio", json=body, headers=headers)
        steps = setup.check(first, 200, "steps")
        samples = [
            one_round(app, client, headers, raw, body, statements, profiler, steps)
            for _ in range(rounds)
        ]
        columns = ("request", "read", "bare read", "plan", "to JSON")
        p = {c: setup.percentiles([s[c] for s in samples]) for c in columns}
        ratio = statistics.median(s["request"] / s["plan"] for s in samples)
        read_ratio = statistics.median(s["read"] / s["bare read"] for s in samples)
        print(
            f"  budget {budget / 1e6:,.0f} MNOK, priorities {label}: "
            f"{samples[0]['steps']:,} steps, {rounds} rounds"
        )
        for c in columns:
            print(f"    {c:9} {setup.fmt(p[c])}")
        print(f"    request / plan {ratio:.2f}x, read / bare read {read_ratio:.1f}x")
    raw.close()
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--units", default="110000,600")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--small-rounds", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    print(f"{datetime.date.today()} | {setup.machine()}")
    for kind in args.db.split(","):
        for units in (int(u) for u in args.units.split(",")):
            rounds = max(2, args.rounds if units > 10_000 else args.small_rounds)  # p95 needs 2
            bench(kind, units, rounds, args.profile)


if __name__ == "__main__":
    main()
