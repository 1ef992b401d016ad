"""Which units suit a household: filtered and ranked in SQL on each unit's row of stored
limitation scores (`unit_match_scores`).

A unit matches when its stored class is `suitable` for every required need (or `adaptable`
too, when asked), it has enough bedrooms, its status is allowed, and it lies in a must-district
if there are any. Ranking: the household's profile score (required needs weight 1, preferred
0.5, plus the weights of the age groups its members imply, the higher weight winning),
with 5 points added for a unit in a wished district; equal ranks in unit id order. Units never
assessed are never offered; they can be listed separately.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from app.applicants.models import Applicant
from app.assessments.models import CLASS_ORDER, CLASS_RANK, UnitAssessment
from app.assessments.models import unit_match_scores as match_scores
from app.assessments.services import assessment_result
from app.checklists import services as checklists
from app.checklists.serialize import measure_to_dict
from app.extensions import db
from app.scoring.results import barrier_to_dict
from app.units.models import Building, Unit

DISTRICT_BONUS = 5.0
CLASS_NB = {
    "suitable": "egnet",
    "adaptable": "egnet etter tilpasning",
    "unsuitable": "ikke egnet",
    "unknown": "ikke vurdert",
}


def household_weights(applicant: Applicant) -> dict[str, float]:
    """Limitation weights: needs (required 1, preferred 0.5) and implied age groups."""
    profiles = {p.key: p.weights for p in checklists.catalogue().profiles.profiles}
    household = applicant.household or {}
    implied = []
    if household.get("over_80"):
        implied.append("old_senior")
    elif household.get("over_67"):
        implied.append("senior")
    if any(household.get(k) for k in ("children_0_5", "children_6_12", "children_13_17")):
        implied.append("child_household")
    weights: dict[str, float] = {}
    for key in implied:
        for limitation, weight in profiles.get(key, {}).items():
            weights[limitation] = max(weights.get(limitation, 0.0), weight)
    for need in applicant.needs:
        weight = 1.0 if need["level"] == "required" else 0.5
        weights[need["limitation"]] = max(weights.get(need["limitation"], 0.0), weight)
    return weights


def _candidates(applicant: Applicant, stmt, statuses: list[str], allow_adaptable: bool):
    """The match conditions on a statement over the units' matching rows: status, bedrooms,
    must-districts, and for each required need a stored class of at least suitable (or
    adaptable). Only assessed units have such a row: units never inspected cannot appear."""
    rank = CLASS_RANK["adaptable" if allow_adaptable else "suitable"]
    m = match_scores.c
    stmt = stmt.select_from(match_scores).where(m.status.in_(statuses))
    if applicant.min_bedrooms:
        stmt = stmt.where(m.bedrooms >= applicant.min_bedrooms)
    if applicant.districts_required and applicant.districts:
        stmt = stmt.where(m.district.in_(applicant.districts))
    for need in applicant.needs:
        if need["level"] == "required":
            stmt = stmt.where(m[f"{need['limitation']}_rank"] >= rank)
    return stmt


def _ranked_page(applicant: Applicant, query: dict, weights: dict[str, float]):
    """One page of candidates ranked in the database by the weighted profile score (plus
    the district bonus; equal ranks by unit id), and the number of candidates."""
    m = match_scores.c
    weights = weights or {"general": 1.0}
    profile = sum(weight * m[f"{key}_score"] for key, weight in weights.items())
    profile = profile / sum(weights.values())
    wished = [] if applicant.districts_required else list(applicant.districts or [])
    bonus = case((m.district.in_(wished), DISTRICT_BONUS), else_=0.0) if wished else 0.0
    columns = (
        m.unit_id,
        profile.label("profile"),
        func.count().over().label("total"),  # counted in the same pass as the ranking
        *(  # each need's stored class and score, for the reasons
            m[f"{need['limitation']}_{part}"]
            for need in applicant.needs
            for part in ("rank", "score")
        ),
    )
    statuses, allow_adaptable = query["status"], query["allow_adaptable"]
    page, size = query["page"], query["page_size"]
    rows = db.session.execute(
        _candidates(applicant, select(*columns), statuses, allow_adaptable)
        .order_by((profile + bonus).desc(), m.unit_id)
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    if rows or page == 1:
        return rows, rows[0].total if rows else 0
    count = _candidates(applicant, select(func.count()), statuses, allow_adaptable)
    return rows, db.session.scalar(count)  # a page past the end


def _units(unit_ids: list[int]) -> dict:
    """The register facts shown with each match, for one page of units."""
    columns = (Unit.id, Unit.unit_number, Unit.bedrooms, Unit.status, Building.address)
    stmt = select(*columns, Building.district).join(Unit.building).where(Unit.id.in_(unit_ids))
    return {row.id: row for row in db.session.execute(stmt)}


def matches(applicant: Applicant, query: dict) -> dict:
    rows, total = _ranked_page(applicant, query, household_weights(applicant))
    offset = (query["page"] - 1) * query["page_size"]
    results = _explain(applicant, rows, offset)
    body = {"applicant_id": applicant.id, "total": total, "page": query["page"], "matches": results}
    if query["include_unassessed"]:
        body["not_assessed"] = _unassessed(applicant, query["status"])
    return body


def _explain(applicant, chosen, offset) -> list[dict]:
    """Reasons for each shown unit: every need's stored class and score (from the ranking
    row) with the barriers left for it, explained (recomputed from the stored inputs, also
    for "suitable" needs: minor barriers within the tolerance are still worth knowing), and
    the cheapest stored upgrade where a required need is only adaptable."""
    if not chosen:
        return []
    stored = {
        a.unit_id: a
        for a in db.session.scalars(
            select(UnitAssessment).where(UnitAssessment.unit_id.in_([c.unit_id for c in chosen]))
        )
    }
    units = _units([c.unit_id for c in chosen])
    catalogue = {m.id: m for m in checklists.catalogue().measures.measures}
    labels = {x.key: x.label.nb for x in checklists.catalogue().limitations}
    catalogues: dict = {}  # per definition versions scored with: usually one
    out = []
    for position, c in enumerate(chosen, start=offset + 1):
        row, unit, assessment = c._mapping, units[c.unit_id], stored[c.unit_id]
        left = _barriers(assessment, [n["limitation"] for n in applicant.needs], catalogues)
        per_need, reasons, remaining, measures = {}, [], [], {}
        for need in applicant.needs:
            key = need["limitation"]
            cls, score = CLASS_ORDER[row[f"{key}_rank"]], round(row[f"{key}_score"], 1)
            barriers = [barrier_to_dict(b) for b in left[key]]
            per_need[key] = {
                "class": cls,
                "score": score,
                "level": need["level"],
                "barriers": barriers,
            }
            if need["level"] == "required":
                reasons.append(_reason(labels.get(key, key), cls, barriers))
                if cls == "adaptable":
                    for measure_id in _cheapest(assessment.plan_input, key, catalogue):
                        measures[measure_id] = measure_to_dict(catalogue[measure_id])
            remaining.extend(
                {"need": key, "item_id": b["item_id"], "severity": b["severity"]} for b in barriers
            )
        if unit.district in (applicant.districts or []):
            reasons.append(f"I ønsket område ({unit.district})")
        cost = {k: sum(m["cost"][k] for m in measures.values()) for k in ("low", "typical", "high")}
        reasons.extend(f"Tiltak: {m['name']['nb']}" for m in measures.values())
        out.append(
            {
                "rank": position,
                "unit_id": unit.id,
                "address": unit.address,
                "unit_number": unit.unit_number,
                "district": unit.district,
                "bedrooms": unit.bedrooms,
                "status": unit.status,
                "profile_score": round(c.profile, 1),
                "needs": per_need,
                "reasons": reasons,
                "remaining_barriers": remaining,
                "measures": list(measures.values()),
                "cost": cost,
            }
        )
    return out


SEVERITY_NB = {1: "mindre", 2: "moderat", 3: "alvorlig", 4: "hindrer bruk"}


def _reason(label: str, cls: str, barriers: list[dict]) -> str:
    """One need in a sentence: "Manuell rullestol: egnet etter tilpasning. Avvik: Hva er fri
    bredde i inngangsdøren? 750 mm (krav ≥ 860 mm, TEK17 §12-13; alvorlig)"."""
    text = f"{label}: {CLASS_NB[cls]}"
    if not barriers:
        return text + ", ingen avvik"
    shown = []
    for b in barriers[:3]:
        value = b["answer"]
        if isinstance(value, bool):
            value = "ja" if value else "nei"
        elif b["unit"]:
            value = f"{value} {b['unit']}"
        source = " ".join(p for p in (b["reference"]["source"], b["reference"]["clause"]) if p)
        requirement = (b["requirement_text"] or {}).get("nb")
        detail = "; ".join(p for p in (requirement, source) if p)
        shown.append(
            f"{b['question']['nb']} {value} ({detail}; {SEVERITY_NB[b['severity']]})"
            if detail
            else f"{b['question']['nb']} {value} ({SEVERITY_NB[b['severity']]})"
        )
    more = f" og {len(barriers) - 3} til" if len(barriers) > 3 else ""
    return f"{text}. Avvik: " + "; ".join(shown) + more


def _barriers(assessment: UnitAssessment, keys: list[str], catalogues: dict) -> dict[str, tuple]:
    """The barriers of these limitations in the unit's current assessment."""
    versions = (assessment.profiles_version, assessment.measures_version)
    if versions not in catalogues:
        catalogues[versions] = checklists.catalogue(*versions)
    results = assessment_result(assessment, catalogues[versions]).limitations
    return {key: results[key].barriers for key in keys}


def _cheapest(plan_input: dict | None, need: str, catalogue: dict) -> tuple[str, ...]:
    """The cheapest stored upgrade option that makes the unit suitable for `need`."""
    options = [m for m, needs in (plan_input or {}).get("options", []) if need in needs]
    if not options:
        return ()
    return tuple(min(options, key=lambda ms: sum(catalogue[m].cost.typical for m in ms)))


def _unassessed(applicant: Applicant, statuses: list[str]) -> list[dict]:
    stmt = (
        select(Unit.id, Unit.unit_number, Building.address, Building.district)
        .join(Unit.building)
        .outerjoin(UnitAssessment, UnitAssessment.unit_id == Unit.id)
        .where(UnitAssessment.unit_id.is_(None), Unit.status.in_(statuses))
        .order_by(Building.address, Unit.unit_number)
        .limit(100)
    )
    if applicant.min_bedrooms:
        stmt = stmt.where(Unit.bedrooms >= applicant.min_bedrooms)
    if applicant.districts_required and applicant.districts:
        stmt = stmt.where(Building.district.in_(applicant.districts))
    return [
        {
            "unit_id": r.id,
            "unit_number": r.unit_number,
            "address": r.address,
            "district": r.district,
        }
        for r in db.session.execute(stmt)
    ]
