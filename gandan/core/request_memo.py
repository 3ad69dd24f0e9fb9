"""What one request asks again and again, answered once: the user's memberships and the roots
of their scope, which every ``access_*`` and ``may_*`` call of a page reads (the menu alone
asks five rules).

:class:`RequestMemoMiddleware` opens a memo for each request and drops it at the end, so a
value lives no longer than the request that computed it; outside a request (commands, jobs,
tests calling a function) nothing is kept and every call asks the database. A service that
changes memberships calls :func:`forget` so that the rest of its request sees the change.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")
_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("gandan_request_memo", default=None)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per request for ``key``."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    value: T = memo[key]
    return value


def forget() -> None:
    """Drop what this request has kept (after a change to memberships)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


class RequestMemoMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
