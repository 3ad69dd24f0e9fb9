"""Rows of the persona × URL matrix for Open311 GeoReport v2 (/open311/v2/).

Every GET is public: 200 for everyone, signed in or not. Posting a request needs an api_key,
which no persona's session replaces: 403 for everyone (posting with a key is tested in
test_open311.py).
"""

from __future__ import annotations

from typing import Any

from gandan.core.testing.personas import Personas
from gandan.core.testing.url_matrix import Row, everyone
from gandan.feedback.models import Category, Channel
from gandan.feedback.services import report_submit


def _a_report_code(personas: Personas) -> str:
    unit = personas.commune_a
    report = report_submit(
        category=Category.objects.get(code="roads"),
        title="",
        description="Ổ gà giữa đường",
        latitude=unit.latitude,
        longitude=unit.longitude,
        channel=Channel.WEB,
    )
    return report.code


def _post_without_key(personas: Personas) -> dict[str, Any]:
    unit = personas.commune_a
    return {
        "service_code": "roads",
        "lat": unit.latitude,
        "long": unit.longitude,
        "description": "Ổ gà giữa đường",
    }


URLS: dict[str, Row] = {
    "open311/v2/discovery.<str:fmt>": Row(lambda p: "/open311/v2/discovery.json", everyone(200)),
    "open311/v2/services.<str:fmt>": Row(lambda p: "/open311/v2/services.xml", everyone(200)),
    "open311/v2/services/<slug:service_code>.<str:fmt>": Row(
        lambda p: "/open311/v2/services/roads.json", everyone(200)
    ),
    "open311/v2/requests.<str:fmt>": Row(
        lambda p: "/open311/v2/requests.json",
        everyone(200),
        post_data=_post_without_key,
        post=everyone(403),
    ),
    "open311/v2/requests/<slug:service_request_id>.<str:fmt>": Row(
        lambda p: f"/open311/v2/requests/{_a_report_code(p)}.xml", everyone(200)
    ),
}
