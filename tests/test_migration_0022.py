"""Migration 0022 (answers per instance of a repeated section) on data: existing answers,
history, comments and photos become instance 1; down again drops instances above 1 and
nothing else, leaves `units` (its triggers of 0021) working, and up again matches the models.
On SQLite, and on PostgreSQL with TEST_DATABASE_URL."""

import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.extensions import db
from tests.databases import scratch_database

TABLES = ("answers", "answer_changes", "inspection_item_comments", "photos")


@pytest.fixture
def scratch_app(tmp_path):
    """An app on a database of its own (not the shared test database, and not named `app`:
    the suite would then run it inside a rolled-back transaction)."""
    with scratch_database(tmp_path, prefix="uu_migration_0022") as url:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "PHOTO_STORAGE_PATH": tmp_path}
        )
        with app.app_context(), app.test_request_context():
            yield app
            db.session.remove()
            db.engine.dispose()


def _counts() -> dict[str, int]:
    with db.engine.connect() as connection:
        return {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES}


def _instances() -> set[int]:
    with db.engine.connect() as connection:
        return {
            n
            for t in TABLES
            for n in connection.execute(text(f"SELECT DISTINCT instance FROM {t}")).scalars()
        }


def _columns(table: str) -> set[str]:
    with db.engine.connect() as connection:
        return {c["name"] for c in inspect(connection).get_columns(table)}


def _tables() -> set[str]:
    with db.engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def _unit_count(building_id: int) -> int:
    with db.engine.connect() as connection:
        return connection.execute(
            text("SELECT units FROM building_unit_counts WHERE building_id = :b"),
            {"b": building_id},
        ).scalar()


def _seed(app):
    """An approved inspection (answers and their history), a reviewer's comment and a photo
    link, all written before instances existed."""
    from app.auth.models import User
    from app.checklists.services import publish
    from app.inspections.models import Inspection, ItemComment
    from tests.factories import assessed_unit

    publish(Path(app.config["CHECKLISTS_PATH"]))
    inspector = User(email="i@test.kommune.no", role="inspector", name="I", password_hash="x")
    db.session.add(inspector)
    db.session.commit()
    unit = assessed_unit(inspector, {"entrance.steps_count": 2})
    inspection = db.session.scalar(select(Inspection).where(Inspection.unit_id == unit.id))
    db.session.add(
        ItemComment(inspection_id=inspection.id, item_id="entrance.steps_count", text="Mål")
    )
    db.session.add(_photo(inspection.id, "entrance.steps_count", 1))
    db.session.commit()
    ids = (inspection.id, unit.building_id)
    db.session.remove()
    return ids


def _photo(inspection_id, item_id, instance):
    from app.inspections.photos.models import Photo

    key = uuid.uuid4().hex
    return Photo(
        id=uuid.uuid4(),
        inspection_id=inspection_id,
        item_id=item_id,
        instance=instance,
        sha256="a" * 64,
        media_type="image/jpeg",
        width=10,
        height=10,
        display_key=f"{key}-d",
        thumbnail_key=f"{key}-t",
    )


def _second_bathroom(inspection_id):
    """What a second instance leaves behind: an answer, its history, a comment, a photo link,
    the instance rows; and a unit's bathrooms."""
    from app.inspections.models import Answer, AnswerChange, ItemComment, SectionInstance
    from app.timeutil import utcnow

    item = "entrance.steps_count"
    db.session.add_all(
        [
            Answer(
                inspection_id=inspection_id, item_id=item, instance=2, value=0, answered_at=utcnow()
            ),
            AnswerChange(
                inspection_id=inspection_id,
                item_id=item,
                instance=2,
                old=None,
                new={"value": 0},
                answered_at=utcnow(),
            ),
            ItemComment(inspection_id=inspection_id, item_id=item, instance=2, text="Bad 2"),
            _photo(inspection_id, item, 2),
            SectionInstance(
                inspection_id=inspection_id, section_id="entrance", number=1, label="A", position=1
            ),
            SectionInstance(
                inspection_id=inspection_id, section_id="entrance", number=2, label="B", position=2
            ),
        ]
    )
    db.session.commit()
    db.session.remove()


def test_existing_answers_become_instance_one_and_go_down_and_up_again(scratch_app):
    from app.inspections.models import Answer
    from app.timeutil import utcnow

    upgrade()
    inspection_id, building_id = _seed(scratch_app)
    before = _counts()
    assert all(before.values()) and _instances() == {1}

    downgrade(revision="0021")  # nothing to lose yet: every row is instance 1
    assert _counts() == before
    assert "instance" not in _columns("answers") and "bathrooms" not in _columns("units")
    assert "section_instances" not in _tables()

    upgrade()  # the rows written before instances existed are instance 1
    assert _counts() == before and _instances() == {1}
    assert {"instance"} <= _columns("answers") & _columns("photos") & _columns("answer_changes")
    with pytest.raises(IntegrityError):  # still one answer per item and instance
        db.session.add(
            Answer(
                inspection_id=inspection_id, item_id="entrance.steps_count", answered_at=utcnow()
            )
        )
        db.session.commit()
    db.session.rollback()
    db.session.remove()

    _second_bathroom(inspection_id)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE units SET bathrooms = 2"))
    assert _counts() == {t: n + 1 for t, n in before.items()} and _instances() == {1, 2}
    units_before = _unit_count(building_id)

    downgrade(revision="0021")  # instances above 1 go, instance 1 stays
    assert _counts() == before
    assert "section_instances" not in _tables() and "bathrooms" not in _columns("units")
    with db.engine.begin() as connection:  # units was not rebuilt: its count triggers work
        connection.execute(
            text(
                "INSERT INTO units (building_id, unit_number, ownership, status, version, "
                "created_at, updated_at) VALUES (:b, 'H0901', 'owned', 'let', 1, :t, :t)"
            ),
            {"b": building_id, "t": utcnow()},
        )
    assert _unit_count(building_id) == units_before + 1

    upgrade()
    assert _counts() == before and _instances() == {1}
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        assert compare_metadata(context, db.metadata) == []
