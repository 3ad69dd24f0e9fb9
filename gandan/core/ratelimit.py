"""One limiter for forms and public endpoints: a fixed window counted in the shared cache.

The cache is shared by every process of the server (Redis in production, files under var/ in
the embedded mode), so two workers count the same attempts. The API uses DRF's throttles, which
count in the same cache.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address the connection came from.

    Behind a reverse proxy, the proxy must put the real address in REMOTE_ADDR; trusting a
    client-sent X-Forwarded-For would let anyone dodge a limit.
    """
    return str(request.META.get("REMOTE_ADDR") or "unknown")


@dataclass(frozen=True)
class Limit:
    """At most ``count`` attempts per ``window_s`` seconds for one client under ``name``."""

    name: str
    count: int
    window_s: int

    def _key(self, request: HttpRequest) -> str:
        return f"ratelimit:{self.name}:{client_address(request)}"

    def exceeded(self, request: HttpRequest) -> bool:
        """Whether the client has used up its attempts (without counting this one)."""
        return int(cache.get(self._key(request), 0)) >= self.count

    def hit(self, request: HttpRequest) -> None:
        """Count one attempt. The window opens with the first; ``incr`` keeps its expiry."""
        key = self._key(request)
        if not cache.add(key, 1, self.window_s):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, self.window_s)

    def check_and_hit(self, request: HttpRequest) -> bool:
        """Count this attempt; True when it goes over the limit (the caller refuses it)."""
        if self.exceeded(request):
            return True
        self.hit(request)
        return False
