"""What the inspection domain announces to the domains above it, which subscribe when the app
is built (app/__init__.py): an approved inspection becomes the unit's assessment there."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the approved Inspection as sender, in the approving transaction, before the
# approval is audited and announced: a receiver that raises undoes the approval.
approved = _signals.signal("inspection-approved")
