"""One limiter for forms and public endpoints: a fixed window counted in the shared cache.

The cache is shared by every process of the server (Redis in production, files under var/ in
the embedded mode), so two workers count the same attempts. The API uses DRF's throttles, which
count in the same cache.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from gandan.core.clients import client_address


@dataclass(frozen=True)
class Limit:
    """At most ``count`` attempts per ``window_s`` seconds for one client under ``name``."""

    name: str
    count: int
    window_s: int

    def _key(self, request: HttpRequest) -> str:
        return f"ratelimit:{self.name}:{client_address(request)}"

    def _window(self, request: HttpRequest) -> tuple[float, int] | None:
        """The open window of this client: (when it opened, attempts counted), or None."""
        found = cache.get(self._key(request))
        if not found:
            return None
        opened, count = found
        return (opened, count) if time.time() - opened < self.window_s else None

    def exceeded(self, request: HttpRequest) -> bool:
        """Whether the client has used up its attempts (without counting this one)."""
        window = self._window(request)
        return window is not None and window[1] >= self.count

    def hit(self, request: HttpRequest) -> None:
        """Count one attempt. A window opens with the first attempt and lasts ``window_s``.

        The window's opening time travels with its count, so every cache backend (Redis,
        files) keeps the same window; two processes counting at the same instant may count
        one attempt too few, which a limit on abuse can bear.
        """
        now = time.time()
        opened, count = self._window(request) or (now, 0)
        remaining = max(1, int(opened + self.window_s - now) + 1)
        cache.set(self._key(request), (opened, count + 1), remaining)

    def check_and_hit(self, request: HttpRequest) -> bool:
        """Count this attempt; True when it goes over the limit (the caller refuses it)."""
        if self.exceeded(request):
            return True
        self.hit(request)
        return False
