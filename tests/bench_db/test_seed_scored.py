"""The matching/planning benchmarks' seeding: every unit gets a real-looking current
assessment, and the copied rows behave like scored ones in the app's own queries."""

import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import _dbsetup as setup
from matching_db import HOUSEHOLDS, create_households, seed_scored

from app.assessments.models import UnitAssessment, UnitScore, unit_match_scores
from app.extensions import db
from app.inspections.models import Inspection
from app.planning import services as planning
from app.units.models import Unit


@pytest.fixture(scope="module")
def seeded():
    with setup.database("sqlite") as url:
        app = setup.make_app(url)
        with app.app_context():
            inspector_id, _ = setup.bearer("inspector")
            counts = seed_scored(400, 40, inspector_id)
            _, officer = setup.bearer("allocation_officer")
            _, manager = setup.bearer("facility_manager")
            db.session.remove()
        yield app, counts, officer, manager
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_every_unit_has_an_assessment_scores_and_an_approved_inspection(seeded):
    app, counts, _, _ = seeded
    assert counts["units"] == 400 and counts["pool"] == 40
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UnitAssessment)) == 400
        per_unit = db.session.execute(
            select(UnitScore.unit_id, func.count()).group_by(UnitScore.unit_id)
        ).all()
        assert len(per_unit) == 400 and {n for _, n in per_unit} == {18}
        match_rows = select(func.count()).select_from(unit_match_scores)
        assert db.session.scalar(match_rows) == 400
        statuses = db.session.scalars(select(Inspection.status).distinct()).all()
        assert statuses == ["approved"]
        linked = (
            select(func.count())
            .select_from(UnitAssessment)
            .join(Inspection, Inspection.id == UnitAssessment.inspection_id)
        )
        assert db.session.scalar(linked) == 400
        candidates, _ = planning._candidates()
        assert candidates and any(c.options for c in candidates)


def test_matches_and_plans_are_answered_from_the_copied_rows(seeded):
    app, _, officer, manager = seeded
    client = app.test_client()
    households = create_households(client, officer)
    assert len(households) == len(HOUSEHOLDS)
    totals = []
    for _, applicant_id, extra in households:
        response = client.get(
            f"/api/v1/applicants/{applicant_id}/matches?status=vacant,let{extra}", headers=officer
        )
        assert response.status_code == 200, response.get_json()
        totals.append(response.get_json()["total"])
    # the household without needs matches every vacant or let unit with 2+ bedrooms
    no_needs = [i for i, (label, *_) in enumerate(HOUSEHOLDS) if label.startswith("ingen behov")]
    with app.app_context():
        expected = db.session.scalar(
            select(func.count())
            .select_from(Unit)
            .where(Unit.status.in_(["vacant", "let"]), Unit.bedrooms >= 2)
        )
    assert totals[no_needs[0]] == expected > 40  # far more than the 40 scored pool units
    response = client.post(
        "/api/v1/planning/portfolio",
        json={"budget": 2_000_000, "priorities": {"wheelchair_manual": 1}},
        headers=manager,
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["steps"]
