"""Project-wide flask-smorest classes: import Api, Blueprint, Schema and Page from here only.

Error shape, authorization and pagination are decided here, once.
"""

from __future__ import annotations

import datetime
import functools
import http
from collections.abc import Callable
from dataclasses import dataclass

import flask_smorest
import marshmallow as ma
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import after_this_request, g, request
from flask_smorest.pagination import PaginationMetadataSchema, PaginationParameters
from flask_smorest.utils import prepare_response
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.http import http_date
from werkzeug.routing import IntegerConverter

from app.api import etag, problems
from app.api.input import CheckedParser, check_request
from app.auth.roles import ROLES
from app.errors import Forbidden

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# PostgreSQL `integer`: larger ids, counts and page offsets are refused before the database
# sees them (it would fail with an overflow, a 500, instead of a clear 404 or 422).
INT32_MAX = 2**31 - 1
RFC9110_NAMES = {
    "CONTENT_TOO_LARGE": http.HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    "UNPROCESSABLE_CONTENT": http.HTTPStatus.UNPROCESSABLE_ENTITY,
}


class Schema(ma.Schema):
    """Base schema: unknown fields are refused, so typos never pass silently."""

    class Meta:
        unknown = ma.RAISE
        ordered = True

    def on_bind_field(self, field_name, field_obj):
        """Integers without an upper bound of their own get the database's 32-bit range
        (`Range(min=1)` alone let `?page=100000000000000000` reach the database)."""
        if isinstance(field_obj, ma.fields.Integer) and not any(
            isinstance(v, ma.validate.Range) and v.max is not None for v in field_obj.validators
        ):
            field_obj.validators = [
                *field_obj.validators,
                ma.validate.Range(-INT32_MAX - 1, INT32_MAX),
            ]


class ProblemSchema(Schema):
    """An `application/problem+json` body (RFC 9457)."""

    class Meta(Schema.Meta):
        unknown = ma.INCLUDE  # extension members (e.g. `missing`, `report`) are part of RFC 9457

    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String()
    instance = ma.fields.String()
    errors = ma.fields.Dict(metadata={"description": "Per field: a list of messages"})


def schema_name(schema) -> str:
    """OpenAPI component names: `Unit`, `UnitPatch` (partial), `UnitList` are told apart."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    if not isinstance(schema, type):
        if schema.partial:
            name += "Patch"
        if schema.only or schema.exclude:
            return ""  # inline: a subset is not a reusable component
    return name


class Int32Converter(IntegerConverter):
    """`<int:...>` in routes, bounded: a huge id answers 404 instead of overflowing the DB."""

    def __init__(self, map, fixed_digits=0, min=None, max=INT32_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app=None, *, spec_kwargs=None, **kwargs):
        spec_kwargs = {
            "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name),
            **(spec_kwargs or {}),
        }
        super().__init__(app, spec_kwargs=spec_kwargs, **kwargs)

    def init_app(self, app, *, spec_kwargs=None):
        app.url_map.converters["int"] = Int32Converter  # before any route is registered
        super().init_app(app, spec_kwargs=spec_kwargs)

    def handle_http_exception(self, error):
        return problems.handle_http_exception(error)

    def _register_pagination_header(self):
        """X-Pagination as it is sent: a header whose value is a JSON object (a string)."""
        header = {
            "description": "Pagination metadata, a JSON object serialised in the header value",
            "content": {"application/json": {"schema": PaginationMetadataSchema}},
        }
        self.spec.components.header("PAGINATION", header, lazy=True)

    def _register_etag_headers(self):
        """The ETag header as app.api.etag describes it (its If-Match and If-None-Match
        parameters are written into each operation)."""
        self.spec.components.header("ETAG", etag.ETAG_HEADER, lazy=True)

    def _register_responses(self):
        """Register a problem+json response component per status code, as smorest does.

        Names come from every HTTPStatus alias plus the RFC 9110 names, so a view may say
        `UNPROCESSABLE_CONTENT` on Python 3.11 too (only 3.13 knows that name).
        """
        names = {**http.HTTPStatus.__members__, **RFC9110_NAMES}
        for name, status in names.items():
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, problems.PROBLEM_MEDIA_TYPE)
            self.spec.components.response(name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, problems.PROBLEM_MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


@dataclass(frozen=True)
class Listing:
    """A select to page through, with a cheaper statement that counts the same rows.

    `parts`, when given, takes the count and returns selects whose rows, one part after the
    other, are exactly `select`'s rows in its order: a page is read from the parts (each in
    its own index order, no sort over every match) and `select` is not run."""

    select: object
    count: object
    parts: Callable[[int], tuple] | None = None


class Page(flask_smorest.Page):
    """Pagination over a SQLAlchemy select (or a Listing): counts and slices in the database."""

    def __init__(self, collection, page_params: PaginationParameters):
        super().__init__(collection, page_params)

    @property
    def items(self):
        from app.extensions import db  # local: the API glue must not import models at load

        if self.page_params.first_item > INT32_MAX:
            return []  # far past the end: empty, as any page past the last one
        collection = self.collection
        first, size = self.page_params.first_item, self.page_params.page_size
        if isinstance(collection, Listing):
            if collection.parts:
                total = self.page_params.item_count
                return _page_of_parts(db.session, collection.parts(total), first, size, total)
            collection = collection.select
        return db.session.scalars(collection.limit(size).offset(first)).all()

    @property
    def item_count(self):
        from sqlalchemy import func

        from app.extensions import db

        if isinstance(self.collection, Listing):
            return db.session.scalar(self.collection.count)
        # count(*) over the same FROM and WHERE (collections here never group or limit)
        count = self.collection.with_only_columns(func.count(), maintain_column_froms=True)
        return db.session.scalar(count.order_by(None))


def _page_of_parts(session, parts: tuple, first: int, size: int, total: int) -> list:
    """Rows first..first+size of the parts read one after the other, `total` rows in all. A
    part is counted only when the page starts past its end; no part is read once the page
    holds the last row."""
    from sqlalchemy import func

    found: list = []
    end = min(first + size, total)  # one past the page's last row
    for part in parts:
        if first >= end:
            break
        rows = session.scalars(part.limit(end - first).offset(first)).all()
        found += rows
        if rows:  # the part ended inside the page: the next one starts at its beginning
            first, end = 0, end - first - len(rows)
        else:
            count = part.with_only_columns(func.count(), maintain_column_froms=True)
            counted = session.scalar(count.order_by(None))
            first, end = first - counted, end - counted
    return found


class Parser(CheckedParser):
    """webargs' parser plus `multipart`: the form fields and files of one multipart body,
    read by one schema (so the document has one `multipart/form-data` request body)."""

    __location_map__ = dict(FlaskParser.__location_map__, multipart="load_multipart")

    def load_multipart(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class Blueprint(flask_smorest.Blueprint):
    """Blueprint whose views must declare who may call them."""

    ARGUMENTS_PARSER = Parser()
    # ETags are app.api.etag's (a row's version or a content hash), not flask-smorest's.
    _prepare_etag_doc = staticmethod(etag.document)
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **flask_smorest.Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }

    def auth_required(self, *roles: str) -> Callable:
        """Allow signed-in users with one of `roles` (all roles when none are named).

        Documents 401/403 in the OpenAPI spec. Cookie-authenticated writes also need the
        CSRF token (see app.auth.current).
        """
        allowed = tuple(roles) or ROLES
        unknown = set(allowed) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown roles {unknown}")

        def decorator(func):
            @functools.wraps(func)
            def wrapper(*args, **kwargs):
                from app.auth.current import require_user

                user = require_user(csrf=request.method not in SAFE_METHODS)
                if user.role not in allowed:
                    raise Forbidden("Rollen din gir ikke tilgang til dette.")
                check_request()
                return func(*args, **kwargs)

            wrapper._auth_roles = allowed
            wrapper = self.alt_response(401, response="UNAUTHORIZED")(wrapper)
            wrapper = self.alt_response(403, response="FORBIDDEN")(wrapper)
            return self.doc(security=[{"cookieAuth": []}, {"bearerAuth": []}])(wrapper)

        return decorator

    def deprecated(
        self, *, since: datetime.date, sunset: datetime.date | None = None, link: str | None = None
    ) -> Callable:
        """Announce that an operation (or a field it returns) is going away: `deprecated` in
        the document, and on every answer `Deprecation` (RFC 9745, the date it was
        deprecated), `Sunset` (RFC 8594, the earliest removal date) and a `Link` to what
        replaces it. See docs/integration.md (versioning policy)."""
        headers = {"Deprecation": f"@{_unix(since)}"}
        if sunset is not None:
            headers["Sunset"] = http_date(_unix(sunset))
        if link is not None:
            headers["Link"] = f'<{link}>; rel="deprecation"; type="text/html"'

        def decorator(func):
            @functools.wraps(func)
            def wrapper(*args, **kwargs):
                @after_this_request
                def announce(response):
                    response.headers.update(headers)
                    return response

                return func(*args, **kwargs)

            return self.doc(deprecated=True)(wrapper)

        return decorator

    def documents(self, schema, status: int = 200, description: str = "OK") -> Callable:
        """Document the success body of a view that builds it itself (`@response(status)`
        without a schema): the schema describes it for the OpenAPI document and clients,
        and does not filter what is sent."""
        content = {"application/json": {"schema": schema}}
        return self.doc(responses={str(status): {"description": description, "content": content}})

    @staticmethod
    def public(func: Callable) -> Callable:
        """Mark a view as open to anonymous callers (login, health, spec only)."""

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            check_request()
            return func(*args, **kwargs)

        wrapper._auth_roles = "public"
        return wrapper


def _unix(day: datetime.date) -> int:
    return int(datetime.datetime.combine(day, datetime.time(), datetime.UTC).timestamp())


def current_user():
    """The signed-in user of this request (set by auth_required)."""
    return g.user
