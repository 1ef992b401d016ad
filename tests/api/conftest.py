"""A Python client generated from the served OpenAPI document with openapi-python-client,
once per test session into a temporary folder, and a live server to drive it against.

The server is the real app served by werkzeug in a thread, on a database of its own (a
SQLite file, or a fresh PostgreSQL database beside TEST_DATABASE_URL), with the webhook
dispatcher thread on and loopback targets allowed (for the test's receiver). Both live for
one module only: the dispatcher thread uses `db.session`, which the other tests rebind to
their rolled-back connection (tests/conftest.py), so it must be gone before they run."""

from __future__ import annotations

import importlib
import subprocess
import sys
import threading

import httpx
import pytest

from tests.api.generated_client import GENERATOR, PACKAGE, PASSWORD, LiveServer


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    from werkzeug.serving import make_server

    from app.auth.services import create_user
    from app.extensions import db
    from tests.databases import scratch_database
    from tests.reliability.fixtures import build_app

    tmp = tmp_path_factory.mktemp("contract")
    with scratch_database(tmp, prefix="uu_contract") as url:
        app = build_app(
            url,
            tmp,
            SERVER_NAME=None,
            WEBHOOK_DISPATCHER="thread",
            WEBHOOK_ALLOW_PRIVATE_TARGETS=True,
            WEBHOOK_POLL_SECONDS=1,
        )
        with app.app_context():
            for role in ("admin", "inspector", "facility_manager", "allocation_officer"):
                create_user(f"{role}@klient.kommune.no", role, PASSWORD, name=f"Klient {role}")
            db.session.commit()
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
        finally:
            server.shutdown()
            thread.join(5)
            app.extensions["webhooks"].stop()
            with app.app_context():
                db.engine.dispose()


@pytest.fixture(scope="module")
def client_package(live_server, tmp_path_factory):
    """The generated package, imported (generated once per module: about 4 s)."""
    folder = tmp_path_factory.mktemp("generated")
    document = folder / "openapi.json"
    document.write_bytes(httpx.get(f"{live_server.url}/api/openapi.json").content)
    config = folder / "config.yaml"
    # No formatting pass (the code is only imported); file downloads (reports) read as bytes,
    # as docs/integration.md tells integrators to generate.
    config.write_text(
        "post_hooks: []\n"
        "content_type_overrides:\n"
        "  application/pdf: application/octet-stream\n"
        "  application/zip: application/octet-stream\n"
        "  image/jpeg: application/octet-stream\n"
    )
    arguments = ["--path", document, "--meta", "none", "--output-path", folder / PACKAGE]
    result = subprocess.run(
        [str(GENERATOR), "generate", *map(str, arguments), "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Warning" not in output, output  # every part of the document was understood
    sys.path.insert(0, str(folder))
    try:
        package = importlib.import_module(PACKAGE)
        importlib.import_module(f"{PACKAGE}.models")  # also an attribute of the package now
        yield package
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]
