"""ETags: one mechanism for every answer that has one.

A view says which ETag its answer has; this module sets the header, answers conditional
reads (If-None-Match) and checks If-Match on writes, and `document` describes it all in the
OpenAPI document (app.api.smorest hooks it into flask-smorest). An ETag here is the header
value, quotes included. There are two kinds, each declared by one decorator placed right
above the view function (below `@blp.response`, which serialises what the view returns):

- `@versioned("unit")`: a row's version counter, `"unit-12-v3"`. Strong: every write that
  changes the row moves its version. The view returns the row, or `(row, status)`; `row=`
  picks the row out of a larger body. A PUT or PATCH calls
  `check_if_match(etag_of(kind, row), state)` once it holds the row, locked: when If-Match
  names another version the answer is 412 with the current ETag, and the current state for
  the client to merge. If-Match is optional: without it nothing is checked (no 428).
- `@conditional(cache_control=...)`: content identified by a hash of itself (a checklist
  definition, a report, a photo), read far more often than it changes. The view calls
  `tag(value)` as soon as it knows the ETag, before it builds the body: on GET and HEAD,
  when If-None-Match names it (weak comparison, RFC 9110 13.1.2; `*` names any), the
  answer is 304 with the ETag and Cache-Control and no body, and nothing more is built or
  read. A full answer gets the same two headers.

flask-smorest's own `Blueprint.etag` is not used: it hashes the serialised body (another
value, known only once the body is built, so a 304 would save no work) and requires If-Match
on every write (428).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from copy import deepcopy

from flask import Response, g, request
from flask_smorest.utils import unpack_tuple_response
from werkzeug.datastructures import Headers
from werkzeug.http import unquote_etag

from app.errors import PreconditionFailed

READS = frozenset({"GET", "HEAD"})  # a conditional view answers these with 304
WRITES = frozenset({"PUT", "PATCH"})  # a versioned view checks If-Match on these

# How the OpenAPI document describes them: the header as a component (app.api.smorest.Api
# registers it under flask-smorest's name), the parameters in each operation.
ETAG_HEADER = {
    "description": "This version of the resource; send it back in If-Match (writes) or "
    "If-None-Match (reads that answer 304)",
    "schema": {"type": "string"},
}
IF_MATCH_HEADER = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The ETag the change is based on: 412 with the current ETag and state "
    "when the resource has changed since. Without it the change is not checked",
    "schema": {"type": "string"},
}
IF_NONE_MATCH_HEADER = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "ETags the client holds: 304 without a body when one of them is current",
    "schema": {"type": "string"},
}
NOT_MODIFIED = {"description": "Not modified (If-None-Match)", "headers": {"ETag": "ETAG"}}


def etag_of(kind: str, row) -> str:
    return f'"{kind}-{row.id}-v{row.version}"'


def versioned(kind: str, *, row: Callable | None = None) -> Callable:
    """The answer's ETag is `etag_of(kind, ...)` of the row the view returns (`row(body)`
    when the body holds more than the row)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            body, status, headers = unpack_tuple_response(view(*args, **kwargs))
            value = etag_of(kind, row(body) if row else body)
            return body, status, _set(Headers(headers), {"ETag": value})

        return _documented(wrapper, versioned=True)

    return decorator


def conditional(*, cache_control: str) -> Callable:
    """The view calls `tag(value)` with its answer's ETag before it builds the body; a read
    whose If-None-Match names it gets 304. Both answers carry the ETag and `cache_control`."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            g.etag = None
            try:
                result = view(*args, **kwargs)
                value = g.etag
            except _NotModified as answer:
                return _set(Response(status=304), _headers(answer.etag, cache_control))
            finally:
                g.pop("etag", None)
            if value is None:
                raise RuntimeError(f"{view.__qualname__} gave its answer no ETag (etag.tag)")
            body, status, headers = unpack_tuple_response(result)
            if isinstance(body, Response):
                return _set(body, _headers(value, cache_control)), status
            return body, status, _set(Headers(headers), _headers(value, cache_control))

        return _documented(wrapper, conditional=True)

    return decorator


def tag(value: str) -> None:
    """Give the answer of a `conditional` view the ETag `value`; on a read whose
    If-None-Match names it, stop here: the answer is 304."""
    if "etag" not in g:
        raise RuntimeError("etag.tag() outside an @etag.conditional view")
    g.etag = value
    if request.method in READS and request.if_none_match.contains_weak(unquote_etag(value)[0]):
        raise _NotModified(value)


def check_if_match(current: str, state=None) -> None:
    """412 when the client's If-Match names another version; no header means no check.

    `state` (a dict, or a function that builds one, called only on a mismatch) is sent back
    as `current` so the client can merge."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return
    sent = {value.strip().removeprefix("W/") for value in header.split(",")}
    if current not in sent:
        extra = {"current_etag": current}
        if state is not None:
            extra["current"] = state() if callable(state) else state
        raise PreconditionFailed(
            "Ressursen er endret siden du hentet den.", headers={"ETag": current}, **extra
        )


def document(doc: dict, doc_info: dict, *, method: str, **_) -> dict:
    """flask-smorest's documentation step for ETags (Blueprint._prepare_etag_doc): the ETag
    header on every success answer; 304 and If-None-Match on a conditional read; 412 and
    If-Match on a versioned PUT or PATCH."""
    declared = doc_info.get("etag")
    if not declared:
        return doc
    # Status codes as strings, as the view's own `blp.doc(responses={"200": ...})` has them:
    # that one then completes this description instead of replacing it (headers included).
    responses = {str(status): answer for status, answer in doc.get("responses", {}).items()}
    for status, answer in responses.items():
        if status.startswith("2") and isinstance(answer, dict):
            answer.setdefault("headers", {})["ETag"] = "ETAG"
    if declared.get("conditional") and method.upper() in READS:
        responses["304"] = deepcopy(NOT_MODIFIED)
        doc.setdefault("parameters", []).append(deepcopy(IF_NONE_MATCH_HEADER))
    if declared.get("versioned") and method.upper() in WRITES:
        responses["412"] = "PRECONDITION_FAILED"
        doc.setdefault("parameters", []).append(deepcopy(IF_MATCH_HEADER))
    doc["responses"] = responses
    return doc


class _NotModified(Exception):
    def __init__(self, etag: str):
        super().__init__(etag)
        self.etag = etag


def _headers(value: str, cache_control: str) -> dict:
    return {"ETag": value, "Cache-Control": cache_control}


def _set(target, headers: dict):
    """Set (not add) `headers` on a Response or a Headers."""
    into = target.headers if isinstance(target, Response) else target
    for name, value in headers.items():
        into[name] = value
    return target


def _documented(wrapper, **declared):
    wrapper._apidoc = deepcopy(getattr(wrapper, "_apidoc", {}))
    wrapper._apidoc["etag"] = declared
    return wrapper
