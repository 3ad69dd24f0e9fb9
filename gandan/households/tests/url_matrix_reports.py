"""Rows of the persona × URL matrix for the poverty report screen and its downloads.

Both are asked for commune A (19789) in the review of 2025: its officer and viewer see it,
and so does the province leader, whose scope covers it; the officer of commune B gets 404,
as for a unit that does not exist; an anonymous visitor is sent to the login page. (The
leader's province, B's officer on B, and the other refusals are in test_report_screens.py.)
"""

from __future__ import annotations

from gandan.core.testing.url_matrix import SCOPED_PAGE, Row

URLS: dict[str, Row] = {
    "households/": Row(lambda p: f"/households/?unit={p.commune_a.code}&year=2025", SCOPED_PAGE),
    "households/export/": Row(
        lambda p: f"/households/export/?unit={p.commune_a.code}&year=2025&format=xlsx",
        SCOPED_PAGE,
    ),
}
