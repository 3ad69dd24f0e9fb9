"""The persona × URL matrix: every URL of the project, and what each persona must get from it.

Each app declares its rows in ``gandan/<app>/tests/url_matrix*.py`` as ``URLS: dict[str, Row]``
(route pattern → row); :func:`all_rows` collects them.
``gandan/portal/tests/test_every_url_by_persona.py`` fails for any URL pattern that has no row,
and the page benchmark (``bench/bench_pages.py``) times every row a persona opens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib import import_module
from pathlib import Path
from typing import Any

from gandan.core.testing.personas import PERSONA_NAMES, Personas

SKIPPED_PREFIXES = ("admin/", "static/", "media/", "^static/", "^media/")
LOGIN = "login"  # expected: 302 to the login page


def expect(
    official_a: Any, viewer_a: Any, official_b: Any, leader: Any, anonymous: Any
) -> dict[str, Any]:
    return {
        "official_a": official_a,
        "viewer_a": viewer_a,
        "official_b": official_b,
        "leader": leader,
        "anonymous": anonymous,
    }


def everyone(status: int) -> dict[str, Any]:
    return dict.fromkeys(PERSONA_NAMES, status)


# The API to a caller without credentials: 401, with WWW-Authenticate naming the token scheme.
API_ANONYMOUS = 401
STAFF_ONLY = expect(200, 200, 200, 200, LOGIN)
API_SIGNED_IN = expect(200, 200, 200, 200, API_ANONYMOUS)  # DRF's default IsAuthenticated
# Something of commune A: its staff and the province read it, commune B finds nothing (404).
SCOPED_PAGE = expect(200, 200, 404, 200, LOGIN)
SCOPED_API = expect(200, 200, 404, 200, API_ANONYMOUS)
# A personal record of commune A (a household, a personnel file, a dossier): its staff and the
# province read it; a viewer reads figures only; anonymous: the login page (the API: 401).
RECORD_OF_A = expect(200, 404, 404, 200, LOGIN)
RECORD_OF_A_API = expect(200, 404, 404, 200, API_ANONYMOUS)


@dataclass(frozen=True)
class Row:
    url: Callable[[Personas], str]
    get: dict[str, Any]
    # For endpoints that change something: the form data and each persona's status.
    post_data: Callable[[Personas], dict[str, Any]] | None = None
    post: dict[str, Any] = field(default_factory=dict)


def format_suffixed(route: str) -> str:
    """The pattern Django REST framework's router adds beside ``route`` (ending in ``/$``) for
    a format suffix such as ``.json``."""
    return route.removesuffix("/$") + r"\.(?P<format>[a-z0-9]+)/?$"


def with_format_suffix(
    route: str, row: Row, *, json_url: Callable[[Personas], str] | None = None
) -> dict[str, Row]:
    """The rows of an API route and of its format-suffixed twin, which must answer alike.

    The twin is requested at the row's URL with ``.json`` for its last ``/``, or at ``json_url``.
    """

    def as_json(personas: Personas) -> str:
        return row.url(personas).removesuffix("/") + ".json"

    return {route: row, format_suffixed(route): replace(row, url=json_url or as_json)}


def all_rows() -> dict[str, Row]:
    """Every app's rows, from ``gandan/<app>/tests/url_matrix*.py``; a route declared twice is
    an error."""
    rows: dict[str, Row] = {}
    root = Path(__file__).resolve().parents[2]
    for path in sorted(root.glob("*/tests/url_matrix*.py")):
        module = import_module(f"gandan.{path.parent.parent.name}.tests.{path.stem}")
        duplicated = set(rows) & set(module.URLS)
        if duplicated:
            raise ValueError(f"{path} repeats rows: {sorted(duplicated)}")
        rows.update(module.URLS)
    return rows
