"""Rows of the persona × URL matrix for the one-stop dashboard.

Both URLs ask for commune A explicitly: its own official and viewer and the province leader
see it; commune B's official gets 404, as for a unit that does not exist.
"""

from __future__ import annotations

from gandan.core.testing.url_matrix import SCOPED_PAGE, Row

URLS: dict[str, Row] = {
    "onestop/dashboard/": Row(
        lambda p: f"/onestop/dashboard/?unit={p.commune_a.code}&preset=30", SCOPED_PAGE
    ),
    "onestop/dashboard/export/": Row(
        lambda p: f"/onestop/dashboard/export/?unit={p.commune_a.code}&preset=month&format=csv",
        SCOPED_PAGE,
    ),
}
