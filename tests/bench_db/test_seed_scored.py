"""The benchmarks' shared portfolio: every unit scored from its own generated answers (no
copies), correlated with building age and floor, and answered by the app's own queries."""

import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import _dbsetup as setup
from _portfolio import age_risk, seed_portfolio
from matching_db import HOUSEHOLDS, create_households

from app.assessments.models import UnitAssessment, UnitBarrier, UnitScore, unit_match_scores
from app.extensions import db
from app.inspections.models import Inspection
from app.planning import services as planning
from app.units.models import Building, Unit


@pytest.fixture(scope="module")
def seeded():
    with setup.database("sqlite") as url:
        app = setup.make_app(url)
        with app.app_context():
            inspector_id, _ = setup.bearer("inspector")
            counts = seed_portfolio(400, inspector_id, plan_inputs=True)
            _, officer = setup.bearer("allocation_officer")
            _, manager = setup.bearer("facility_manager")
            db.session.remove()
        yield app, counts, officer, manager, url
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_every_unit_is_scored_from_its_own_answers(seeded):
    app, counts, *_ = seeded
    assert counts["units"] == 400
    with app.app_context():
        inputs = db.session.scalars(select(UnitAssessment.inputs)).all()
        assert len(inputs) == 400
        distinct = {repr(sorted(i["answers"].items())) for i in inputs}
        assert len(distinct) > 390  # units of one building share only the building's answers
        per_unit = db.session.execute(
            select(UnitScore.unit_id, func.count()).group_by(UnitScore.unit_id)
        ).all()
        assert len(per_unit) == 400 and len({n for _, n in per_unit}) == 1
        assert db.session.scalar(select(func.count()).select_from(unit_match_scores)) == 400
        assert (
            db.session.scalar(select(func.count()).where(UnitAssessment.plan_input.is_(None))) == 0
        )
        statuses = db.session.scalars(select(Inspection.status).distinct()).all()
        assert statuses == ["approved"]


def test_old_buildings_have_more_barriers_than_new_ones(seeded):
    app, *_ = seeded
    with app.app_context():
        per_unit = dict(
            db.session.execute(
                select(
                    UnitBarrier.unit_id, func.count(func.distinct(UnitBarrier.item_id))
                ).group_by(UnitBarrier.unit_id)
            ).all()
        )
        ages = db.session.execute(select(Unit.id, Building.year_built).join(Unit.building)).all()
    old = [per_unit.get(u, 0) for u, year in ages if age_risk(year) >= 0.85]
    new = [per_unit.get(u, 0) for u, year in ages if age_risk(year) <= 0.25]
    assert old and new
    assert sum(old) / len(old) > 2 * sum(new) / len(new)


def test_statistics_are_committed(seeded):
    *_, url = seeded
    raw = setup.raw_connection(url)
    try:
        tables = {r[0] for r in raw.execute("SELECT tbl FROM sqlite_stat1")}
    finally:
        raw.close()
    assert {"units", "unit_scores", "unit_match_scores"} <= tables


def test_matches_and_plans_are_answered(seeded):
    app, _, officer, manager, _ = seeded
    client = app.test_client()
    households = create_households(client, officer)
    assert len(households) == len(HOUSEHOLDS)
    totals = []
    for _, applicant_id, extra in households:
        response = client.get(
            f"/api/v1/applicants/{applicant_id}/matches?status=vacant,let{extra}", headers=officer
        )
        totals.append(setup.check(response, 200, "total"))
    # the household without needs matches every vacant or let unit with 2+ bedrooms
    no_needs = [i for i, (label, *_) in enumerate(HOUSEHOLDS) if label.startswith("ingen behov")]
    with app.app_context():
        expected = db.session.scalar(
            select(func.count())
            .select_from(Unit)
            .where(Unit.status.in_(["vacant", "let"]), Unit.bedrooms >= 2)
        )
        candidates, _ = planning._candidates()
    assert totals[no_needs[0]] == expected > 100
    assert len(candidates) > 100 and any(c.options for c in candidates)
    response = client.post(
        "/api/v1/planning/portfolio",
        json={"budget": 2_000_000, "priorities": {"wheelchair_manual": 1}},
        headers=manager,
    )
    assert setup.check(response, 200, "steps")
