"""Benchmark: inspections on a real database (SQLite and PostgreSQL).

3. sync: server time of `PUT /api/v1/inspections/{id}/answers` with a full batch (every item
   of uu-bolig: 143 answers, the largest batch the checklist allows, since an item may appear
   once per batch), first as new answers, then the same batch replayed (all unchanged).
   Baseline in the same round: a bare SQLAlchemy Core write of the same rows (143 answers +
   143 answer_changes + the inspection's version) into a twin inspection, and for the replay
   a Core read of the inspection and its answers.
5. rebuild: `rebuild_all()` (what `flask scores rebuild` runs, committing per batch) over
   `--units` units, each with an approved inspection of about 140 answers and a current
   assessment storing those answers as its inputs, scored under an older profiles version
   (the realistic case: new definitions were published), so every score row is rewritten
   and every planner input marked stale. Bulk-loaded: COPY on PostgreSQL, executemany on
   SQLite. Baselines in the same run: the bare-driver I/O floor (read every assessment's
   inputs, rewrite every unit_scores row) and the scoring core alone (`score` on the same
   inputs, decoded in memory).

    .venv/bin/python bench/inspections_db.py [--db sqlite,postgresql] [--units 20000]
        [--rounds 30] [--parts sync,rebuild] [--profile]
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
from scoring import _value
from scoring import inspection as answer_set
from sqlalchemy import delete, func, select, update

from app.assessments.models import UnitAssessment, UnitScore
from app.assessments.rebuild import rebuild_all, vacuum_scores
from app.assessments.services import answers_from, facts_from, inputs_of
from app.checklists import services as checklists
from app.extensions import db
from app.inspections.models import Answer, AnswerChange, Inspection
from app.scoring import Answer as ScoringAnswer
from app.scoring import prepare, score
from app.units.models import Building, Unit

POOL = 2000  # distinct generated answer sets; the units cycle through them
ANSWER_COLUMNS = [
    "inspection_id", "item_id", "value", "not_applicable", "answered_at", "answered_by_id",
    "source", "carried_over",
]  # fmt: skip


def uu_bolig():
    return checklists.catalogue().checklists[("uu-bolig", 1)]


# -- 3. answer sync ----------------------------------------------------------------------


def full_batch(checklist, rng: random.Random, at: str) -> list[dict]:
    """An answer for every item, realistic values (mostly passing, some barriers, n/a)."""
    answers, _ = answer_set(checklist, rng, unanswered=0.0)
    batch = []
    for item in checklist.items.values():
        # register items the generator left to the unit facts get a passing value
        answer = answers.get(item.id) or ScoringAnswer(_value(item, rng, passing=True))
        entry = {"item_id": item.id, "answered_at": at, "note": None}
        if answer.not_applicable:
            entry["not_applicable"] = True
        else:
            entry["value"] = answer.value
        batch.append(entry)
    return batch


def core_write(inspection_id: uuid.UUID, batch: list[dict], user_id: int) -> None:
    """Baseline: the same answer and change rows through Core, plus the version bump."""
    now = datetime.datetime.now(datetime.UTC)
    rows, changes = [], []
    for entry in batch:
        state = {
            "value": entry.get("value"),
            "not_applicable": entry.get("not_applicable", False),
            "note": None,
            "carried_over": False,
        }
        rows.append(
            {
                "inspection_id": inspection_id,
                "item_id": entry["item_id"],
                "value": state["value"],
                "not_applicable": state["not_applicable"],
                "answered_at": now,
                "answered_by_id": user_id,
                "source": "inspector",
                "carried_over": False,
            }
        )
        changes.append(
            {
                "inspection_id": inspection_id,
                "item_id": entry["item_id"],
                "old": None,
                "new": state,
                "changed_by_id": user_id,
                "changed_at": now,
                "answered_at": now,
            }
        )
    db.session.execute(Answer.__table__.insert(), rows)
    db.session.execute(AnswerChange.__table__.insert(), changes)
    db.session.execute(
        update(Inspection)
        .where(Inspection.id == inspection_id)
        .values(version=Inspection.version + 1)
    )
    db.session.commit()


def core_read(inspection_id: uuid.UUID) -> None:
    """Baseline for the replay: read the inspection and its answers, nothing written."""
    db.session.execute(select(Inspection.__table__).where(Inspection.id == inspection_id)).all()
    db.session.execute(select(Answer.__table__).where(Answer.inspection_id == inspection_id)).all()
    db.session.commit()


def bench_sync(app, rounds: int, profile: bool) -> None:
    with app.app_context():
        setup.seed_register(rounds * 2 + 10)
        user_id, headers = setup.bearer("inspector")
        checklist = uu_bolig()
        db.session.remove()
    client = app.test_client()
    rng = random.Random(5)
    times: dict[str, list[float]] = {"new": [], "replay": [], "core write": [], "core read": []}
    profiler = cProfile.Profile() if profile else None
    for n in range(rounds):
        ids = []
        for unit_id in (2 * n + 1, 2 * n + 2):
            created = client.post("/api/v1/inspections", json={"unit_id": unit_id}, headers=headers)
            assert created.status_code == 201, created.get_json()
            ids.append(created.get_json()["id"])
        batch = full_batch(checklist, rng, datetime.datetime.now(datetime.UTC).isoformat())
        path = f"/api/v1/inspections/{ids[0]}/answers"

        def put(path=path, batch=batch):
            if profiler:
                profiler.enable()
            response = client.put(path, json={"answers": batch}, headers=headers)
            if profiler:
                profiler.disable()
            return response

        start = time.perf_counter()
        response = put()
        times["new"].append(time.perf_counter() - start)
        outcomes = [o["outcome"] for o in response.get_json()["outcomes"]]
        assert response.status_code == 200, response.get_json()
        assert outcomes.count("saved") >= len(batch) - 5 and "stale" not in outcomes, outcomes
        start = time.perf_counter()
        response = put()
        times["replay"].append(time.perf_counter() - start)
        outcomes = [o["outcome"] for o in response.get_json()["outcomes"]]
        assert set(outcomes) == {"unchanged"}, outcomes[:3]
        with app.app_context():
            twin = uuid.UUID(ids[1])  # its register-filled answers go, so all rows are new
            db.session.execute(delete(Answer).where(Answer.inspection_id == twin))
            db.session.commit()
            write = lambda t=twin, b=batch: core_write(t, b, user_id)  # noqa: E731
            times["core write"].append(setup.timed(write))
            times["core read"].append(setup.timed(lambda t=twin: core_read(t)))
            db.session.remove()
    print(f"  batch of {len(batch)} answers (every item of uu-bolig v1), {rounds} rounds")
    for name, base in (("new", "core write"), ("replay", "core read")):
        ratios = [a / b for a, b in zip(times[name], times[base], strict=True)]
        print(
            f"  PUT {name:6} {setup.fmt(setup.percentiles(times[name]))} | {base} "
            f"{setup.fmt(setup.percentiles(times[base]))} | ratio median "
            f"{statistics.median(ratios):.1f}x"
        )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


# -- 5. rebuild --------------------------------------------------------------------------


def _sqlite_time(value: datetime.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def seed_inspections(units: int, user_id: int) -> None:
    """An approved inspection per unit, its answers, and a current assessment that stores
    them as its inputs, scored under an older profiles version."""
    checklist = uu_bolig()
    rng = random.Random(11)
    pool = [answer_set(checklist, rng)[0] for _ in range(POOL)]
    now = datetime.datetime.now(datetime.UTC)
    ids = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(units)]
    common = {"checklist_key": "uu-bolig", "checklist_version": 1}
    facts = {
        unit_id: facts_from(floor, lift)
        for unit_id, floor, lift in db.session.execute(
            select(Unit.id, Unit.floor, Building.has_lift).join(Unit.building)
        )
    }
    inspections = [
        {
            "id": ids[u],
            "unit_id": u + 1,
            "inspector_id": user_id,
            "status": "approved",
            "version": 3,
            "created_at": now,
            "updated_at": now,
            "submitted_at": now,
            "approved_at": now,
            **common,
        }
        for u in range(units)
    ]
    assessments = [
        {"unit_id": u + 1, "inspection_id": ids[u], "profiles_version": 0, "measures_version": 1}
        | {"scored_at": now, "inputs": inputs_of(pool[u % POOL], facts[u + 1], {}), **common}
        for u in range(units)
    ]
    for table, rows in (
        (Inspection.__table__, inspections),
        (UnitAssessment.__table__, assessments),
    ):
        for start in range(0, len(rows), 10_000):
            db.session.execute(table.insert(), rows[start : start + 10_000])
    db.session.commit()

    sqlite = db.engine.dialect.name == "sqlite"
    at = _sqlite_time(now) if sqlite else now
    encoded = [[(k, json.dumps(a.value), a.not_applicable) for k, a in p.items()] for p in pool]

    def answer_rows():
        for u, inspection_id in enumerate(ids):
            key = inspection_id.hex if sqlite else inspection_id
            for item_id, value, na in encoded[u % POOL]:
                yield (
                    key,
                    item_id,
                    value,
                    int(na) if sqlite else na,
                    at,
                    user_id,
                    "inspector",
                    0 if sqlite else False,
                )

    setup.copy_or_executemany("answers", ANSWER_COLUMNS, answer_rows())


def io_floor(raw, sqlite: bool, score_rows: list[tuple]) -> int:
    """Bare driver: read every assessment's inputs, then rewrite all unit_scores rows."""
    cur = raw.cursor()
    cur.execute("SELECT unit_id, inputs FROM unit_assessments")
    count = 0
    while chunk := cur.fetchmany(10_000):
        count += len(chunk)
    cur.execute("BEGIN")
    cur.execute("DELETE FROM unit_scores")
    columns = [c.name for c in UnitScore.__table__.columns]
    if sqlite:
        marks = ", ".join("?" * len(columns))
        cur.executemany(f"INSERT INTO unit_scores VALUES ({marks})", score_rows)
    else:
        with cur.copy(f"COPY unit_scores ({', '.join(columns)}) FROM STDIN") as copy:
            for row in score_rows:
                copy.write_row(row)
    cur.execute("COMMIT")
    return count


def scoring_only(raw, sqlite: bool) -> tuple[int, float]:
    """The pure-Python part of a rebuild on the same inputs, decoded up front (untimed)."""
    catalogue = checklists.catalogue()
    prepared = prepare(uu_bolig(), catalogue.profiles, catalogue.measures, catalogue.limitations)
    cur = raw.cursor()
    cur.execute("SELECT unit_id, inputs FROM unit_assessments")
    stored = [(u, json.loads(i) if isinstance(i, str) else i) for u, i in cur]
    decoded = [(answers_from(i), i["facts"]) for _, i in stored]
    start = time.perf_counter()
    for answers, facts in decoded:
        score(prepared, answers, facts, explain=False)
    return len(decoded), time.perf_counter() - start


def bench_rebuild(app, url: str, units: int, profile: bool) -> None:
    with app.app_context():
        started = time.perf_counter()
        setup.seed_register(units)
        user_id, _ = setup.bearer("inspector")
        seed_inspections(units, user_id)
        answers = db.session.scalar(select(func.count()).select_from(Answer))
        setup.analyze()
        print(f"  seeded {units} units, {answers} answers in {time.perf_counter() - started:.0f} s")
        sample = db.session.get(
            Inspection, db.session.scalar(select(UnitAssessment.inspection_id).limit(1))
        )
        assert len(sample.answers) > 100, len(sample.answers)
        db.session.remove()

        def progress(done, total):
            db.session.commit()

        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        start = time.perf_counter()
        done = rebuild_all(1000, progress)
        db.session.commit()
        vacuum_scores()
        rebuild = time.perf_counter() - start
        if profiler:
            profiler.disable()
        assert done == units, done
        stale = db.session.scalar(
            select(func.count())
            .select_from(UnitAssessment)
            .where(UnitAssessment.plan_input.is_(None))
        )
        assert stale == units, stale  # new definitions: every planner input is stale
        classes = dict(
            db.session.execute(
                select(UnitScore.class_rank, func.count())
                .where(UnitScore.key == "wheelchair_manual")
                .group_by(UnitScore.class_rank)
            ).all()
        )
        columns = [c.name for c in UnitScore.__table__.columns]
        rows = [
            tuple(r) for r in db.session.execute(select(*UnitScore.__table__.c[tuple(columns)]))
        ]
        db.session.remove()
    raw = setup.raw_connection(url)
    sqlite = url.startswith("sqlite")
    try:
        start = time.perf_counter()
        read = io_floor(raw, sqlite, rows)
        floor = time.perf_counter() - start
        with app.app_context():  # the catalogue comes from the published definitions
            scored, cpu = scoring_only(raw, sqlite)
    finally:
        raw.close()
    assert read == units and scored == units, (read, scored)
    print(f"  wheelchair_manual classes after rebuild: {classes}")
    print(
        f"  rebuild_all: {rebuild:.1f} s ({rebuild / units * 1e6:.0f} µs/unit) | bare I/O floor "
        f"(read {read} inputs, rewrite {len(rows)} score rows): {floor:.1f} s, ratio "
        f"{rebuild / floor:.1f}x | scoring core alone: {cpu:.1f} s ({cpu / units * 1e6:.0f} "
        f"µs/unit), ratio {rebuild / cpu:.1f}x"
    )
    if units < 110_000:
        print(
            f"  extrapolated to 110,000 units at the measured rate: "
            f"{rebuild / units * 110_000:.0f} s (not measured)"
        )
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


# -- main --------------------------------------------------------------------------------


def run(kind: str, args) -> None:
    print(f"\n== {kind} ==")
    for part in args.parts:
        with setup.database(kind) as url:
            app = setup.make_app(url)
            if part == "sync":
                bench_sync(app, args.rounds, args.profile)
            else:
                bench_rebuild(app, url, args.units, args.profile)
            with app.app_context():
                db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--parts", default="sync,rebuild")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    args.parts = args.parts.split(",")
    print(f"{datetime.date.today()} | {setup.machine()}")
    for kind in args.db.split(","):
        run(kind, args)


if __name__ == "__main__":
    main()
