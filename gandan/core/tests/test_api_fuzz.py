"""The whole API fuzzed from its own OpenAPI schema (docs/security.md, "Fuzzing").

Schemathesis reads ``/api/v1/schema/`` from the application and sends every operation
generated requests, valid and invalid: no answer may be a server error, and every documented
answer must match the schema. It runs signed in (a commune officer, with a dossier, a report,
a household under review, a meeting's task and an official of the commune to find) and
anonymously against the public endpoints. Open311 has no OpenAPI schema: it is fuzzed by
``feedback/tests/test_open311_fuzz.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from gandan.accounts.services import token_renew
from gandan.core.testing.personas import Personas
from gandan.feedback.tests.meeting_fixtures import meeting_task
from gandan.feedback.tests.url_matrix_staff import report_of_a
from gandan.households.tests.url_matrix_api import household_of_a, review_of_a
from gandan.officials.tests.url_matrix_people import official_of_a
from gandan.onestop.tests.factories import MARITAL
from gandan.onestop.tests.url_matrix_api import dossier_of_a

# About a minute on each database (2 cores), with the set-up: the slow step (`make test`).
pytestmark = pytest.mark.slow

CHECKS = [not_a_server_error, response_schema_conformance]
# Enough to reach every parameter of every operation, beside schemathesis' coverage cases.
FUZZ = hypothesis.settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
# The endpoints anyone may read without signing in.
PUBLIC = r"^/api/v1/(units|procedures|meetings|poverty/standards|reports)/"


# Read when the module is collected: the schema view needs no database (pytest-django would
# refuse it here). Not through a fixture: schemathesis' lazy loader does not run on pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", WSGIHandler())


@pytest.fixture(autouse=True)
def _in_test_transaction(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[None]:
    # As Django's test client does: a request must not close the connection that holds the
    # test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # Thousands of requests in a minute: the fuzz is not about throttling.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})
    # The personas are made again for each operation: their passwords need no strong hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Path parameters that name a real row of commune A, so that detail operations are fuzzed past
# their 404 too: the operation's path prefix, its parameter, the row (made on first use).
REAL_ROWS: list[tuple[str, str, Callable[[Personas], Any]]] = [
    ("/api/v1/dossiers/", "code", lambda p: dossier_of_a(p).code),
    ("/api/v1/feedback/reports/", "code", lambda p: report_of_a(p).code),
    ("/api/v1/poverty/reviews/", "id", lambda p: review_of_a(p).pk),
    ("/api/v1/households/", "id", lambda p: household_of_a(p).pk),
    ("/api/v1/meetings/", "id", lambda p: meeting_task(p).opinion.meeting_id),
    ("/api/v1/tasks/", "id", lambda p: meeting_task(p).pk),
    ("/api/v1/officials/", "id", lambda p: official_of_a(p).pk),
    ("/api/v1/units/", "id", lambda p: p.commune_a.pk),
    ("/api/v1/procedures/", "code", lambda p: MARITAL),
    ("/api/v1/poverty/standards/", "code", lambda p: "nd-07-2021"),
    ("/api/v1/reports/", "name", lambda p: "units"),
]


@pytest.fixture
def token(personas: Personas) -> str:
    """The API token of a commune officer of commune A."""
    return token_renew(user=personas.official_a)


def _run(case: schemathesis.Case, personas: Personas, headers: dict[str, str]) -> None:
    """The generated request, then, for a detail operation, the same at a real row."""
    case.call_and_validate(headers=headers, checks=CHECKS)
    if not case.path_parameters:
        return
    for prefix, name, row in REAL_ROWS:
        if case.path.startswith(prefix) and name in case.path_parameters:
            case.path_parameters = {**case.path_parameters, name: str(row(personas))}
            case.call_and_validate(headers=headers, checks=CHECKS)
            return


@schema.parametrize()
@FUZZ
def test_the_api_signed_in(case: schemathesis.Case, personas: Personas, token: str) -> None:
    _run(case, personas, {"Authorization": f"Token {token}"})


@schema.include(path_regex=PUBLIC).parametrize()
@FUZZ
def test_the_public_api_anonymously(case: schemathesis.Case, personas: Personas) -> None:
    _run(case, personas, {})
