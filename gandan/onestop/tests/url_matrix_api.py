"""Rows of the persona × URL matrix for ``/api/v1/procedures/`` and ``/api/v1/dossiers/``."""

from __future__ import annotations

from typing import Any

from gandan.core.testing.personas import Personas, kept_on_personas
from gandan.core.testing.url_matrix import (
    API_ANONYMOUS,
    API_SIGNED_IN,
    RECORD_OF_A_API,
    Row,
    everyone,
    expect,
    with_format_suffix,
)
from gandan.onestop.models import Dossier
from gandan.onestop.tests.factories import MARITAL, at, receive, required


@kept_on_personas
def dossier_of_a(personas: Personas) -> Dossier:
    """A dossier received at commune A's desk (kept on the per-test personas object)."""
    return receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 8))


def receive_data(personas: Personas) -> dict[str, Any]:
    return {
        "unit": personas.commune_a.code,
        "procedure": MARITAL,
        "applicant_name": "Lê Văn Cường",
        "applicant_id": "046085004321",
        "documents": required(MARITAL),
    }


def forward_data(personas: Personas) -> dict[str, Any]:
    return {"action": "forward"}


def _dossier(personas: Personas, suffix: str = "/") -> str:
    return f"/api/v1/dossiers/{dossier_of_a(personas).code}{suffix}"


WRITERS_OF_A = expect(200, 404, 404, 404, API_ANONYMOUS)
# A writer of commune A receives there; B and the leader (read-only roles here) find no such unit.
RECEIVERS_OF_A = expect(201, 404, 404, 404, API_ANONYMOUS)
POST_ONLY = expect(405, 405, 405, 405, API_ANONYMOUS)

URLS: dict[str, Row] = {
    **with_format_suffix(
        "api/v1/^procedures/$", Row(lambda p: "/api/v1/procedures/", everyone(200))
    ),
    **with_format_suffix(
        r"api/v1/^procedures/(?P<code>[0-9]+\.[0-9]+)/$",
        Row(lambda p: f"/api/v1/procedures/{MARITAL}/", everyone(200)),
    ),
    **with_format_suffix(
        "api/v1/^dossiers/$",
        Row(
            lambda p: "/api/v1/dossiers/",
            API_SIGNED_IN,
            post_data=receive_data,
            post=RECEIVERS_OF_A,
        ),
    ),
    **with_format_suffix("api/v1/^dossiers/(?P<code>[^/.]+)/$", Row(_dossier, RECORD_OF_A_API)),
    **with_format_suffix(
        "api/v1/^dossiers/(?P<code>[^/.]+)/transitions/$",
        Row(
            lambda p: _dossier(p, "/transitions/"),
            RECORD_OF_A_API,
            post_data=forward_data,
            post=WRITERS_OF_A,
        ),
    ),
}
