"""Benchmark: matching over stored results (SQLite and PostgreSQL).

`GET /api/v1/applicants/{id}/matches` for several realistic households over `--units` scored
units (default 110,000, about 12 % vacant). Server time is the time around the test client
call, inside the process. Baselines in the same round, through the bare driver (sqlite3 /
psycopg) on the same database:
- candidate query: the very ranked-page SELECT the request sent (captured once per household);
- all SQL: every statement the request sent (auth, audit, candidates, scores, explanations),
  replayed in one transaction: the database's own share of the request.

Stored data: a pool of `--pool` units gets realistic approved inspections (the demo's barrier
spread, old buildings worse) scored by the real engine (`store_assessment`); every other unit
gets a copy of the stored rows of a pool unit of the same kind (old/new building, ground
floor / lift / stairs), with its own approved inspection row, bulk-loaded.

    .venv/bin/python bench/matching_db.py [--db sqlite,postgresql] [--units 110000]
        [--pool 300] [--requests 40] [--profile] [--explain]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import json
import pstats
import random
import statistics
import time
import uuid

import _dbsetup as setup  # first: puts the repository on sys.path
from sqlalchemy import select

from app.assessments.models import UnitAssessment, UnitScore, unit_match_scores
from app.assessments.services import store_assessment
from app.checklists import services as checklists
from app.demo.inspections import OLD_BUILDING, _answers
from app.extensions import db
from app.inspections.models import Answer, Inspection
from app.units.models import Unit

INSPECTION_COLUMNS = [
    "id", "unit_id", "checklist_key", "checklist_version", "inspector_id", "created_by_id",
    "status", "version", "created_at", "updated_at", "submitted_at", "approved_at",
    "approved_by_id",
]  # fmt: skip
ASSESSMENT_COLUMNS = [
    "unit_id", "inspection_id", "checklist_key", "checklist_version", "profiles_version",
    "measures_version", "scored_at", "plan_input", "inputs",
]  # fmt: skip
SCORE_COLUMNS = [c.name for c in UnitScore.__table__.columns]
MATCH_COLUMNS = [c.name for c in unit_match_scores.columns]

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


# -- stored data -------------------------------------------------------------------------


def _kind(unit) -> tuple[bool, str]:
    """Units whose stored rows may be copied: same building age and access to the door."""
    old = (unit["year_built"] or 2000) < OLD_BUILDING
    access = "ground" if (unit["floor"] or 1) <= 1 else "lift" if unit["has_lift"] else "stairs"
    return old, access


def _score_pool(pool_ids: list[int], inspector_id: int) -> dict:
    """Approved inspections for the pool units, scored and stored by the real engine."""
    catalogue = checklists.catalogue()
    checklist = catalogue.checklists[("uu-bolig", 1)]
    rng = random.Random(1792)
    for unit in db.session.scalars(select(Unit).where(Unit.id.in_(pool_ids)).order_by(Unit.id)):
        now = datetime.datetime.now(datetime.UTC)
        inspection = Inspection(
            unit_id=unit.id,
            checklist_key="uu-bolig",
            checklist_version=1,
            inspector_id=inspector_id,
            created_by_id=inspector_id,
            status="approved",
            submitted_at=now,
            approved_at=now,
            approved_by_id=inspector_id,
        )
        for item_id, value in _answers(rng, checklist, unit).items():
            inspection.answers.append(
                Answer(item_id=item_id, value=value, answered_at=now, answered_by_id=inspector_id)
            )
        inspection.unit = unit
        db.session.add(inspection)
        db.session.flush()
        store_assessment(inspection, catalogue)
    db.session.commit()
    stored = {}
    for row in db.session.execute(
        select(UnitAssessment).where(UnitAssessment.unit_id.in_(pool_ids))
    ).scalars():
        stored[row.unit_id] = {
            "versions": (row.profiles_version, row.measures_version),
            "inputs": json.dumps(row.inputs),
            "plan_input": json.dumps(row.plan_input),
            "scores": [],
        }
    for row in db.session.execute(
        select(UnitScore.__table__).where(UnitScore.unit_id.in_(pool_ids))
    ):
        stored[row.unit_id]["scores"].append(tuple(row)[1:])
    for row in db.session.execute(
        select(unit_match_scores).where(unit_match_scores.c.unit_id.in_(pool_ids))
    ):
        stored[row.unit_id]["match"] = tuple(row)[4:]  # the scores; the register facts vary
    return stored


def seed_scored(units: int, pool: int, inspector_id: int) -> dict:
    """`units` units (register of _dbsetup), every one with a current assessment: `pool` of
    them scored for real, the rest copies of a pool unit of the same kind. Returns counts."""
    started = time.perf_counter()
    buildings, rows = setup.seed_register(units)
    lift = {b["id"]: (b["has_lift"], b["year_built"]) for b in buildings}
    for r in rows:
        r["has_lift"], r["year_built"] = lift[r["building_id"]]
    rng = random.Random(23)
    pool_ids = sorted(rng.sample([r["id"] for r in rows], min(pool, units)))
    stored = _score_pool(pool_ids, inspector_id)
    by_kind: dict = {}
    for r in rows:
        if r["id"] in stored:
            by_kind.setdefault(_kind(r), []).append(r["id"])
    pool_list = list(stored)
    chosen = {}
    for r in rows:
        if r["id"] not in stored:
            chosen[r["id"]] = rng.choice(by_kind.get(_kind(r)) or pool_list)
    sqlite = db.engine.dialect.name == "sqlite"
    now = datetime.datetime.now(datetime.UTC)
    at = now.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now
    ids = {u: uuid.UUID(int=rng.getrandbits(128), version=4) for u in chosen}

    def key(value: uuid.UUID):
        return value.hex if sqlite else value

    def inspections():
        for u in chosen:
            yield (key(ids[u]), u, "uu-bolig", 1, inspector_id, inspector_id, "approved", 3,
                   at, at, at, at, inspector_id)  # fmt: skip

    def assessments():
        for u, p in chosen.items():
            yield (u, key(ids[u]), "uu-bolig", 1, *stored[p]["versions"], at,
                   stored[p]["plan_input"], stored[p]["inputs"])  # fmt: skip

    def scores():
        for u, p in chosen.items():
            for score in stored[p]["scores"]:
                yield (u, *score)

    district = {b["id"]: b["district"] for b in buildings}
    register = {r["id"]: (r["status"], r["bedrooms"], district[r["building_id"]]) for r in rows}

    def match_rows():
        for u, p in chosen.items():
            yield (u, *register[u], *stored[p]["match"])

    setup.copy_or_executemany("inspections", INSPECTION_COLUMNS, inspections())
    setup.copy_or_executemany("unit_assessments", ASSESSMENT_COLUMNS, assessments())
    setup.copy_or_executemany("unit_scores", SCORE_COLUMNS, scores())
    setup.copy_or_executemany("unit_match_scores", MATCH_COLUMNS, match_rows())
    setup.analyze()
    vacant = sum(r["status"] == "vacant" for r in rows)
    return {
        "units": units,
        "pool": len(stored),
        "vacant": vacant,
        "input_bytes": statistics.median(len(s["inputs"]) for s in stored.values()),
        "seconds": time.perf_counter() - started,
    }


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
            seeded = seed_scored(args.units, args.pool, inspector_id)
            _, headers = setup.bearer("allocation_officer")
            db.session.remove()
        print(
            f"  seeded {seeded['units']:,} units ({seeded['vacant']:,} vacant), pool "
            f"{seeded['pool']} scored, inputs JSON median {seeded['input_bytes'] / 1000:.1f} kB,"
            f" in {seeded['seconds']:.0f} s"
        )
        client = app.test_client()
        households = create_households(client, headers)
        raw = setup.raw_connection(url)
        profiler = cProfile.Profile() if args.profile else None
        rows = []
        for label, applicant_id, extra in households:
            path = f"/api/v1/applicants/{applicant_id}/matches?page_size=20{extra}"
            with app.app_context(), setup.captured_sql(db.engine) as statements:
                first = client.get(path, headers=headers)
            assert first.status_code == 200, first.get_json()
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
                assert response.status_code == 200
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
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--units", type=int, default=110_000)
    parser.add_argument("--pool", type=int, default=300)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--explain", action="store_true", help="print the candidate query plan")
    args = parser.parse_args()
    print(f"{datetime.date.today()} | {setup.machine()}")
    for kind in args.db.split(","):
        print(f"{kind}:")
        bench(kind, args)


if __name__ == "__main__":
    main()
