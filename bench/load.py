"""Load test: gunicorn with the README's production settings on PostgreSQL, loopback only.

50 simulated inspectors sync answer batches and upload photos, 10 allocation officers run
matches and 2 facility managers run portfolio plans, for DURATION seconds. A baseline thread
calls `GET /healthz` (no database) throughout, so every figure can be read as a ratio to the
machine's own noise floor in the same run. Afterwards every acknowledged answer and photo is
checked to be in the database exactly once.

    .venv/bin/python bench/load.py [DURATION=60]

PostgreSQL: 127.0.0.1:5432 as postgres (or BENCH_PG_URL); a `uu_load_<pid>` database is
created and dropped.
"""

from __future__ import annotations

import os
import random
import secrets
import statistics
import sys
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["APP_ENV"] = "testing"

import requests  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.auth import services as auth  # noqa: E402
from app.extensions import db  # noqa: E402
from app.inspections.models import Answer  # noqa: E402
from app.photos.models import Photo  # noqa: E402
from tests.factories import jpeg_bytes, passing_answers  # noqa: E402
from tests.reliability.fixtures import build_app  # noqa: E402
from tests.reliability.servers import Gunicorn  # noqa: E402

PG = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
INSPECTORS, OFFICERS, MANAGERS = 50, 10, 2
BATCH = 10  # answers per sync
PHOTO_EVERY = 4  # an inspector uploads a photo after every 4th batch
PLAN = {"budget": 2_000_000, "priorities": "demand"}
# Seconds each simulated user waits between requests (0: closed loop, the saturation test).
# With a pace, the users are still 50 + 10 + 2 but send at a human rhythm.
PACE = 0.0


class Recorder:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.lock = threading.Lock()

    def call(self, operation: str, send, ok=(200, 201)):
        started = time.perf_counter()
        try:
            response = send()
        except requests.RequestException as error:
            with self.lock:
                self.errors[operation].append(repr(error))
            return None
        elapsed = time.perf_counter() - started
        with self.lock:
            self.times[operation].append(elapsed)
            if response.status_code not in ok:
                self.errors[operation].append(f"{response.status_code} {response.text[:200]}")
        return response if response.status_code in ok else None


def seed(app, units: int) -> dict:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "seed", "--units", str(units)])
    assert result.exit_code == 0, result.output
    tokens: dict[str, list[str]] = defaultdict(list)
    with app.app_context():
        for role, count in (
            ("inspector", INSPECTORS),
            ("allocation_officer", OFFICERS),
            ("facility_manager", MANAGERS),
        ):
            for n in range(count):
                user = auth.create_user(f"last-{role}-{n}@kommune.no", role, secrets.token_hex(12))
                tokens[role].append(auth.issue_token(user, "load")[1])
        units_free = db.session.scalars(
            text("SELECT id FROM units WHERE id NOT IN (SELECT unit_id FROM inspections)")
        ).all()
        applicants = db.session.scalars(text("SELECT id FROM applicants")).all()
        answers = passing_answers()
        db.session.commit()
    return {"tokens": tokens, "units": units_free, "applicants": applicants, "answers": answers}


def inspector(base, token, unit_id, answers, rec, acked, stop):
    headers = {"Authorization": f"Bearer {token}"}
    session = requests.Session()
    created = session.post(f"{base}/api/v1/inspections", json={"unit_id": unit_id}, headers=headers)
    inspection_id = created.json()["id"]
    rng, n = random.Random(unit_id), 0
    while not stop.is_set():
        batch = rng.sample(answers, BATCH)
        response = rec.call(
            "answer batch (10 answers)",
            lambda b=batch: session.put(
                f"{base}/api/v1/inspections/{inspection_id}/answers",
                json={"answers": b},
                headers=headers,
                timeout=30,
            ),
        )
        if response is not None:
            with rec.lock:
                acked["answers"].update((inspection_id, a["item_id"]) for a in batch)
        n += 1
        stop.wait(rng.uniform(0.5, 1.5) * PACE)
        if n % PHOTO_EVERY == 0:
            photo_id = uuid.uuid4()
            colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            data = jpeg_bytes(colour, (1600, 1200))
            response = rec.call(
                "photo upload (1600x1200 JPEG)",
                lambda p=photo_id, d=data: session.post(
                    f"{base}/api/v1/inspections/{inspection_id}/photos",
                    data={"id": str(p)},
                    files={"file": ("bilde.jpg", d, "image/jpeg")},
                    headers=headers,
                    timeout=60,
                ),
            )
            if response is not None:
                with rec.lock:
                    acked["photos"].add(uuid.UUID(response.json()["id"]))


def looper(operation, send, rec, stop):
    rng = random.Random(operation)
    while not stop.is_set():
        rec.call(operation, send)
        stop.wait(rng.uniform(0.5, 1.5) * PACE)


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else 0


def main(duration: float) -> None:
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    name = f"uu_load_{os.getpid()}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG).set(database=name).render_as_string(hide_password=False)
    instance = Path(f"/tmp/{name}")
    server = None
    try:
        app = build_app(url, instance)
        data = seed(app, units=INSPECTORS + 150)
        env = {
            "APP_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": url,
            "PHOTO_STORAGE_PATH": str(instance / "photos"),
        }
        server = Gunicorn(env, workers=4, threads=4)
        server.args[-1:-1] = ["--max-requests=2000", "--max-requests-jitter=200"]
        server.start()
        base, rec, stop = server.url, Recorder(), threading.Event()
        acked: dict[str, set] = {"answers": set(), "photos": set()}
        threads = []
        for token, unit_id in zip(data["tokens"]["inspector"], data["units"], strict=False):
            args = (base, token, unit_id, data["answers"], rec, acked, stop)
            threads.append(threading.Thread(target=inspector, args=args))
        for token in data["tokens"]["allocation_officer"]:
            session, h = requests.Session(), {"Authorization": f"Bearer {token}"}
            pick = random.Random(token).choice
            send = lambda s=session, h=h, p=pick: s.get(  # noqa: E731
                f"{base}/api/v1/applicants/{p(data['applicants'])}/matches", headers=h, timeout=30
            )
            threads.append(threading.Thread(target=looper, args=("matches", send, rec, stop)))
        for token in data["tokens"]["facility_manager"]:
            session, h = requests.Session(), {"Authorization": f"Bearer {token}"}
            send = lambda s=session, h=h: s.post(  # noqa: E731
                f"{base}/api/v1/planning/portfolio", json=PLAN, headers=h, timeout=60
            )
            threads.append(
                threading.Thread(target=looper, args=("portfolio plan", send, rec, stop))
            )
        health = requests.Session()
        send = lambda: health.get(f"{base}/healthz", timeout=30)  # noqa: E731
        threads.append(
            threading.Thread(target=looper, args=("baseline: /healthz", send, rec, stop))
        )
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(duration)
        stop.set()
        for thread in threads:
            thread.join(120)
        wall = time.perf_counter() - started
        report(rec, wall)
        verify(app, acked)
    finally:
        if server:
            server.stop()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def report(rec: Recorder, wall: float) -> None:
    base = statistics.median(rec.times["baseline: /healthz"])
    print(f"\nwall {wall:.1f} s\n")
    print("| operation | requests | req/s | p50 ms | p95 ms | p99 ms | p50 / baseline | errors |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for operation, times in sorted(rec.times.items()):
        p50, p95, p99 = (percentile(times, q) * 1000 for q in (50, 95, 99))
        print(
            f"| {operation} | {len(times)} | {len(times) / wall:.1f} | {p50:.0f} | {p95:.0f} "
            f"| {p99:.0f} | {p50 / 1000 / base:.1f}x | {len(rec.errors[operation])} |"
        )
    for operation, errors in rec.errors.items():
        for error in errors[:3]:
            print(f"  {operation}: {error}")


def verify(app, acked: dict) -> None:
    """Every acknowledged answer and photo is stored exactly once."""
    with app.app_context():
        answers = db.session.execute(
            select(Answer.inspection_id, Answer.item_id, func.count()).group_by(
                Answer.inspection_id, Answer.item_id
            )
        ).all()
        stored = {(str(i), item): n for i, item, n in answers}
        photos = set(db.session.scalars(select(Photo.id)))
        db.session.remove()
        db.engine.dispose()
    missing = [a for a in acked["answers"] if stored.get(a) != 1]
    assert not missing, f"acknowledged answers not stored exactly once: {missing[:5]}"
    assert acked["photos"] <= photos, "acknowledged photos missing"
    print(
        f"\nverified: {len(acked['answers'])} acknowledged answers and "
        f"{len(acked['photos'])} photos, each stored exactly once"
    )


if __name__ == "__main__":
    # usage: bench/load.py [SECONDS] [PACE]
    PACE = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 60)
