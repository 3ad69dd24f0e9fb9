"""Response headers and file modes that keep personal data where it belongs.

- ``NoStoreMiddleware``: every page and API answer the application makes is ``no-store``
  unless its view chose its own ``Cache-Control`` (a public photo revalidates, for instance):
  almost every page carries personal data or a person's own view of the system, and a browser
  or proxy must not keep a copy. Static files are served by whitenoise before this runs and
  keep their long caching.
- ``NullCharacterMiddleware``: a path, query or form value with a NUL character (``\x00``) is
  refused with a 400 before any view runs: PostgreSQL cannot store it in a text column (it
  would be a server error there) and no field of ours asks for one. JSON bodies are checked by
  DRF's own fields.
- ``owner_only``: the embedded database and ``var/`` are readable by the server's own account
  only (0700 for folders, 0600 for files).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

NUL = "\x00"
NUL_MESSAGE = "Không được chứa ký tự NUL (\\x00)."
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


def fields_with_nul(request: HttpRequest) -> list[str]:
    """The names of the request's values that hold a NUL: ``path``, query and form fields."""
    found = ["path"] if NUL in request.path else []
    sources = [request.GET]
    if request.method == "POST" and request.content_type in FORMS:
        sources.append(request.POST)
    for source in sources:
        for name, values in source.lists():
            if NUL in name or any(NUL in value for value in values):
                found.append(name.replace(NUL, "\\x00"))
    return found


class NullCharacterMiddleware:
    """Refuse a NUL anywhere in the path, the query or a form: 400 in the API's error shape
    under ``/api/``, the 400 page elsewhere. A view marked ``null_characters_checked`` (Open311,
    which answers in its standard's format) checks by itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if getattr(view, "null_characters_checked", False):
            return None
        found = fields_with_nul(request)
        if not found:
            return None
        if request.path.startswith("/api/"):
            body = {
                "code": "invalid",
                "detail": "Dữ liệu không hợp lệ.",
                "fields": {name: [NUL_MESSAGE] for name in found},
                "field_codes": {name: ["null_characters"] for name in found},
            }
            return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
        return render(request, "400.html", status=400)


def owner_only(path: Path) -> None:
    """Take away the group's and others' rights on a file or folder (if it exists)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    wanted = 0o700 if stat.S_ISDIR(mode) else 0o600
    if stat.S_IMODE(mode) & ~wanted:
        os.chmod(path, stat.S_IMODE(mode) & wanted)


_checked: set[str] = set()


def on_sqlite_connection(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """The SQLite file and its journal files: owner only (once per file and process)."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    if name in _checked or name == ":memory:" or name.startswith("file:"):
        return
    _checked.add(name)
    for suffix in ("", "-wal", "-shm"):
        owner_only(Path(name + suffix))
