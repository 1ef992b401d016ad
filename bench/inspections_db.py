"""Benchmark: inspections on a real database (SQLite and PostgreSQL).

3. sync: server time of `PUT /api/v1/inspections/{id}/answers` with a full batch (every item
   of the newest uu-bolig, the version new inspections get: the largest batch the checklist
   allows, since an item may appear once per batch), first as new answers, then the same
   batch replayed (all unchanged). Baseline in the same round: a bare SQLAlchemy Core write
   of the same rows (answers + answer_changes + the inspection's version) into a twin
   inspection, and for the replay a Core read of the inspection and its answers.
5. rebuild: `rebuild_all()` + `vacuum_scores()` (what `flask scores rebuild` runs,
   committing per batch) over `--units` units of the shared portfolio (bench/_portfolio.py:
   every unit an assessment of its own generated answers, first scored untimed, so score,
   matching and barrier rows exist). Only what the rebuild reads is seeded: the register and
   the assessments' stored inputs, no answer rows. Two cases, timed one after the other:
   - new definitions: profiles published in a new version (one weight changed), so every
     unit is rescored and stamped, its planner input marked stale, and the score rows of the
     profiles that weight rewritten (the rebuild writes only rows that differ);
   - changed facts: lifts installed in buildings holding 1 % of the units, so their inputs,
     barriers and the scores that moved are rewritten (every unit is still rescored).
   Baselines in the same run: the bare-driver I/O floor of rewriting everything (read every
   assessment's inputs, rewrite every unit_scores row) and the scoring core alone (`score` on
   the same inputs, decoded in memory).

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
import re
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import _dbsetup as setup  # first: puts the repository on sys.path
from _portfolio import Generator, passing, seed_portfolio
from sqlalchemy import delete, func, select, update

from app.assessments.models import UnitAssessment, UnitBarrier, UnitScore
from app.assessments.rebuild import rebuild_all, vacuum_scores
from app.checklists import services as checklists
from app.extensions import db
from app.inspections.models import Answer, AnswerChange, Inspection
from app.scoring import ItemAnswer, prepare, score
from app.scoring.inputs import answers_from
from app.units.models import Building, Unit


def uu_bolig(version: int | None = None):
    """uu-bolig in `version`; by default the one new inspections get, the newest."""
    catalogue = checklists.catalogue()
    if version is None:
        return catalogue.newest("uu-bolig")
    return catalogue.checklists[("uu-bolig", version)]


# -- 3. answer sync ----------------------------------------------------------------------


def full_batch(checklist, rng: random.Random, at: str) -> list[dict]:
    """An answer for every item: a generated unit's answers (bench/_portfolio.py), and a
    passing value for the items the generator leaves to the register or unanswered."""
    n = rng.randrange(1, 1_000_000)
    building = {"id": n, "year_built": rng.randint(1920, 2024), "district": "Sentrum"}
    answers = Generator(checklist).answers({"id": n, "floor": rng.randint(1, 4)}, building)
    batch = []
    for item in checklist.items.values():
        answer = answers.get(item.id) or ItemAnswer(passing(item, rng))
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
        assert response.status_code == 200, response.get_json()
        outcomes = [o["outcome"] for o in response.get_json()["outcomes"]]
        assert outcomes.count("saved") >= len(batch) - 5 and "stale" not in outcomes, outcomes
        start = time.perf_counter()
        response = put()
        times["replay"].append(time.perf_counter() - start)
        assert response.status_code == 200, response.get_json()
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
    print(
        f"  batch of {len(batch)} answers (every item of uu-bolig v{checklist.version}), "
        f"{rounds} rounds"
    )
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


def publish_new_profiles(app) -> int:
    """Publish the shipped profiles as the next version with one weight changed (a real
    definition change: scores move); returns the new version."""
    target = Path(tempfile.mkdtemp("-checklists"))
    try:
        shutil.copytree(Path(app.config["CHECKLISTS_PATH"]), target, dirs_exist_ok=True)
        path = target / "profiles.yaml"
        text = path.read_text(encoding="utf-8")
        version = checklists.catalogue().profiles.version + 1
        text = re.sub(r"^version: \d+", f"version: {version}", text, count=1, flags=re.M)
        text = re.sub(r"(hard_of_hearing: )0\.\d+", r"\g<1>1.0", text, count=1)
        path.write_text(text, encoding="utf-8")
        checklists.publish(target)
        db.session.commit()
    finally:
        shutil.rmtree(target, ignore_errors=True)
    assert checklists.catalogue().profiles.version == version
    return version


def install_lifts(share: float) -> list[int]:
    """Lifts installed in buildings (2+ storeys, none yet) holding `share` of the units, as
    a register import would record them; returns the units whose facts changed."""
    rng = random.Random(99)
    rows = db.session.execute(
        select(Building.id, func.count(Unit.id))
        .join(Unit.building)
        .where(Building.has_lift.is_(False), Building.storeys >= 2)
        .group_by(Building.id)
        .order_by(Building.id)
    ).all()
    rng.shuffle(rows)
    total = db.session.scalar(select(func.count()).select_from(Unit))
    chosen, units = [], 0
    for building_id, count in rows:
        if units >= share * total:
            break
        chosen.append(building_id)
        units += count
    db.session.execute(update(Building).where(Building.id.in_(chosen)).values(has_lift=True))
    changed = db.session.scalars(select(Unit.id).where(Unit.building_id.in_(chosen))).all()
    db.session.commit()
    return changed


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
    checklist = uu_bolig(1)  # the version the portfolio's assessments were made with
    prepared = prepare(checklist, catalogue.profiles, catalogue.measures, catalogue.limitations)
    cur = raw.cursor()
    cur.execute("SELECT unit_id, inputs FROM unit_assessments")
    stored = [(u, json.loads(i) if isinstance(i, str) else i) for u, i in cur]
    decoded = [(answers_from(i), i["facts"]) for _, i in stored]
    start = time.perf_counter()
    for answers, facts in decoded:
        score(prepared, answers, facts, explain=False)
    return len(decoded), time.perf_counter() - start


def timed_rebuild(profiler) -> tuple[float, int]:
    if profiler:
        profiler.enable()
    start = time.perf_counter()
    done = rebuild_all(1000, lambda done, total: db.session.commit())
    db.session.commit()
    vacuum_scores()
    seconds = time.perf_counter() - start
    if profiler:
        profiler.disable()
    return seconds, done


def _classes(key: str) -> dict:
    return dict(
        db.session.execute(
            select(UnitScore.class_rank, func.count())
            .where(UnitScore.key == key)
            .group_by(UnitScore.class_rank)
        ).all()
    )


def bench_rebuild(app, url: str, units: int, profile: bool) -> None:
    profiler = cProfile.Profile() if profile else None
    with app.app_context():
        inspector_id, _ = setup.bearer("inspector")
        seeded = seed_portfolio(units, inspector_id)
        print(f"  {setup.seeded_line(seeded)} | {setup.machine()}")
        before = _classes("senior")
        version = publish_new_profiles(app)
        db.session.remove()

        rebuild, done = timed_rebuild(profiler)
        assert done == units, done
        newest = select(func.count()).where(UnitAssessment.profiles_version == version)
        assert db.session.scalar(newest) == units
        stale = select(func.count()).where(UnitAssessment.plan_input.is_(None))
        assert db.session.scalar(stale) == units  # new definitions: every planner input
        after = _classes("senior")
        print(f"  senior classes before / after the new profiles: {before} / {after}")
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
    print(
        f"  new definitions: rebuild_all + vacuum {rebuild:.1f} s "
        f"({rebuild / units * 1e6:.0f} µs/unit) | bare I/O floor (read {read} inputs, rewrite "
        f"{len(rows)} score rows) {floor:.1f} s, ratio {rebuild / floor:.1f}x | scoring core "
        f"alone {cpu:.1f} s ({cpu / units * 1e6:.0f} µs/unit), ratio {rebuild / cpu:.1f}x "
        f"| {setup.machine()}"
    )
    with app.app_context():
        changed = install_lifts(0.01)
        rebuild, done = timed_rebuild(profiler)
        assert done == len(changed), (done, len(changed))  # the others were current
        facts = db.session.scalars(
            select(UnitAssessment.inputs).where(UnitAssessment.unit_id.in_(changed))
        ).all()
        assert all(i["facts"].get("has_lift") is True for i in facts), "facts not rewritten"
        barriers = db.session.scalar(select(func.count()).where(UnitBarrier.unit_id.in_(changed)))
        db.session.remove()
    print(
        f"  1 % changed facts ({len(changed):,} units rescored, {barriers:,} barrier rows now): "
        f"rebuild_all + vacuum {rebuild:.1f} s ({rebuild / units * 1e6:.0f} µs/unit) "
        f"| {setup.machine()}"
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
