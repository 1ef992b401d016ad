"""Schemathesis against the app's own OpenAPI document: every operation, signed in as each role.

Checks: no 5xx, every error is problem+json, and responses match the documented schemas.
Bounded for CI by FUZZ_EXAMPLES (default 6 per operation and role); a longer run:
    FUZZ_EXAMPLES=200 pytest tests/reliability/test_fuzz.py
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.auth.roles import ROLES
from tests.reliability.world import build_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
PROBLEM = "application/problem+json"


def problem_json(ctx, response, case):
    """Every error answer is an RFC 9457 problem document."""
    if response.status_code < 400:
        return None
    media_type = response.headers.get("content-type", [""])[0].split(";")[0]
    assert media_type == PROBLEM, f"{response.status_code} answered as {media_type!r}"
    body = response.json()
    assert body["status"] == response.status_code and body["title"] and body["type"], body
    return None


CHECKS = [
    not_a_server_error,
    problem_json,
    response_schema_conformance,
    content_type_conformance,
    status_code_conformance,
]


# Negative data (bodies, query strings and path parameters that break the documented schema):
# the answer may be any 4xx, but never a 5xx and always a problem document.
NEGATIVE_CHECKS = [not_a_server_error, problem_json]


def fuzz(
    operation, headers, path_parameters, mode=GenerationMode.POSITIVE, checks=CHECKS
) -> list[str]:
    """Run one operation's examples; return the failures (the first per operation)."""
    failures: list[str] = []
    known = {
        p.name: path_parameters[p.name]
        for p in operation.path_parameters
        if p.name in path_parameters
    }

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode, path_parameters=known or None))
    def run(case):
        if failures:
            return
        response = case.call(headers=headers, buffered=True)  # closes streamed files
        try:
            case.validate_response(response, checks=checks)
        except FailureGroup as error:
            failures.append(f"{operation.label}: {error}\n  {case.as_curl_command()}")

    try:
        run()
    except Unsatisfiable:
        if mode != GenerationMode.NEGATIVE:
            raise  # negative mode: an operation without inputs has nothing to break
    return failures


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_as_each_role(app, as_role, role):
    world = build_world(as_role)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        failures += fuzz(operation, world.headers(role), world.ids)
    assert not failures, "\n\n".join(failures)


def test_negative_data_never_gives_a_server_error(app, as_role):
    """Schemathesis' negative mode against every operation as an administrator, the role that
    reaches every view (the public ones, such as sign-in, ignore the token)."""
    world = build_world(as_role)
    headers = world.headers("admin")
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        failures += fuzz(operation, headers, world.ids, GenerationMode.NEGATIVE, NEGATIVE_CHECKS)
    assert not failures, "\n\n".join(failures)
