"""Rows of the persona × URL matrix for the people of the registry, their files and the API.

The matrix needs a person in commune A: :func:`official_of_a` makes one the first time a row
asks for it and keeps it on the (per-test) personas object. :func:`official_in` is also what
the tests of these screens use to set up people, through the real services.
"""

from __future__ import annotations

import datetime as dt

from gandan.core.testing.personas import Personas, kept_on_personas
from gandan.core.testing.url_matrix import (
    API_SIGNED_IN,
    RECORD_OF_A,
    RECORD_OF_A_API,
    SCOPED_API,
    STAFF_ONLY,
    Row,
    format_suffixed,
    with_format_suffix,
)
from gandan.geo.models import Hamlet, Unit
from gandan.officials.models import Official, Position, PostingKind, Sex
from gandan.officials.services import official_create, posting_start

REFORM = dt.date(2025, 7, 1)  # current positions and communes start here


def official_in(
    unit: Unit,
    *,
    full_name: str = "Nguyễn Văn An",
    citizen_id: str = "046090001234",
    birth_date: dt.date = dt.date(1990, 5, 17),
    sex: str = Sex.MALE,
    position: str = "office_staff",
    since: dt.date = REFORM,
    hamlet: Hamlet | None = None,
    salary_grade: str = "Chuyên viên, bậc 3/9",
) -> Official:
    """A person holding ``position`` (a current position code) at ``unit`` from ``since``."""
    official = official_create(
        full_name=full_name,
        birth_date=birth_date,
        sex=sex,
        citizen_id=citizen_id,
        province_code=unit.province_code,
        home_unit=unit,
    )
    posting_start(
        official=official,
        position=Position.objects.get(code=position, valid_from=REFORM),
        unit=unit,
        hamlet=hamlet,
        kind=PostingKind.RECRUITED,
        valid_from=since,
        salary_grade=salary_grade,
    )
    return official


@kept_on_personas
def official_of_a(personas: Personas) -> Official:
    return official_in(personas.commune_a)


def _file(personas: Personas, suffix: str = "") -> str:
    return f"/officials/{official_of_a(personas).pk}/{suffix}"


def _api(personas: Personas, suffix: str = "/") -> str:
    return f"/api/v1/officials/{official_of_a(personas).pk}{suffix}"


URLS: dict[str, Row] = {
    "officials/people/": Row(lambda p: "/officials/people/", STAFF_ONLY),
    "officials/<int:official_id>/": Row(lambda p: _file(p), RECORD_OF_A),
    "officials/<int:official_id>/pdf/": Row(lambda p: _file(p, "pdf/"), RECORD_OF_A),
    "api/v1/^officials/$": Row(lambda p: "/api/v1/officials/", API_SIGNED_IN),
    format_suffixed("api/v1/^officials/$"): Row(
        lambda p: "/api/v1/officials.json?unit=19789", SCOPED_API
    ),
    **with_format_suffix(r"api/v1/^officials/(?P<pk>\d+)/$", Row(_api, RECORD_OF_A_API)),
}
