"""Migrations build the whole schema, match the models, and go down to base and up again."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from tests.databases import scratch_database


@pytest.fixture
def scratch_url(tmp_path):
    """A database of its own, so the shared test database is not disturbed."""
    with scratch_database(tmp_path, prefix="uu_migrations") as url:
        yield url


def test_upgrade_matches_models_and_downgrade_to_base(scratch_url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": scratch_url, "TESTING": True})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            assert compare_metadata(context, db.metadata) == []
        downgrade(revision="base")
        assert set(_tables()) <= {"alembic_version"}
        upgrade()
        assert "users" in _tables()
        db.engine.dispose()


def _tables() -> list[str]:
    with db.engine.connect() as connection:
        return inspect(connection).get_table_names()


def test_upgrade_to_0011_fills_assessment_inputs_from_the_approved_answers(scratch_url, tmp_path):
    from pathlib import Path

    from app.assessments.models import UnitAssessment
    from app.auth.models import User
    from app.checklists.services import publish
    from tests.factories import STEP_FREE_BARRIERS, assessed_unit

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": scratch_url, "TESTING": True, "PHOTO_STORAGE_PATH": tmp_path}
    )
    with app.app_context(), app.test_request_context():
        upgrade()
        publish(Path(app.config["CHECKLISTS_PATH"]))
        inspector = User(email="i@test.kommune.no", role="inspector", name="I", password_hash="x")
        db.session.add(inspector)
        db.session.commit()
        changes = {**STEP_FREE_BARRIERS, "hearing.doorbell_visual_signal": False}
        unit_id = assessed_unit(inspector, changes).id
        expected = db.session.get(UnitAssessment, unit_id).inputs
        assert expected["answers"]["entrance.steps_count"] == 4
        db.session.remove()
        downgrade(revision="0010")  # drops the inputs
        upgrade()  # recomputes them from the answers, facts and overrides
        # Revision 0011 knew two register facts; the others come with the next rebuild.
        expected["facts"] = {k: expected["facts"][k] for k in ("floor", "has_lift")}
        assert db.session.get(UnitAssessment, unit_id).inputs == expected
        db.session.remove()
        db.engine.dispose()
