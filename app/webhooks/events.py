"""The events a subscription may ask for. Payloads carry ids, keys and timestamps only: no
names, no needs, no free text (an inspector's comment stays in the service)."""

from __future__ import annotations

ASSESSMENT_APPROVED = "assessment.approved"
UNIT_SUITABILITY_CHANGED = "unit.suitability_changed"
INSPECTION_RETURNED = "inspection.returned"
PING = "webhook.ping"

# name -> (what it tells, the `data` members)
EVENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    ASSESSMENT_APPROVED: (
        "An inspection was approved and is now the unit's current assessment.",
        ("inspection_id", "unit_id", "building_id", "checklist_key", "checklist_version"),
    ),
    UNIT_SUITABILITY_CHANGED: (
        "A unit's class changed for one or more limitation or profile keys "
        "(after an approval or a feasibility change); `changes` lists key, from and to.",
        ("unit_id", "changes"),
    ),
    INSPECTION_RETURNED: (
        "A submitted inspection was returned to its inspector as a draft.",
        ("inspection_id", "unit_id"),
    ),
    PING: ("A test event an administrator sends to check a subscription.", ("subscription_id",)),
}
SUBSCRIBABLE = tuple(EVENTS)
