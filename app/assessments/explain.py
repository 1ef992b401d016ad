"""The explained accessibility result as the API gives it (and the reports print it)."""

from __future__ import annotations

from app.assessments import services
from app.inspections.photos.services import photo_ids_by_item
from app.scoring import Result, result_to_dict
from app.units.models import Unit


def with_photos(result: dict, photos: dict[str, list[str]]) -> dict:
    for group in (result["limitations"], result["profiles"], {"general": result["general"]}):
        for r in group.values():
            for barrier in r.get("barriers", []):
                barrier["photo_ids"] = photos.get(barrier["item_id"], [])
    for barrier in result.get("barriers", []):
        barrier["photo_ids"] = photos.get(barrier["item_id"], [])
    return result


def explained(result: Result, inspection_id) -> dict:
    """The result as API JSON, each barrier with the ids of the inspection's photos of it."""
    return with_photos(result_to_dict(result), photo_ids_by_item(inspection_id))


def accessibility(unit: Unit) -> dict:
    """Scores, classes, coverage and explained barriers from the unit's current assessment."""
    assessment = services.current_assessment(unit.id)
    if assessment is None:
        return {"unit_id": unit.id, "assessed": False, "detail": "Boligen er ikke vurdert ennå."}
    result = explained(services.assessment_result(assessment), assessment.inspection_id)
    return {
        "unit_id": unit.id,
        "assessed": True,
        "inspection_id": str(assessment.inspection_id),
        "checklist": {"key": assessment.checklist_key, "version": assessment.checklist_version},
        "profiles_version": assessment.profiles_version,
        "measures_version": assessment.measures_version,
        "scored_at": assessment.scored_at.isoformat(),
        "suits": services.suits(result),
        **result,
    }
