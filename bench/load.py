"""Load test: gunicorn with the README's production settings on PostgreSQL, loopback only.

50 simulated inspectors sync answer batches and upload photos, 10 allocation officers run
matches and 2 facility managers run portfolio plans, for `--seconds`. Each batch changes
answers: items move between a passing value and a barrier, with increasing `answered_at`;
photos vary in size and content. A baseline thread calls `GET /healthz` (no database)
throughout, so every figure can be read as a ratio to the machine's own noise floor in the
same run. Every request's status is counted; afterwards the value of every acknowledged
answer (the last one the server saved or confirmed per item) is compared with the database,
and every acknowledged photo is looked up.

Data: `flask demo seed` (200 units), or with `--portfolio N` the shared benchmark portfolio
(bench/_portfolio.py: N units each scored from its own answers, with planner inputs) plus
the demo's waiting households, so matches and plans run against a full-size stock.

    nice -n 10 .venv/bin/python bench/load.py [--seconds 60] [--pace 0] [--portfolio 110000]

PostgreSQL: 127.0.0.1:5432 as postgres (or BENCH_PG_URL); a `uu_load_<pid>` database and a
temporary folder are created and removed.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ["APP_ENV"] = "testing"

import requests  # noqa: E402
from _portfolio import barrier, passing, seed_portfolio  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.auth import services as auth  # noqa: E402
from app.checklists import services as checklists  # noqa: E402
from app.extensions import db  # noqa: E402
from app.inspections.models import Answer  # noqa: E402
from app.inspections.photos.models import Photo  # noqa: E402
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
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.lock = threading.Lock()

    def call(self, operation: str, send, ok=(200, 201)):
        """Send, time and count the status (or the exception); the response if it is `ok`."""
        started = time.perf_counter()
        try:
            response = send()
        except requests.RequestException as error:
            with self.lock:
                self.statuses[operation][type(error).__name__] += 1
                self.errors[operation].append(repr(error))
            return None
        elapsed = time.perf_counter() - started
        with self.lock:
            self.times[operation].append(elapsed)
            self.statuses[operation][response.status_code] += 1
            if response.status_code not in ok:
                self.errors[operation].append(f"{response.status_code} {response.text[:200]}")
        return response if response.status_code in ok else None


def newest_version() -> int:
    """The checklist version new inspections get unless they ask (the newest published)."""
    return checklists.catalogue().newest("uu-bolig").version


def answer_pairs(version: int) -> list[tuple[str, object, object]]:
    """(item id, passing value, barrier value) for every item of `version` that can fail."""
    checklist = checklists.catalogue().checklists[("uu-bolig", version)]
    rng, pairs = random.Random(5), []
    for item in checklist.items.values():
        if item.register or item.type == "text" or not item.severity:
            continue
        bad, good = barrier(item, rng), passing(item, rng)
        if bad != good:
            pairs.append((item.id, good, bad))
    return pairs


def photos(count: int = 8) -> list[bytes]:
    """JPEGs of several sizes and orientations with varied content (not one flat colour)."""
    rng, out = random.Random(9), []
    sizes = [(1600, 1200), (4000, 3000), (1200, 1600), (2048, 1536), (800, 600)]
    for n in range(count):
        size = sizes[n % len(sizes)]
        image = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
        draw = ImageDraw.Draw(image)
        for _ in range(60):
            x, y = rng.randrange(size[0]), rng.randrange(size[1])
            box = (x, y, x + rng.randrange(40, 600), y + rng.randrange(40, 600))
            draw.rectangle(box, fill=tuple(rng.randrange(256) for _ in range(3)))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=rng.choice([80, 88, 95]))
        out.append(buffer.getvalue())
    return out


def seed(app, units: int, portfolio: int) -> dict:
    """The demo (users, register, inspections, waiting households), or with `portfolio` the
    benchmark portfolio first and the demo's users and households beside it."""
    tokens: dict[str, list[str]] = defaultdict(list)
    if portfolio:
        with app.app_context():
            user = auth.create_user("last-portefolje@kommune.no", "inspector", "x" * 16)
            db.session.commit()
            seeded = seed_portfolio(portfolio, user.id, plan_inputs=True)
            print(f"portfolio: {seeded['units']:,} units, seconds {seeded['seconds']}")
            db.session.remove()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "seed", "--units", str(units)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        for role, count in (
            ("inspector", INSPECTORS),
            ("allocation_officer", OFFICERS),
            ("facility_manager", MANAGERS),
        ):
            for n in range(count):
                user = auth.create_user(f"last-{role}-{n}@kommune.no", role, secrets.token_hex(12))
                tokens[role].append(auth.issue_token(user, "load")[1])
        units_free = db.session.scalars(  # re-inspections where the stock is assessed
            text(
                "SELECT id FROM units WHERE id NOT IN "
                "(SELECT unit_id FROM inspections WHERE status <> 'approved') ORDER BY id"
            )
        ).all()
        applicants = db.session.scalars(text("SELECT id FROM applicants")).all()
        version = newest_version()
        pairs = answer_pairs(version)
        db.session.commit()
    return {
        "tokens": tokens,
        "units": units_free,
        "applicants": applicants,
        "pairs": pairs,
        "version": version,
    }


def inspector(base, token, unit_id, version, pairs, images, rec, acked, stop):
    headers = {"Authorization": f"Bearer {token}"}
    session = requests.Session()
    body = {"unit_id": unit_id, "checklist_version": version}  # the items `pairs` name
    created = rec.call(
        "create inspection",
        lambda: session.post(f"{base}/api/v1/inspections", json=body, headers=headers, timeout=30),
        ok=(201,),
    )
    if created is None:
        return
    inspection_id = created.json()["id"]
    rng, n = random.Random(unit_id), 0
    clock = datetime.datetime.now(datetime.UTC)
    while not stop.is_set():
        batch = []
        for item_id, good, bad in rng.sample(pairs, BATCH):
            clock += datetime.timedelta(milliseconds=1)  # the device's clock moves on
            value = bad if rng.random() < 0.5 else good
            batch.append({"item_id": item_id, "value": value, "answered_at": clock.isoformat()})
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
            outcomes = {o["item_id"]: o["outcome"] for o in response.json()["outcomes"]}
            with rec.lock:
                for answer in batch:
                    outcome = outcomes.get(answer["item_id"])
                    rec.statuses["answer outcomes"][outcome] += 1
                    if outcome in ("saved", "unchanged"):
                        acked["answers"][(inspection_id, answer["item_id"])] = answer["value"]
        n += 1
        stop.wait(rng.uniform(0.5, 1.5) * PACE)
        if n % PHOTO_EVERY == 0:
            photo_id = uuid.uuid4()
            data = images[rng.randrange(len(images))]
            response = rec.call(
                "photo upload (JPEG, 0.5-12 MP)",
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


def looper(operation, send, rec, stop, field=None):
    """Repeat `send`; a 200 whose JSON body lacks `field` counts as an error too."""
    rng = random.Random(operation)
    while not stop.is_set():
        response = rec.call(operation, send)
        if response is not None and field and field not in response.json():
            with rec.lock:
                rec.errors[operation].append(f"no {field} in the body")
        stop.wait(rng.uniform(0.5, 1.5) * PACE)


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else 0


def main(duration: float, portfolio: int) -> None:
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    name = f"uu_load_{os.getpid()}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG).set(database=name).render_as_string(hide_password=False)
    instance = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    server = None
    try:
        app = build_app(url, instance)
        data = seed(app, INSPECTORS + 150, portfolio)
        env = {
            "APP_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": url,
            "PHOTO_STORAGE_PATH": str(instance / "photos"),
        }
        server = Gunicorn(env, workers=4, threads=4)
        server.args[-1:-1] = ["--max-requests=2000", "--max-requests-jitter=200", "--keep-alive=5"]
        server.start()
        base, rec, stop = server.url, Recorder(), threading.Event()
        acked: dict = {"answers": {}, "photos": set()}
        images = photos()
        threads = []
        for token, unit_id in zip(data["tokens"]["inspector"], data["units"], strict=False):
            args = (base, token, unit_id, data["version"], data["pairs"], images, rec, acked, stop)
            threads.append(threading.Thread(target=inspector, args=args))
        for token in data["tokens"]["allocation_officer"]:
            session, h = requests.Session(), {"Authorization": f"Bearer {token}"}
            pick = random.Random(token).choice
            send = lambda s=session, h=h, p=pick: s.get(  # noqa: E731
                f"{base}/api/v1/applicants/{p(data['applicants'])}/matches", headers=h, timeout=30
            )
            threads.append(
                threading.Thread(target=looper, args=("matches", send, rec, stop, "total"))
            )
        for token in data["tokens"]["facility_manager"]:
            session, h = requests.Session(), {"Authorization": f"Bearer {token}"}
            send = lambda s=session, h=h: s.post(  # noqa: E731
                f"{base}/api/v1/planning/portfolio", json=PLAN, headers=h, timeout=60
            )
            threads.append(
                threading.Thread(target=looper, args=("portfolio plan", send, rec, stop, "steps"))
            )
        health = requests.Session()
        send = lambda: health.get(f"{base}/healthz", timeout=30)  # noqa: E731
        threads.append(
            threading.Thread(target=looper, args=("baseline: /healthz", send, rec, stop, "status"))
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
        verify(app, acked, rec)
        failed = sum(len(errors) for errors in rec.errors.values())
        if failed:
            raise SystemExit(f"{failed} requests failed (see above)")
    finally:
        if server:
            server.stop()
        shutil.rmtree(instance, ignore_errors=True)
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


def verify(app, acked: dict, rec: Recorder) -> None:
    """Every acknowledged answer has the acknowledged value in the database (the last one
    per item: later `answered_at` wins), and every acknowledged photo is stored."""
    with app.app_context():
        stored = {
            (str(i), item): value
            for i, item, value in db.session.execute(
                select(Answer.inspection_id, Answer.item_id, Answer.value)
            )
        }
        photos_stored = set(db.session.scalars(select(Photo.id)))
        db.session.remove()
        db.engine.dispose()
    wrong = [(k, v, stored.get(k)) for k, v in acked["answers"].items() if stored.get(k) != v]
    assert not wrong, f"{len(wrong)} acknowledged answers differ in the database: {wrong[:5]}"
    assert acked["photos"] <= photos_stored, "acknowledged photos missing"
    barriers = sum(1 for (_, item), v in acked["answers"].items() if v is False)
    print(
        f"\nverified: {len(acked['answers'])} acknowledged answers ({barriers} of them a 'no' "
        f"barrier) hold their last acknowledged value, {len(acked['photos'])} photos stored"
    )
    print("statuses: " + "; ".join(f"{op}: {dict(c)}" for op, c in sorted(rec.statuses.items())))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--pace", type=float, default=0.0, help="think time between requests")
    parser.add_argument("--portfolio", type=int, default=0, help="units of the full stock")
    options = parser.parse_args()
    PACE = options.pace
    main(options.seconds, options.portfolio)
