"""What the register announces to the domains above it, which subscribe when the app is built
(app/__init__.py): stored verdicts follow the register there."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent (sender None) after register rows were written and flushed, in the same transaction:
# `units`, the ids (a list, or a select of ids) of the units whose status, bedrooms, district
# or building changed; `facts`, those whose scoring facts may have changed (or None).
register_changed = _signals.signal("register-changed")
