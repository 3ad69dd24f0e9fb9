"""Response headers and file modes that keep personal data where it belongs.

- ``NoStoreMiddleware``: every page and API answer the application makes is ``no-store``
  unless its view chose its own ``Cache-Control`` (a public photo revalidates, for instance):
  almost every page carries personal data or a person's own view of the system, and a browser
  or proxy must not keep a copy. Static files are served by whitenoise before this runs and
  keep their long caching.
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
from django.http import HttpRequest, HttpResponse


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


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
