"""Rows of the persona × URL matrix for the public pages of the one-stop desk (/dossiers/).

Everyone gets the same answer: nobody signs in to look up a dossier or to rate it by link.
"""

from __future__ import annotations

from typing import Any

from gandan.core.testing.personas import Personas
from gandan.core.testing.url_matrix import Row, everyone
from gandan.onestop.tests.factories import APPLICANT
from gandan.onestop.tests.url_matrix_forms import rating_data, received_of_a, returned_of_a
from gandan.onestop.views_public import rating_token


def lookup_data(personas: Personas) -> dict[str, Any]:
    return {"code": received_of_a(personas).code, "digits": APPLICANT.citizen_id[-4:]}


URLS: dict[str, Row] = {
    "dossiers/procedures/": Row(lambda p: "/dossiers/procedures/?q=khai sinh", everyone(200)),
    "dossiers/lookup/": Row(
        lambda p: f"/dossiers/lookup/?code={received_of_a(p).code}",
        everyone(200),
        post_data=lookup_data,
        post=everyone(200),
    ),
    "dossiers/rate/<str:token>/": Row(
        lambda p: f"/dossiers/rate/{rating_token(returned_of_a(p))}/",
        everyone(200),
        post_data=rating_data,
        post=everyone(200),
    ),
}
