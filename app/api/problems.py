"""One place that turns every error into `application/problem+json` (RFC 9457)."""

from __future__ import annotations

import logging

from flask import Response, current_app, g, json, request
from flask_babel import get_locale, gettext
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from app.api.messages import translate_errors
from app.errors import DomainError

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"

# Titles by status, translatable; the source language is Norwegian bokmål.
TITLES = {
    400: "Ugyldig forespørsel",
    401: "Ikke innlogget",
    403: "Ingen tilgang",
    404: "Finnes ikke",
    405: "Metoden er ikke tillatt",
    406: "Formatet støttes ikke",
    409: "Konflikt",
    412: "Versjonen er utdatert",
    413: "For stor forespørsel",
    415: "Filtypen støttes ikke",
    422: "Ugyldige data",
    428: "Versjon mangler",
    429: "For mange forsøk",
    500: "Intern feil",
    503: "Tjenesten er midlertidig utilgjengelig",
}

DETAILS = {
    400: "Forespørselen kunne ikke leses.",
    401: "Du må logge inn.",
    403: "Rollen din gir ikke tilgang til dette.",
    404: "Ressursen finnes ikke.",
    405: "Denne metoden er ikke tillatt for adressen.",
    406: "Tjenesten kan ikke svare i formatet som ble bedt om.",
    412: "Ressursen er endret siden du hentet den.",
    413: "Forespørselen er større enn grensen.",
    415: "Innholdstypen støttes ikke.",
    422: "Noen felt har ugyldige verdier.",
    428: "Endringen krever If-Match med ressursens ETag.",
    429: "For mange forsøk. Vent litt og prøv igjen.",
    500: "Noe gikk galt hos oss. Feilen er logget.",
    503: "Databasen svarer ikke akkurat nå. Prøv igjen om litt.",
}


def problem(
    status: int,
    detail: str | None = None,
    *,
    errors: dict | None = None,
    headers: dict | None = None,
    **extra,
) -> Response:
    """Build a problem+json response."""
    body = {
        "type": f"/problems/{status}",
        "title": gettext(TITLES.get(status, "Feil")),
        "status": status,
        "detail": gettext(detail) if detail else gettext(DETAILS.get(status, "")),
    }
    if errors:
        english = str(get_locale() or "nb").startswith("en")
        body["errors"] = errors if english else translate_errors(errors)
    request_id = getattr(g, "request_id", None)
    if request_id:
        body["instance"] = f"urn:request:{request_id}"
    body.update(extra)
    response = Response(
        json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_MEDIA_TYPE
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _flatten_validation(messages: dict) -> dict:
    """webargs groups errors by location (json, query, files...); clients want field names."""
    if not isinstance(messages, dict):
        return {"_schema": messages}
    flat: dict = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            flat.update(fields)
        else:
            flat[location] = fields
    return flat


def handle_http_exception(error: HTTPException) -> Response:
    data = getattr(error, "data", None) or {}
    status = error.code or 500
    errors = data.get("errors") or (
        _flatten_validation(data["messages"]) if "messages" in data else None
    )
    detail = data.get("message")
    if detail is None and status not in DETAILS and error.description:
        detail = error.description
    headers = dict(data.get("headers") or {})
    valid_methods = getattr(error, "valid_methods", None)
    if status == 405 and valid_methods:
        headers["Allow"] = ", ".join(valid_methods)
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        headers["Retry-After"] = str(retry_after)
    return problem(status, detail, errors=errors, headers=headers)


def handle_domain_error(error: DomainError) -> Response:
    headers = error.extra.pop("headers", None) if error.extra else None
    return problem(error.status, error.detail, errors=error.errors, headers=headers, **error.extra)


def handle_integrity_error(error: IntegrityError) -> Response:
    """Two requests raced to create the same thing; the loser retries and gets the winner's."""
    log.info("integrity conflict: %s", error.orig)
    return problem(409, "Samtidig endring av de samme dataene. Prøv igjen.")


def handle_stale_row(error: StaleDataError) -> Response:
    """The compare-and-set UPDATE (`... WHERE version = :expected`) matched no row: someone
    else changed the resource first. The client reads it again (new ETag) and retries."""
    log.info("stale version: %s", error)
    return problem(412, "Ressursen ble endret av noen andre samtidig. Hent den på nytt.")


def handle_database_unavailable(error: OperationalError) -> Response:
    log.warning("database unavailable: %s", error.orig)
    return problem(503, headers={"Retry-After": "5"})


def handle_unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    log.exception("unhandled error on %s %s", request.method, request.path)
    if current_app.config.get("PROPAGATE_UNEXPECTED"):
        raise error
    return problem(500)


def register_error_handlers(app) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(StaleDataError, handle_stale_row)
    app.register_error_handler(Exception, handle_unexpected)
