"""End-to-end fixtures, imported by each test module so they also run with --noconftest:
the real app served by werkzeug in a thread on a fresh SQLite file, and Debian's Chromium
driven by Playwright. Named live_* so they never meet the unit-test `app` fixture.

Each importing module gets its own copy of a session fixture, so the server and the browser
are shared singletons (one Playwright per process) torn down by the copy that made them."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.browser_helpers import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROLES = ("inspector", "allocation_officer", "facility_manager", "admin")
PHONE = {"width": 390, "height": 844}


@dataclass
class Live:
    app: object
    url: str
    emails: dict
    units: dict = field(default_factory=dict)

    def query(self, func):
        """Run func() against the database in a fresh app context (the server's own state)."""
        from app.extensions import db

        with self.app.app_context():
            try:
                return func(db)
            finally:
                db.session.remove()


def _seed(app) -> dict:
    from app.auth.models import User
    from app.auth.services import create_user
    from app.extensions import db
    from tests.factories import STEP_FREE_BARRIERS, assessed_unit, make_unit

    emails = {role: f"{role}@e2e.kommune.no" for role in ROLES}
    for role, email in emails.items():
        create_user(email, role, PASSWORD, name=f"Test {role}")
    db.session.commit()
    inspector = db.session.query(User).filter_by(role="inspector").one()
    units = {
        "walk": make_unit(address="Befaringsveien 1", district="Sentrum"),
        "conflict": make_unit(address="Konfliktgata 2", district="Tistedal"),
        "conflict2": make_unit(address="Konfliktgata 4", district="Tistedal"),
        "keyboard": make_unit(address="Tastaturveien 3", district="Idd"),
        "good": assessed_unit(inspector, address="Storgata 10", district="Sentrum"),
        "good2": assessed_unit(inspector, address="Storgata 12", district="Berg"),
        "steps": assessed_unit(
            inspector, changes=STEP_FREE_BARRIERS, address="Trappeveien 5", district="Idd"
        ),
        "ramp": assessed_unit(
            inspector, changes=STEP_FREE_BARRIERS, address="Rampeveien 7", district="Berg"
        ),
        "review": make_unit(address="Godkjenningsveien 1", district="Sentrum"),
        "returned": make_unit(address="Returveien 2", district="Sentrum"),
        "missing": make_unit(address="Manglerudveien 3", district="Idd"),
        "update": make_unit(address="Oppdateringsveien 4", district="Idd"),
        "full": make_unit(address="Helrundveien 1", district="Sentrum"),
        "full320": make_unit(address="Smalveien 2", district="Sentrum"),
        "full_v2": make_unit(address="Nyversjonsveien 1", district="Sentrum"),
        "compact": make_unit(address="Kompaktveien 3", district="Berg"),
        "shared": make_unit(address="Fellesbildeveien 4", district="Berg"),
        "dupe": make_unit(address="Duplikatveien 5", district="Idd"),
        # Last inspected on the newest checklist: a re-inspection confirms every answer.
        "reinspect": assessed_unit(
            inspector, checklist_version=2, address="Gjensynsveien 6", district="Tistedal"
        ),
    }
    return {key: unit.id for key, unit in units.items()}


_SHARED: dict = {}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    if "live" in _SHARED:
        yield _SHARED["live"]
        return
    yield from _start_app(tmp_path_factory)


def _start_app(tmp_path_factory):
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from app import create_app
    from app.checklists import services as checklists
    from app.extensions import db

    tmp = tmp_path_factory.mktemp("e2e")
    os.environ["APP_ENV"] = "testing"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'e2e.db'}",
            "PHOTO_STORAGE_PATH": str(tmp / "photos"),
        }
    )
    with app.app_context():
        upgrade()
        checklists.publish(Path(app.config["CHECKLISTS_PATH"]))
        db.session.commit()
        units = _seed(app)
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    live = Live(
        app,
        f"http://127.0.0.1:{server.server_port}",
        {r: f"{r}@e2e.kommune.no" for r in ROLES},
        units,
    )
    yield live
    server.shutdown()
    thread.join(5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_browser():
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian's Chromium (/usr/bin/chromium) is not installed; apt-get install chromium"
        )
    if "browser" in _SHARED:
        yield _SHARED["browser"]
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        _SHARED["browser"] = browser
        yield browser
        browser.close()


@pytest.fixture
def phone(live_browser, live_app):
    """A fresh phone-sized browser context (own storage, service worker, IndexedDB)."""
    context = live_browser.new_context(
        viewport=PHONE, locale="nb-NO", timezone_id="Europe/Oslo", accept_downloads=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: (
            errors.append(m.text) if m.type == "error" and "Failed to load" not in m.text else None
        ),
    )
    yield page
    context.close()
    csp = [e for e in errors if "Content Security Policy" in e]
    assert not csp, f"CSP violations: {csp}"
