"""Benchmark: matching over stored results (SQLite and PostgreSQL).

`GET /api/v1/applicants/{id}/matches` for several realistic households over `--units` scored
units (default 110,000, about 12 % vacant). Server time is the time around the test client
call, inside the process. Baselines in the same round, through the bare driver (sqlite3 /
psycopg) on the same database:
- candidate query: the very ranked-page SELECT the request sent (captured once per household);
- all SQL: every statement the request sent (auth, audit, candidates, scores, explanations),
  replayed in one transaction: the database's own share of the request.

Stored data (bench/_portfolio.py): every unit has an approved inspection and an assessment
of its own generated answers (correlated with building age, district, floor and lift), all
scored by the app's bulk rescoring, with planner inputs (read for adaptable needs).

Every timed request is checked: status 200, the household's total and a full first page.

    .venv/bin/python bench/matching_db.py [--db sqlite,postgresql] [--units 110000]
        [--requests 200] [--profile] [--explain]
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

from app.extensions import db

HOUSEHOLDS = [
    (
        "rullestol påkrevd",
        {
            "needs": [{"limitation": "wheelchair_manual", "level": "required"}],
            "household": {"adults": 1},
            "min_bedrooms": 1,
        },
        "",
    ),
    (
        "rullator + balanse ønsket, over 80",
        {
            "needs": [
                {"limitation": "walking_aid", "level": "required"},
                {"limitation": "balance", "level": "preferred"},
            ],
            "household": {"adults": 1, "over_80": 1},
            "districts": ["Sentrum", "Brødløs"],
        },
        "",
    ),
    (
        "døv",
        {"needs": [{"limitation": "deaf", "level": "required"}], "household": {"adults": 2}},
        "",
    ),
    (
        "ingen behov, barnefamilie",
        {"household": {"adults": 2, "children_0_5": 1}, "min_bedrooms": 2},
        "",
    ),
    (
        "el-rullestol, må bo i Sentrum",
        {
            "needs": [{"limitation": "wheelchair_electric", "level": "required"}],
            "districts": ["Sentrum"],
            "districts_required": True,
        },
        "",
    ),
    (
        "rullator, tilpasningsbar godtas",
        {
            "needs": [{"limitation": "walking_aid", "level": "required"}],
            "household": {"adults": 1, "over_67": 1},
        },
        "&allow_adaptable=true",
    ),
]


# -- the benchmark -----------------------------------------------------------------------


def create_households(client, headers) -> list[tuple[str, int, str]]:
    out = []
    for n, (label, body, extra) in enumerate(HOUSEHOLDS, start=1):
        response = client.post(
            "/api/v1/applicants", json={"case_reference": f"26/{n:05d}", **body}, headers=headers
        )
        assert response.status_code == 201, response.get_json()
        out.append((label, response.get_json()["id"], extra))
    return out


def explain(raw, kind: str, statement: str, parameters) -> None:
    """Print the database's plan of the candidate query (PostgreSQL: with actual times)."""
    prefix = "EXPLAIN QUERY PLAN " if kind == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    cur = raw.cursor()
    cur.execute(prefix + statement, parameters or ())
    for row in cur.fetchall():
        print("    | " + str(row[-1]))


def bench(kind: str, args) -> list[dict]:
    with setup.database(kind) as url:
        app = setup.make_app(url)
        with app.app_context():
            inspector_id, _ = setup.bearer("inspector")
            seeded = seed_portfolio(args.units, inspector_id, plan_inputs=True)
            db.session.remove()
        print(f"  {setup.seeded_line(seeded)}")
        rows = measure(app, url, kind, args)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return rows


def measure(app, url: str, kind: str, args) -> list[dict]:
    """Every household on the seeded portfolio: `args.requests` timed requests each."""
    with app.app_context():
        _, headers = setup.bearer("allocation_officer")
        db.session.remove()
    client = app.test_client()
    households = create_households(client, headers)
    raw = setup.raw_connection(url)
    profiler = cProfile.Profile() if args.profile else None
    rows = []
    for label, applicant_id, extra in households:
        path = f"/api/v1/applicants/{applicant_id}/matches?page_size=20{extra}"
        with app.app_context(), setup.captured_sql(db.engine) as statements:
            first = client.get(path, headers=headers)
        expected = setup.check(first, 200, "total")
        page = first.get_json()["matches"]
        assert len(page) == min(20, expected), (len(page), expected)
        # the ranked page: the one SELECT with filters, scores and ranking
        candidate = [s for s in statements if "unit_match_scores" in s[0] and "LIMIT" in s[0]]
        assert len(candidate) == 1, [s[0][:80] for s in statements]
        if args.explain:
            explain(raw, kind, *candidate[0])
        times: dict[str, list[float]] = {"request": [], "candidate": [], "all SQL": []}
        for _ in range(args.requests):
            if profiler:
                profiler.enable()
            start = time.perf_counter()
            response = client.get(path, headers=headers)
            times["request"].append(time.perf_counter() - start)
            if profiler:
                profiler.disable()
            setup.check(response, 200, "total", expected)
            times["candidate"].append(setup.timed(lambda c=candidate: setup.replay(raw, c)))
            times["all SQL"].append(setup.timed(lambda s=statements: setup.replay(raw, s)))
        body = first.get_json()
        rows.append(
            {
                "household": label,
                "total": body["total"],
                **{k: setup.percentiles(v) for k, v in times.items()},
                "ratio": statistics.median(
                    a / b for a, b in zip(times["request"], times["candidate"], strict=True)
                ),
                "ratio_all": statistics.median(
                    a / b for a, b in zip(times["request"], times["all SQL"], strict=True)
                ),
            }
        )
        r = rows[-1]
        print(
            f"  {label:36} {r['total']:6,} matches | request {setup.fmt(r['request'])} | "
            f"candidate SQL {setup.fmt(r['candidate'])} | all SQL "
            f"{setup.fmt(r['all SQL'])} | ratio {r['ratio']:.1f}x / {r['ratio_all']:.1f}x"
        )
    raw.close()
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--units", type=int, default=110_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--explain", action="store_true", help="print the candidate query plan")
    args = parser.parse_args()
    print(f"{datetime.date.today()} | {setup.machine()}")
    for kind in args.db.split(","):
        print(f"{kind}:")
        bench(kind, args)


if __name__ == "__main__":
    main()
