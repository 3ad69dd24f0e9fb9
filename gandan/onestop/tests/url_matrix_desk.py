"""Rows of the persona × URL matrix for the one-stop desk screens.

:func:`desk_dossier_of_a` receives a marital-status dossier at commune A's counter through the
real service (now, since the services refuse future times) the first time a row asks, and keeps
it on the (per-test) personas object; :func:`desk_apology_of_a` drafts (and, if asked, approves)
an apology for it. The screen tests use them too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gandan.core.testing.personas import Personas, kept_on_personas
from gandan.core.testing.url_matrix import LOGIN, RECORD_OF_A, STAFF_ONLY, Row, expect
from gandan.onestop import services
from gandan.onestop.models import Apology, ApologyStatus, Channel, Dossier
from gandan.onestop.tests.factories import APPLICANT, MARITAL, procedure, required


@kept_on_personas
def desk_dossier_of_a(personas: Personas) -> Dossier:
    """A dossier received at commune A's counter by official_a, at step 1."""
    return services.dossier_receive(
        unit=personas.commune_a,
        procedure=procedure(MARITAL),
        applicant=APPLICANT,
        documents=required(MARITAL),
        actor=personas.official_a,
    )


def desk_apology_of_a(personas: Personas, *, approved: bool = False) -> Apology:
    dossier = desk_dossier_of_a(personas)
    apology = dossier.apologies.first()
    if apology is None:
        assert dossier.appointment_at is not None
        apology = services.apology_draft(
            dossier=dossier,
            reason="Cần xác minh tình trạng hôn nhân tại nơi cư trú trước.",
            new_appointment_at=dossier.appointment_at + dt.timedelta(days=7),
            actor=personas.official_a,
        )
    if approved and apology.status == ApologyStatus.DRAFT:
        services.apology_approve(apology=apology, actor=personas.leader)
    return apology


def receive_data(personas: Personas) -> dict[str, Any]:
    return {
        "procedure": procedure(MARITAL).pk,
        "unit": personas.commune_a.pk,
        "applicant_name": "Nguyễn Văn An",
        "applicant_id": "046090005678",
        "applicant_phone": "0914222333",
        "documents": required(MARITAL),
        "channel": str(Channel.COUNTER),
    }


def _dossier(personas: Personas, suffix: str = "") -> str:
    return f"/onestop/{desk_dossier_of_a(personas).pk}/{suffix}"


def _apology(personas: Personas, verb: str, *, approved: bool) -> str:
    return f"/onestop/apologies/{desk_apology_of_a(personas, approved=approved).pk}/{verb}/"


POST_ONLY = expect(405, 405, 405, 405, LOGIN)
RECEIVERS = expect(200, 403, 200, 403, LOGIN)  # a writing role in some commune

URLS: dict[str, Row] = {
    "onestop/": Row(lambda p: "/onestop/", STAFF_ONLY),
    "onestop/receive/": Row(
        lambda p: f"/onestop/receive/?procedure={procedure(MARITAL).pk}",
        RECEIVERS,
        post_data=receive_data,
        # official_b receives for commune B only: commune A is not a choice of the form.
        post=expect(302, 403, 400, 403, LOGIN),
    ),
    "onestop/<int:pk>/": Row(lambda p: _dossier(p), RECORD_OF_A),
    "onestop/<int:pk>/act/<slug:action>/": Row(
        lambda p: _dossier(p, "act/forward/"),
        POST_ONLY,
        post_data=lambda p: {"to_unit": p.commune_a.pk},
        post=expect(302, 404, 404, 404, LOGIN),
    ),
    "onestop/apologies/": Row(lambda p: "/onestop/apologies/", STAFF_ONLY),
    "onestop/apologies/<int:pk>/approve/": Row(
        lambda p: _apology(p, "approve", approved=False),
        POST_ONLY,
        post_data=lambda p: {},
        # Only a leader of the receiving unit or of the province approves.
        post=expect(403, 404, 404, 302, LOGIN),
    ),
    "onestop/apologies/<int:pk>/send/": Row(
        lambda p: _apology(p, "send", approved=True),
        POST_ONLY,
        post_data=lambda p: {},
        post=expect(302, 404, 404, 404, LOGIN),
    ),
}
