"""Signed-in sessions end when left idle, and in any case some hours after signing in.

The session keeps when it signed in and when it was last seen. The last-seen time is written
at most once a minute, so a busy officer's clicks do not each write the session; the idle limit
is therefore kept to the minute. A session past either limit is signed out before the view
runs: a page then asks to sign in again (with a message why), the API answers as to anyone
without credentials.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SIGNED_IN = "gandan_signed_in"
LAST_SEEN = "gandan_last_seen"
SEEN_EVERY_S = 60


def session_expired(session: dict[str, float], now: float) -> str | None:
    """Why the session has ended (a Vietnamese sentence), or None while it is valid."""
    idle_min = settings.GANDAN_SESSION_IDLE_MINUTES
    if now - session.get(LAST_SEEN, now) > idle_min * 60:
        return f"Phiên làm việc đã kết thúc vì không thao tác trong {idle_min} phút."
    hours = settings.GANDAN_SESSION_HOURS
    if now - session.get(SIGNED_IN, now) > hours * 3600:
        return f"Phiên làm việc đã kết thúc sau {hours} giờ kể từ khi đăng nhập."
    return None


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.get("_auth_user_id") is not None:
            now = time.time()
            reason = session_expired(session, now)
            if reason:
                logout(request)
                messages.info(request, f"{reason} Xin đăng nhập lại.")
            else:
                session.setdefault(SIGNED_IN, now)
                if now - session.get(LAST_SEEN, 0) >= SEEN_EVERY_S:
                    session[LAST_SEEN] = now
        return self.get_response(request)


def stamp_sign_in(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """On ``user_logged_in``: the limits count from this moment."""
    now = time.time()
    request.session[SIGNED_IN] = now
    request.session[LAST_SEEN] = now
