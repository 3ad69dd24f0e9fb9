"""Requests that run too long are stopped in the database and answered 503.

A web request has ``settings.GANDAN_REQUEST_TIMEOUT`` seconds (0: no limit) of database work.
On PostgreSQL the web server's connections carry ``statement_timeout`` (set in settings for
the process started by ``gandan.wsgi``; commands and the background worker, whose work may be
long on purpose, have none). On SQLite, which has no such setting, a progress handler on every
connection interrupts a statement once the current request's deadline has passed; outside a
request there is no deadline. Either way the middleware turns the cancelled statement into a
503 with a Vietnamese message (and ``{"code": "request_timeout"}`` for the APIs); the
transaction is rolled back, so nothing half-done is kept.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

MESSAGE = (
    "Yêu cầu chạy quá lâu nên đã được dừng lại; dữ liệu không bị thay đổi. "
    "Xin thu hẹp phạm vi (đơn vị, năm, bộ lọc) rồi thử lại."
)
# How many SQLite virtual-machine steps run between two looks at the clock.
SQLITE_CHECK_EVERY = 20_000

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "gandan_request_deadline", default=None
)


def _past_deadline() -> int:
    deadline = _deadline.get()
    return int(deadline is not None and time.monotonic() > deadline)


def on_connection_created(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Give every SQLite connection the progress handler that enforces a request's deadline."""
    if connection.vendor == "sqlite":
        connection.connection.set_progress_handler(_past_deadline, SQLITE_CHECK_EVERY)


def is_timeout(error: BaseException) -> bool:
    """Whether a database error is a statement stopped by the request's time limit."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if cause is not None and type(cause).__name__ == "QueryCanceled":  # PostgreSQL
        return True
    return str(error) == "interrupted"  # SQLite, when the progress handler said stop


class RequestTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.GANDAN_REQUEST_TIMEOUT
        token = _deadline.set(time.monotonic() + seconds if seconds else None)
        try:
            return self.get_response(request)
        finally:
            _deadline.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_timeout(exception):
            return None
        if request.path.startswith(("/api/", "/open311/")):
            return JsonResponse({"code": "request_timeout", "detail": MESSAGE}, status=503)
        html = render_to_string("503.html", {"message": MESSAGE}, request=request)
        return HttpResponse(html, status=503)
