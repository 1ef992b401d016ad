"""Faults with real processes, sockets and file systems: a server killed with SIGKILL during
uploads, the database going away and coming back, and a full disk while storing a photo."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from PIL import Image
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session as SASession

from app import create_app
from app.auth import services as auth
from app.auth.models import ApiToken
from app.extensions import db
from app.inspections.models import Answer
from app.inspections.photos.models import Photo
from app.inspections.photos.services import sweep_orphans
from tests.databases import PG_BASE, on_postgresql, scratch_database
from tests.factories import jpeg_bytes, make_unit, passing_answers
from tests.reliability.fixtures import build_app
from tests.reliability.servers import Gunicorn, TcpProxy, free_port

PROBLEM = "application/problem+json"


def signed_in(app, role="inspector") -> dict:
    with app.app_context():
        user = auth.create_user(f"{uuid.uuid4().hex[:8]}@fault.kommune.no", role, "x" * 20)
        _, secret = auth.issue_token(user, "fault")
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def assert_unavailable(response) -> None:
    assert response.status_code == 503, response.text if hasattr(response, "text") else response
    assert response.headers["Content-Type"].startswith(PROBLEM)
    assert int(response.headers["Retry-After"]) > 0


# -- the server killed mid-upload --------------------------------------------------------


def test_kill_during_uploads_then_retries_complete(tmp_path):
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    app = build_app(url, tmp_path)
    headers = signed_in(app)
    with app.app_context():
        unit_ids = [make_unit().id for _ in range(4)]
        answers = passing_answers()
    env = {
        "APP_ENV": "testing",
        "DATABASE_URL": url,
        "PHOTO_STORAGE_PATH": str(tmp_path / "photos"),
    }
    server = Gunicorn(env).start()
    inspections = [
        requests.post(
            f"{server.url}/api/v1/inspections",
            json={"unit_id": u, "checklist_version": 1},
            headers=headers,
        ).json()["id"]
        for u in unit_ids
    ]
    photos = [
        (i, uuid.uuid4(), (n * 7 % 256, n * 13 % 256, 90)) for n, i in enumerate(inspections * 5)
    ]

    def upload(base, inspection_id, photo_id, colour):
        files = {"file": ("bilde.jpg", jpeg_bytes(colour, (1600, 1200)), "image/jpeg")}
        return requests.post(
            f"{base}/api/v1/inspections/{inspection_id}/photos",
            data={"id": str(photo_id)}, files=files, headers=headers, timeout=30,
        )  # fmt: skip

    def sync(base, inspection_id):
        return requests.put(
            f"{base}/api/v1/inspections/{inspection_id}/answers",
            json={"answers": answers}, headers=headers, timeout=30,
        )  # fmt: skip

    with ThreadPoolExecutor(8) as pool:
        pending = [pool.submit(upload, server.url, *p) for p in photos]
        pending += [pool.submit(sync, server.url, i) for i in inspections]
        import time

        time.sleep(0.4)
        server.kill()  # mid-flight: some requests done, some half-way, some never started
        for future in pending:
            with contextlib.suppress(requests.RequestException):
                future.result()

    server = Gunicorn(env).start()  # restart; the client retries everything with the same ids
    try:
        for inspection_id, photo_id, colour in photos:
            response = upload(server.url, inspection_id, photo_id, colour)
            assert response.status_code in (200, 201), response.text
        for inspection_id in inspections:
            assert sync(server.url, inspection_id).status_code == 200
    finally:
        server.stop()

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Photo)) == len(photos)
        expected = len(inspections) * len(answers)
        assert db.session.scalar(select(func.count()).select_from(Answer)) >= expected
        rows = db.session.scalars(select(Photo)).all()
        keys = {k for p in rows for k in p.storage_keys()}
        sweep_orphans(older_than_seconds=0)  # what `flask photos sweep` does after a crash
        stored = [p for p in (tmp_path / "photos").rglob("*") if p.is_file()]
        assert {p.name for p in stored} == keys  # no orphan file, no temporary, none missing
        for path in stored:
            Image.open(path).verify()  # no half-written file
        db.session.remove()
        db.engine.dispose()


# -- the database unavailable ------------------------------------------------------------


def test_a_closed_database_port_answers_503_with_retry_after(tmp_path, monkeypatch):
    monkeypatch.setenv("APP_ENV", "testing")
    closed = f"postgresql+psycopg://uu@127.0.0.1:{free_port()}/uu?connect_timeout=2"
    app = create_app({"SQLALCHEMY_DATABASE_URI": closed, "PHOTO_STORAGE_PATH": str(tmp_path)})
    client = app.test_client()
    for url in ("/readyz", "/api/v1/units", "/api/v1/auth/me"):
        response = client.get(url, headers={"Authorization": "Bearer uub_x"})
        assert_unavailable(response)
        assert response.get_json()["status"] == 503
    assert client.get("/healthz").status_code == 200  # the process itself is fine


@pytest.mark.skipif(not on_postgresql(), reason="recovery needs a PostgreSQL server to return to")
def test_database_away_and_back_recovers_without_restart(tmp_path):
    with scratch_database(tmp_path, "uu_outage") as direct:
        with build_app(direct, tmp_path).app_context():
            db.engine.dispose()
        target = make_url(PG_BASE)
        proxy = TcpProxy((target.host or "127.0.0.1", target.port or 5432)).start()
        via_proxy = make_url(direct).set(host="127.0.0.1", port=proxy.port)
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": via_proxy.render_as_string(hide_password=False),
                "PHOTO_STORAGE_PATH": str(tmp_path / "photos"),
            }
        )
        headers = signed_in(app)
        client = app.test_client()
        assert client.get("/api/v1/units", headers=headers).status_code == 200
        proxy.stop()  # the database goes away, pooled connections die with it
        for _ in range(3):
            assert_unavailable(client.get("/api/v1/units", headers=headers))
        proxy.start()  # back on the same address
        assert client.get("/api/v1/units", headers=headers).status_code == 200
        assert client.get("/readyz").status_code == 200
        proxy.stop()
        with app.app_context():
            db.engine.dispose()


@pytest.mark.skipif(not on_postgresql(), reason="a database server to drop the connection")
def test_a_commit_on_a_dropped_connection_answers_503_and_writes_nothing(tmp_path):
    """The server ends the request's connection just before the commit (a real
    pg_terminate_backend, as when the database restarts): 503 problem, not a 500."""
    with scratch_database(tmp_path, "uu_dropped") as url:
        app = build_app(url, tmp_path)
        headers = signed_in(app)
        killer = create_engine(url, isolation_level="AUTOCOMMIT")
        armed = []

        def terminate(session):
            if armed:
                armed.clear()
                pid = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
                with killer.connect() as other:
                    other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

        event.listen(SASession, "before_commit", terminate)
        try:
            client = app.test_client()
            armed.append(True)
            response = client.post("/api/v1/auth/tokens", json={"name": "tapt"}, headers=headers)
            assert_unavailable(response)
            assert response.get_json()["status"] == 503
            with app.app_context():
                assert db.session.scalar(select(func.count()).where(ApiToken.name == "tapt")) == 0
            assert client.get("/api/v1/auth/me", headers=headers).status_code == 200  # recovers
        finally:
            event.remove(SASession, "before_commit", terminate)
            killer.dispose()
            with app.app_context():
                db.engine.dispose()


# -- the disk full -----------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path):
    """A 64 KiB tmpfs: a real ENOSPC, not a simulated one (needs root, as in CI)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_disk_full_while_storing_a_photo(tmp_path, tiny_disk):
    with scratch_database(tmp_path, "uu_full") as url:
        app = build_app(url, tmp_path, PHOTO_STORAGE_PATH=str(tiny_disk))
        headers = signed_in(app)
        with app.app_context():
            unit_id = make_unit().id
        client = app.test_client()
        inspection = client.post(
            "/api/v1/inspections",
            json={"unit_id": unit_id, "checklist_version": 1},
            headers=headers,
        )
        url = f"/api/v1/inspections/{inspection.get_json()['id']}/photos"
        noise = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))
        buffer = io.BytesIO()
        noise.save(buffer, "JPEG", quality=90)  # < 500 KB: the test client keeps it in memory
        form = {"id": str(uuid.uuid4()), "file": (io.BytesIO(buffer.getvalue()), "stor.jpg")}
        response = client.post(url, data=form, headers=headers, buffered=True)
        assert response.status_code == 503 and response.mimetype == PROBLEM
        assert "full" in response.get_json()["detail"]
        assert [p for p in Path(tiny_disk).rglob("*") if p.is_file()] == []  # nothing half-written
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Photo)) == 0
            db.session.remove()
            db.engine.dispose()
