"""A web request whose database work runs past ``GANDAN_REQUEST_TIMEOUT`` is stopped and
answered 503, with nothing written; outside requests there is no limit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from gandan.core.timeouts import RequestTimeoutMiddleware

# Counts far enough to take minutes if nothing stops it.
ENDLESS = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) "
    "SELECT count(*) FROM c"
)


def _slow_view(request: HttpRequest) -> HttpResponse:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What the web server's connections carry (settings, GANDAN_PROCESS=web).
            cursor.execute("SET LOCAL statement_timeout = 500")
        cursor.execute(ENDLESS)
    return HttpResponse("done")


def _through_middleware(path: str) -> HttpResponse:
    middleware = RequestTimeoutMiddleware(_slow_view)
    request = RequestFactory().get(path)
    try:
        return middleware(request)
    except Exception as error:
        response = middleware.process_exception(request, error)
        if response is None:
            raise
        return response


@pytest.mark.django_db(transaction=True)
@override_settings(GANDAN_REQUEST_TIMEOUT=1)
@pytest.mark.parametrize("path", ["/households/", "/api/v1/households/"])
def test_a_request_past_its_time_is_stopped_and_answered_503(path: str) -> None:
    started = time.monotonic()
    response = _through_middleware(path)
    assert time.monotonic() - started < 10
    assert response.status_code == 503
    if path.startswith("/api/"):
        assert json.loads(response.content)["code"] == "request_timeout"
    else:
        assert "Yêu cầu chạy quá lâu" in response.content.decode()


@pytest.mark.django_db
def test_outside_a_request_there_is_no_limit() -> None:
    with override_settings(GANDAN_REQUEST_TIMEOUT=1), connection.cursor() as cursor:
        cursor.execute(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10) "
            "SELECT count(*) FROM c"
        )
        assert cursor.fetchone()[0] == 10


def test_only_the_web_process_gets_a_statement_timeout_on_postgresql() -> None:
    def options(**env: str) -> dict[str, object]:
        code = (
            "import django, json; django.setup(); from django.conf import settings; "
            "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
        )
        result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
            [sys.executable, "-c", code],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "gandan.settings",
                "DATABASE_URL": "postgres://gandan@127.0.0.1:5432/gandan",
                "GANDAN_REQUEST_TIMEOUT": "20",
                **env,
            },
            capture_output=True,
            text=True,
            check=True,
        )
        return dict(json.loads(result.stdout))

    assert "statement_timeout=20000" in str(options(GANDAN_PROCESS="web").get("options"))
    assert "statement_timeout" not in str(options(GANDAN_PROCESS="").get("options"))
