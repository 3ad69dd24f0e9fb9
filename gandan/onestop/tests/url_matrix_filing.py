"""Rows of the persona × URL matrix for online filing on the portal (/dossiers/file/)."""

from __future__ import annotations

from typing import Any

from gandan.core.testing.personas import Personas
from gandan.core.testing.url_matrix import Row, everyone
from gandan.onestop.tests.factories import MARITAL


def filing_data(personas: Personas) -> dict[str, Any]:
    # No file for the required form: the desk's rule refuses it, for everyone alike (400).
    return {
        "commune": personas.commune_a.code,
        "procedure": MARITAL,
        "name": "Hoàng Thị Thu",
        "citizen_id": "046190009876",
    }


URLS: dict[str, Row] = {
    "dossiers/file/": Row(
        lambda p: f"/dossiers/file/?commune={p.commune_a.code}&procedure={MARITAL}",
        everyone(200),
        post_data=filing_data,
        post=everyone(400),
    ),
}
