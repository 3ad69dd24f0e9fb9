"""Rows of the persona × URL matrix for the household registry screens.

The rows need a household in village ``hamlet_a`` of commune A: :func:`registry_household_of_a`
makes it through the real services the first time a row asks and keeps it on the (per-test)
personas object; the screen tests use it too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gandan.core.testing.personas import Personas, kept_on_personas
from gandan.core.testing.url_matrix import LOGIN, RECORD_OF_A, STAFF_ONLY, Row, expect
from gandan.households import services
from gandan.households.models import Household
from gandan.households.tests.factories import household

CITIZEN_ID = "046080001234"


@kept_on_personas
def registry_household_of_a(personas: Personas) -> Household:
    """Household RA-0001 of village ``hamlet_a`` (commune A), its head with a citizen ID."""
    found = household(
        personas.commune_a, hamlet=personas.hamlet_a, code="RA-0001", head_name="Lê Văn Tám"
    )
    services.member_add(
        household=found,
        full_name="Lê Văn Tám",
        birth_date=dt.date(1980, 4, 1),
        sex="male",
        relation="head",
        citizen_id=CITIZEN_ID,
    )
    return found


def _url(personas: Personas, suffix: str = "") -> str:
    return f"/households/registry/{registry_household_of_a(personas).pk}/{suffix}"


def create_data(personas: Personas) -> dict[str, Any]:
    return {
        "code": "RA-0100",
        "head_name": "Hoàng Thị Lụa",
        "unit": personas.commune_a.pk,
        "hamlet": personas.hamlet_a.pk,
    }


def move_data(personas: Personas) -> dict[str, Any]:
    return {"unit": personas.commune_a.code, "hamlet": personas.hamlet_a.pk, "on": "2026-01-15"}


def dissolve_data(personas: Personas) -> dict[str, Any]:
    return {"on": "2026-06-30", "reason": "Cả hộ chuyển vào Thành phố Hồ Chí Minh"}


def member_data(personas: Personas) -> dict[str, Any]:
    return {
        "full_name": "Lê Thị Hoa",
        "birth_date": "2012-09-05",
        "sex": "female",
        "relation": "child",
        "citizen_id": "046312000777",
    }


SCOPED_WRITE = expect(200, 404, 404, 404, LOGIN)
SCOPED_WRITE_POST = expect(302, 404, 404, 404, LOGIN)
# Pages that need a role that writes somewhere: official_b writes for B (its choices exclude A).
ANY_WRITER = expect(200, 403, 200, 403, LOGIN)

URLS: dict[str, Row] = {
    "households/registry/": Row(lambda p: "/households/registry/", STAFF_ONLY),
    "households/registry/new/": Row(
        lambda p: "/households/registry/new/",
        ANY_WRITER,
        post_data=create_data,
        post=expect(302, 403, 400, 403, LOGIN),
    ),
    "households/registry/<int:pk>/": Row(lambda p: _url(p), RECORD_OF_A),
    "households/registry/<int:pk>/move/": Row(
        lambda p: _url(p, "move/"), SCOPED_WRITE, post_data=move_data, post=SCOPED_WRITE_POST
    ),
    "households/registry/<int:pk>/dissolve/": Row(
        lambda p: _url(p, "dissolve/"),
        SCOPED_WRITE,
        post_data=dissolve_data,
        post=SCOPED_WRITE_POST,
    ),
    "households/registry/<int:pk>/members/new/": Row(
        lambda p: _url(p, "members/new/"),
        SCOPED_WRITE,
        post_data=member_data,
        post=SCOPED_WRITE_POST,
    ),
}
