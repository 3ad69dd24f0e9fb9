"""Rows of the persona × URL matrix for the officials report screens.

Each screen is asked for commune A (19789): its officer and viewer see it, and so does the
province leader, whose scope covers it; the officer of commune B gets 404, as for a unit that
does not exist; an anonymous visitor is sent to the login page. (The leader asking for the
whole province, and B's officer for B, are in test_report_screens.py.)
"""

from __future__ import annotations

from gandan.core.testing.url_matrix import SCOPED_PAGE, Row

SCREENS = {
    "officials/": "/officials/",
    "officials/standards/": "/officials/standards/",
    "officials/staffing/": "/officials/staffing/",
    "officials/leaders/": "/officials/leaders/",
    "officials/evaluations/": "/officials/evaluations/",
}


def _for_commune_a(path: str) -> Row:
    return Row(lambda p: f"{path}?unit={p.commune_a.code}", SCOPED_PAGE)


URLS: dict[str, Row] = {route: _for_commune_a(path) for route, path in SCREENS.items()}
