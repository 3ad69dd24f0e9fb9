"""Rows of the persona × URL matrix for the printable forms and the rating kiosk (staff).

:func:`received_of_a` is a dossier received at commune A's desk by ``official_a``;
:func:`returned_of_a` one received, handled and returned there (ready to be rated). Dates are
passed explicitly (March 2026), so the rows do not depend on today. The screen tests use them.
"""

from __future__ import annotations

from typing import Any

from gandan.core.testing.personas import Personas, kept_on_personas
from gandan.core.testing.url_matrix import LOGIN, RECORD_OF_A, Row, expect
from gandan.onestop import services
from gandan.onestop.models import RATING_CRITERIA, Dossier
from gandan.onestop.tests.factories import MARITAL, at, receive


@kept_on_personas
def received_of_a(personas: Personas) -> Dossier:
    return receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 8), actor=personas.official_a)


@kept_on_personas
def returned_of_a(personas: Personas) -> Dossier:
    found = receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 9), actor=personas.official_a)
    services.dossier_forward(dossier=found, to_user=personas.official_a, at=at(2026, 3, 2, 10))
    services.dossier_forward(dossier=found, at=at(2026, 3, 3, 9))
    services.dossier_finish(
        dossier=found,
        result_note="Đã cấp giấy chứng nhận kết hôn",
        electronic=True,
        at=at(2026, 3, 4, 9),
        actor=personas.official_a,
    )
    services.dossier_return(dossier=found, at=at(2026, 3, 4, 10), actor=personas.official_a)
    return found


def rating_data(personas: Personas) -> dict[str, Any]:
    return {**{code: "5" for code, _label in RATING_CRITERIA}, "comment": "Cán bộ nhiệt tình."}


URLS: dict[str, Row] = {
    "onestop/<int:pk>/forms/<str:form>.pdf": Row(
        lambda p: f"/onestop/{received_of_a(p).pk}/forms/01.pdf",
        RECORD_OF_A,
    ),
    "onestop/<int:pk>/rate/": Row(
        lambda p: f"/onestop/{returned_of_a(p).pk}/rate/",
        # The kiosk is the desk's: only staff who may work on the dossier open it.
        expect(200, 404, 404, 404, LOGIN),
        post_data=rating_data,
        post=expect(200, 404, 404, 404, LOGIN),
    ),
}
