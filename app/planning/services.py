"""Planning on stored data: per-unit upgrade options, portfolio plans, scenarios, overrides.

Each unit's upgrade options are computed once per assessment (when it is stored or rescored)
and kept compactly on the assessment (`plan_input`), so a portfolio plan over the whole stock
reads one small JSON per unit and runs the pure planner on it.
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy import Text, cast, select

from app.applicants.demand import waiting_counts
from app.assessments.models import UnitAssessment
from app.assessments.rebuild import ON_THE_FLY, refresh_plan_inputs, stale_plan_inputs
from app.assessments.services import rescore_units
from app.audit import services as audit
from app.checklists import services as checklists
from app.checklists.serialize import measure_to_dict
from app.errors import Conflict, NotFound, Unprocessable
from app.extensions import db
from app.inspections.models import Inspection
from app.inspections.services import create_inspection
from app.planning import (
    MeasureKey,
    Option,
    UnitCandidate,
    Unreachable,
    cheapest_upgrade,
    demand_weights,
    plan_portfolio,
    suitable_supply,
)
from app.planning.models import DoneMeasure, Scenario
from app.planning.portfolio import no_cyclic_gc
from app.scoring.inputs import answers_from, prepared_for
from app.units.facts import facts_of
from app.units.feasibility import FeasibilityOverride, overrides_for
from app.units.models import Building, Unit

# -- per unit ----------------------------------------------------------------------------


def unit_upgrade_options(unit: Unit, key: str) -> dict:
    """The cheapest feasible measures that make the unit suitable for `key` (exact search)."""
    assessment = db.session.get(UnitAssessment, unit.id)
    if assessment is None:
        raise Conflict("Boligen er ikke vurdert ennå; befar den først.")
    catalogue = checklists.catalogue()
    prepared = prepared_for(catalogue, assessment)
    option = cheapest_upgrade(
        prepared,
        answers_from(assessment.inputs),  # the approved answers, stored with the assessment
        facts_of(unit),
        overrides_for(unit),
        key,
    )
    measures = {m.id: m for m in catalogue.measures.measures}
    if isinstance(option, Unreachable):
        return {
            "unit_id": unit.id,
            "target": key,
            "reachable": False,
            "class_before": option.class_before,
            "reason": option.reason,
            "detail": option.detail,
            "blocked": [
                {"item_id": b.item_id, "infeasible_measures": list(b.infeasible)}
                for b in option.blocked
            ],
            "unanswered": list(option.unanswered),
        }
    return {
        "unit_id": unit.id,
        "target": key,
        "reachable": True,
        "class_before": option.class_before,
        "score_before": round(option.score_before, 1),
        "resulting_score": round(option.score_after, 1),
        "measures": [measure_to_dict(measures[m]) for m in option.measures],
        "removes": list(option.removes),
        "cost": option.cost._asdict(),
        "annual_cost": option.annual_cost._asdict(),
        "also_suitable": list(option.also_suitable),
    }


# -- the portfolio -----------------------------------------------------------------------


def _candidates(districts=None, unit_ids=None) -> tuple[list[UnitCandidate], dict]:
    stmt = (
        select(
            UnitAssessment.unit_id,
            cast(UnitAssessment.plan_input, Text),  # decoded here, once, from str
            Unit.building_id,
            Unit.unit_number,
            Building.district,
            Building.address,
        )
        .join(Unit, Unit.id == UnitAssessment.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .where(Unit.status != "inactive")
    )
    if districts:
        stmt = stmt.where(Building.district.in_(districts))
    if unit_ids:
        stmt = stmt.where(Unit.id.in_(unit_ids))
    candidates, labels = [], {}
    options: dict[tuple, Option] = {}  # the same few measure sets recur across the stock

    def option(measures, needs) -> Option:
        key = (tuple(measures), tuple(needs))
        found = options.get(key)
        if found is None:
            found = options[key] = Option(*key)
        return found

    # Core rows through the session's connection: no ORM row processing for 100,000 rows.
    rows = db.session.connection().execute(stmt)
    for unit_id, plan, building_id, unit_number, district, address in rows:
        plan = json.loads(plan) if plan else {"suitable": [], "options": []}
        candidates.append(
            UnitCandidate(
                unit_id,
                building_id,
                district,
                frozenset(plan["suitable"]),
                tuple([option(m, n) for m, n in plan["options"]]),
            )
        )
        labels[unit_id] = (address, unit_number)
    return candidates, labels


def _weights(priorities, candidates, exact_counts: bool) -> dict:
    if priorities == "demand":
        districts = [d for (d,) in db.session.execute(select(Building.district).distinct())]
        waiting = waiting_counts(districts, suppressed=not exact_counts)
        return demand_weights(waiting, suitable_supply(candidates))
    known = {x.key for x in checklists.catalogue().limitations}
    known |= {p.key for p in checklists.catalogue().profiles.profiles} | {"general"}
    unknown = sorted(set(priorities) - known)
    if unknown:
        raise Unprocessable(
            "Ugyldige prioriteringer.",
            errors={"priorities": [f"Ukjent behov eller profil: {k}" for k in unknown]},
        )
    return dict(priorities)


def _planned_keys(entries: list[dict]) -> list[MeasureKey]:
    catalogue = {m.id: m for m in checklists.catalogue().measures.measures}
    keys, errors = [], []
    for index, entry in enumerate(entries):
        measure = catalogue.get(entry["measure_id"])
        owner = (
            entry.get("building_id")
            if measure and measure.scope == "building"
            else entry.get("unit_id")
        )
        if measure is None or owner is None:
            errors.append(f"{index}: ukjent tiltak eller mangler unit_id/building_id")
            continue
        keys.append(MeasureKey(measure.scope, owner, measure.id))
    if errors:
        raise Unprocessable("Ugyldige planlagte tiltak.", errors={"already_planned": errors})
    return keys


def _ensure_plan_inputs() -> None:
    """After `flask scores rebuild` the planner inputs are stale until refreshed: a few are
    computed here, many are refused with the command that computes them."""
    stale = stale_plan_inputs()
    if stale > ON_THE_FLY:
        raise Conflict(
            f"Tiltaksgrunnlaget for {stale} boliger er ikke beregnet etter siste omberegning. "
            "Kjør `flask scores refresh-plans` og prøv igjen."
        )
    if stale:
        refresh_plan_inputs(limit=stale)


def portfolio_plan(request: dict, *, exact_counts: bool = False) -> dict:
    """A plan for `request`. Demand weights come from suppressed waiting counts (see
    `waiting_counts`) unless `exact_counts`: only for callers who may read applicants."""
    _ensure_plan_inputs()
    candidates, labels = _candidates(request.get("districts"), request.get("unit_ids"))
    weights = _weights(request["priorities"], candidates, exact_counts)
    catalogue = checklists.catalogue()
    plan = plan_portfolio(
        candidates,
        request["budget"],
        weights,
        catalogue.measures,
        already_planned=_planned_keys(request.get("already_planned", [])),
    )
    return plan_to_dict(plan, labels, {m.id: m for m in catalogue.measures.measures})


def plan_to_dict(plan, labels, measures) -> dict:
    """The plan as the API returns it (`PlanSchema`).

    A step names the measures it buys and reuses by id and owner (the unit, or for a
    building measure the building); each measure used is described once, in `measures`.
    A national-size plan has tens of thousands of steps: they share one record per key and
    per cost, and the cyclic garbage collector pauses while they are built (they are acyclic).
    """
    used: dict[str, dict] = {}
    refs: dict[MeasureKey, dict] = {}
    costs: dict[tuple, dict] = {}

    def ref(key: MeasureKey) -> dict:
        if key.measure_id not in used:
            used[key.measure_id] = measure_to_dict(measures[key.measure_id])
        refs[key] = {"id": key.measure_id, "owner": key.owner}
        return refs[key]

    steps = []
    no_label = ("", "")
    with no_cyclic_gc():
        for step in plan.steps:
            address, unit_number = labels.get(step.unit_id, no_label)
            cost = costs.get(step.cost)
            if cost is None:
                low, typical, high = step.cost
                cost = costs[step.cost] = {"low": low, "typical": typical, "high": high}
            steps.append(
                {
                    "rank": step.rank,
                    "unit_id": step.unit_id,
                    "building_id": step.building_id,
                    "address": address,
                    "unit_number": unit_number,
                    "district": step.district,
                    "measures": [refs.get(k) or ref(k) for k in step.measures],
                    "reused_measures": [refs.get(k) or ref(k) for k in step.reused],
                    "cost": cost,
                    "cumulative_cost": step.cumulative_cost,
                    "needs": list(step.needs),
                    "value": round(step.value, 3),
                }
            )
    return {
        "budget": plan.budget,
        "spent": plan.spent._asdict(),
        "value": round(plan.value, 3),
        "upper_bound": round(plan.upper_bound, 3),
        "method": plan.method,
        "measures": used,
        "steps": steps,
        "totals": {
            "overall": [t._asdict() for t in plan.totals if t.district is None],
            "districts": [t._asdict() for t in plan.totals if t.district is not None],
        },
    }


# -- scenarios, done measures, overrides -------------------------------------------------


def save_scenario(actor, name: str, request: dict) -> Scenario:
    if db.session.scalar(select(Scenario.id).where(Scenario.name == name)) is not None:
        raise Conflict("Det finnes allerede et scenario med dette navnet.")
    # Saved plans are read by every planning role: always from suppressed counts.
    scenario = Scenario(
        name=name, request=request, result=portfolio_plan(request), created_by_id=actor.id
    )
    db.session.add(scenario)
    db.session.flush()
    audit.record("planning.scenario_saved", "scenario", scenario.id, details={"name": name})
    return scenario


def get_scenario(scenario_id: int) -> Scenario:
    scenario = db.session.get(Scenario, scenario_id)
    if scenario is None:
        raise NotFound("Scenarioet finnes ikke.")
    return scenario


def compare(a: Scenario, b: Scenario) -> dict:
    def summary(s: Scenario) -> dict:
        result = s.result
        return {
            "id": s.id,
            "name": s.name,
            "budget": result["budget"],
            "spent": result["spent"],
            "value": result["value"],
            "steps": len(result["steps"]),
            "after": {t["need"]: t["after"] for t in result["totals"]["overall"]},
        }

    left, right = summary(a), summary(b)
    needs = sorted(set(left["after"]) | set(right["after"]))
    return {
        "a": left,
        "b": right,
        "difference": {n: right["after"].get(n, 0) - left["after"].get(n, 0) for n in needs},
    }


def mark_done(actor, unit: Unit, measure_id: str) -> DoneMeasure:
    """Record a measure as carried out and open a follow-up re-inspection of the unit."""
    if measure_id not in {m.id for m in checklists.catalogue().measures.measures}:
        raise Unprocessable(
            "Ugyldige data.", errors={"measure_id": [f"Ukjent tiltak: {measure_id}"]}
        )
    last = db.session.scalar(
        select(Inspection)
        .where(Inspection.unit_id == unit.id)
        .order_by(Inspection.created_at.desc())
        .limit(1)
    )
    open_draft = db.session.scalar(
        select(Inspection).where(Inspection.unit_id == unit.id, Inspection.status == "draft")
    )
    follow_up = open_draft
    if follow_up is None:
        data = {"id": uuid.uuid4(), "unit_id": unit.id}
        if last is not None:
            data["inspector_id"] = last.inspector_id
        follow_up, _ = create_inspection(actor, data)
    done = DoneMeasure(unit_id=unit.id, measure_id=measure_id, done_by_id=actor.id)
    done.follow_up_inspection_id = str(follow_up.id)
    db.session.add(done)
    db.session.flush()
    audit.record("planning.measure_done", "unit", unit.id, details={"measure_id": measure_id})
    return done


def set_override(actor, data: dict) -> FeasibilityOverride:
    """Create or replace an override, then rescore the affected units at once."""
    if data["measure_id"] not in {m.id for m in checklists.catalogue().measures.measures}:
        raise Unprocessable(
            "Ugyldige data.", errors={"measure_id": [f"Ukjent tiltak: {data['measure_id']}"]}
        )
    if (data.get("unit_id") is None) == (data.get("building_id") is None):
        raise Unprocessable(
            "Ugyldige data.", errors={"unit_id": ["Oppgi enten unit_id eller building_id."]}
        )
    target = Unit if data.get("unit_id") else Building
    if db.session.get(target, data.get("unit_id") or data.get("building_id")) is None:
        raise NotFound("Boligen eller bygget finnes ikke.")
    row = db.session.scalar(
        select(FeasibilityOverride).filter_by(
            unit_id=data.get("unit_id"),
            building_id=data.get("building_id"),
            measure_id=data["measure_id"],
        )
    ) or FeasibilityOverride(
        unit_id=data.get("unit_id"),
        building_id=data.get("building_id"),
        measure_id=data["measure_id"],
    )
    row.feasible, row.reason, row.set_by_id = data["feasible"], data["reason"], actor.id
    db.session.add(row)
    db.session.flush()
    audit.record("planning.override_set", "feasibility_override", row.id, details=data)
    rescore_units(_affected(row))
    return row


def delete_override(override_id: int) -> None:
    row = db.session.get(FeasibilityOverride, override_id)
    if row is None:
        raise NotFound("Overstyringen finnes ikke.")
    affected = _affected(row)
    db.session.delete(row)
    db.session.flush()
    audit.record("planning.override_deleted", "feasibility_override", override_id)
    rescore_units(affected)


def _affected(row: FeasibilityOverride) -> list[int]:
    if row.unit_id is not None:
        return [row.unit_id]
    return list(db.session.scalars(select(Unit.id).where(Unit.building_id == row.building_id)))
