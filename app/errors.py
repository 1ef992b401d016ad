"""Domain errors.

Services and pure cores raise these; the web layer turns each into one
`application/problem+json` response (see `app/api/problems.py`). No Flask here.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, errors: dict[str, Any] | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.extra = extra  # additional problem members, e.g. a report or the current state


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"


class TooManyRequests(DomainError):
    status = 429
    title = "Too many requests"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class PreconditionFailed(DomainError):
    status = 412
    title = "Precondition failed"


class PayloadTooLarge(DomainError):
    status = 413
    title = "Payload too large"


class UnsupportedMediaType(DomainError):
    status = 415
    title = "Unsupported media type"


class Unprocessable(DomainError):
    """Input that is well-formed but wrong; `errors` names each bad field."""

    status = 422
    title = "Unprocessable content"


class ServiceUnavailable(DomainError):
    status = 503
    title = "Service unavailable"
