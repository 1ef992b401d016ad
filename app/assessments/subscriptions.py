"""How assessments follow the domains below them: an approved inspection becomes its unit's
assessment, and a register change reaches the stored rows and verdicts. Connected once when
the app is built (app/__init__.py); receivers run in the sender's transaction."""

from __future__ import annotations

from app.assessments import derived
from app.assessments.services import rescore_changed_facts, store_assessment
from app.inspections import signals as inspection_signals
from app.units import signals as unit_signals


def _approved(inspection) -> None:
    store_assessment(inspection)


def _register_changed(_sender, *, units, facts=None) -> None:
    derived.sync_register(units)
    if facts is not None:
        rescore_changed_facts(facts)  # the verdicts follow the register


def connect() -> None:
    inspection_signals.approved.connect(_approved)
    unit_signals.register_changed.connect(_register_changed)
