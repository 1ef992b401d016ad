"""End-to-end helpers behind the fixtures in tests/e2e/conftest.py: the real app served by
werkzeug in a thread on a fresh SQLite file, and the Chromium settings for Playwright.
Named live_* so they never meet the unit-test `app` fixture."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

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


def serve(tmp_path_factory):
    """Seed a fresh database, serve the app in a thread, yield a Live; stop it afterwards."""
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
