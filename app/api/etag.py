"""Strong ETags from a row's version counter, and If-Match checks for writes."""

from __future__ import annotations

from flask import request

from app.errors import PreconditionFailed


def etag_of(kind: str, row) -> str:
    return f'"{kind}-{row.id}-v{row.version}"'


def check_if_match(current: str, state=None) -> None:
    """412 when the client's If-Match names another version; no header means no check.

    `state` (a dict, or a function that builds one, called only on a mismatch) is sent back
    as `current` so the client can merge."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return
    sent = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if current not in sent:
        extra = {"current_etag": current}
        if state is not None:
            extra["current"] = state() if callable(state) else state
        raise PreconditionFailed(
            "Ressursen er endret siden du hentet den.", headers={"ETag": current}, **extra
        )
