"""Checks every API request once, before its view and schemas see the data.

What no field of any schema may carry, decided here instead of field by field:

- NUL characters and lone UTF-16 surrogates in any string (query parameters, path
  parameters, form fields, JSON keys and values). PostgreSQL refuses NUL in text and no
  encoder can write a lone surrogate, so further down both end as a 500.
- JSON nested deeper than MAX_DEPTH (Python's parser gives up with a RecursionError near
  1000), integers beyond ±(2^53 - 1) (I-JSON, RFC 7493: what every JSON reader can hold),
  non-finite numbers (`NaN`, `Infinity`) and numbers with more digits than Python converts.
- JSON bodies larger than `JSON_MAX_BYTES`.
- Query parameters that the operation does not document (like unknown body fields).
- PATCH without a JSON object that changes something.

Each gives a problem+json 4xx naming what is wrong. The JSON body is parsed once here and
handed to the argument parser (see `CheckedParser`).
"""

from __future__ import annotations

import json
import math
import re

from flask import current_app, g, request
from webargs.flaskparser import FlaskParser

from app.errors import DomainError, NotFound, PayloadTooLarge, Unprocessable

MAX_DEPTH = 64
MAX_SAFE_INTEGER = 2**53 - 1
MAX_ERRORS = 20
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
BAD_TEXT = "Teksten inneholder NUL-tegn eller ugyldige Unicode-tegn."


class BadRequest(DomainError):
    status = 400
    title = "Bad request"


def _text_problem(value: str) -> bool:
    return _BAD_TEXT.search(value) is not None


def _walk(body) -> dict[str, list[str]]:
    """Problems per JSON path (`answers.3.note`), iteratively (no recursion to overflow)."""
    errors: dict[str, list[str]] = {}
    stack = [("", body, 0)]
    while stack and len(errors) < MAX_ERRORS:
        path, value, depth = stack.pop()
        name = path or "_body"
        if depth > MAX_DEPTH:
            errors[name] = [f"Dataene er nestet dypere enn {MAX_DEPTH} nivåer."]
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                if _text_problem(key):
                    errors[name] = ["Et feltnavn inneholder NUL-tegn eller ugyldige tegn."]
                else:
                    stack.append((child, item, depth + 1))
        elif isinstance(value, list):
            stack.extend(
                (f"{path}.{i}" if path else str(i), item, depth + 1) for i, item in enumerate(value)
            )
        elif isinstance(value, str):
            if _text_problem(value):
                errors[name] = [BAD_TEXT]
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if abs(value) > MAX_SAFE_INTEGER:
                errors[name] = ["Tallet er for stort."]
        elif isinstance(value, float) and not math.isfinite(value):
            errors[name] = ["Tallet er for stort eller ikke et tall."]
    return errors


def _parse_json_body():
    limit = current_app.config["JSON_MAX_BYTES"]
    if (request.content_length or 0) > limit:
        raise PayloadTooLarge(f"JSON-innholdet kan være høyst {limit} byte.")
    data = request.get_data(cache=True)
    if len(data) > limit:
        raise PayloadTooLarge(f"JSON-innholdet kan være høyst {limit} byte.")
    if not data.strip():
        return None
    try:
        body = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise BadRequest(f"JSON-innholdet er nestet dypere enn {MAX_DEPTH} nivåer.") from None
    except ValueError as error:  # not JSON, not UTF-8, or a number with too many digits
        raise BadRequest(f"JSON-innholdet kan ikke leses: {error}".replace("\x00", "")) from None
    errors = _walk(body)
    if errors:
        raise Unprocessable("Noen felt har ugyldige verdier.", errors=errors)
    g.json_body = body
    return body


def _query_names(view) -> set[str] | None:
    """The query parameters the operation documents, or None if it is no API operation."""
    doc = getattr(view, "_apidoc", None)
    if doc is None:
        return None
    names: set[str] = set()
    params = list(doc.get("arguments", {}).get("parameters", []))
    if "pagination" in doc:
        params.append(doc["pagination"]["parameters"])
    for param in params:
        if param.get("in") != "query":
            continue
        schema = param["schema"]
        schema = schema() if isinstance(schema, type) else schema
        names |= {f.data_key or n for n, f in schema.fields.items() if not f.dump_only}
    return names


def _view_method():
    view = current_app.view_functions.get(request.endpoint)
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return getattr(view_class, request.method.lower(), None)
    return view


def check_path() -> None:
    """Before every request (see app.web.hooks): no path parameter with NUL or surrogates."""
    for value in (request.view_args or {}).values():
        if isinstance(value, str) and _text_problem(value):
            raise NotFound("Ressursen finnes ikke.")


def check_request() -> None:
    """Before an API view parses its arguments, after the caller's role is checked (called
    by `Blueprint.auth_required` and `Blueprint.public`): refuse what no view may see."""
    errors = {
        name: [BAD_TEXT]
        for name, value in request.args.items(multi=True)
        if _text_problem(name) or _text_problem(value)
    }
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        errors |= {
            name: [BAD_TEXT]
            for name, value in request.form.items(multi=True)
            if _text_problem(name) or _text_problem(value)
        }
    if errors:
        raise Unprocessable("Noen felt har ugyldige verdier.", errors=errors)
    method = _view_method()
    allowed = _query_names(method)
    if allowed is not None:
        unknown = sorted(set(request.args) - allowed)
        if unknown:
            raise Unprocessable(
                "Ukjente parametere i adressen.",
                errors={name: ["Ukjent parameter."] for name in unknown},
            )
    body = _parse_json_body() if request.is_json else None
    if request.method == "PATCH" and allowed is not None and not body:
        raise Unprocessable(
            "Endringen mangler innhold: send et JSON-objekt med feltene som skal endres.",
            errors={"_body": ["Mangler innhold."]},
        )


class CheckedParser(FlaskParser):
    """webargs' parser, reading the JSON body that `check_request` already parsed."""

    def _raw_load_json(self, req):
        if "json_body" in g:
            return g.json_body
        return super()._raw_load_json(req)
