"""Rows of the persona × URL matrix for the staff screens and the staff API of citizen reports.

The matrix needs a report routed to commune A: :func:`report_of_a` files one (at the centre of
Phường Thuận Hóa) the first time a row asks for it and keeps it on the (per-test) personas object.
The tests of these screens use it too, so everything is set up through the real services.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gandan.core.testing.personas import Personas, kept_on_personas
from gandan.core.testing.url_matrix import (
    API_ANONYMOUS,
    API_SIGNED_IN,
    LOGIN,
    SCOPED_API,
    SCOPED_PAGE,
    STAFF_ONLY,
    Row,
    expect,
    format_suffixed,
    with_format_suffix,
)
from gandan.feedback.models import Category, Channel, Report
from gandan.feedback.services import report_submit
from gandan.geo.models import Unit


def report_at(
    unit: Unit,
    *,
    category: str = "roads",
    title: str = "Ổ gà lớn trước nhà số 12",
    description: str = "Mặt đường bị sụt thành ổ gà sâu, xe máy đi qua dễ ngã.",
    channel: str = Channel.WEB,
    **kwargs: Any,
) -> Report:
    """A report filed at the centre of ``unit`` (so routed to it, for a commune's category)."""
    return report_submit(
        category=Category.objects.get(code=category),
        title=title,
        description=description,
        latitude=unit.latitude,
        longitude=unit.longitude,
        channel=channel,
        reporter_name=kwargs.pop("reporter_name", "Trần Văn Bảo"),
        reporter_phone=kwargs.pop("reporter_phone", "0905123456"),
        reporter_email=kwargs.pop("reporter_email", "bao@example.vn"),
        **kwargs,
    )


@kept_on_personas
def report_of_a(personas: Personas) -> Report:
    return report_at(personas.commune_a)


def _page(personas: Personas) -> str:
    return f"/feedback/staff/{report_of_a(personas).code}/"


def _api(personas: Personas, suffix: str = "/") -> str:
    return f"/api/v1/feedback/reports/{report_of_a(personas).code}{suffix}"


def new_report_data(personas: Personas) -> dict[str, Any]:
    """What an officer types for a call about a street light at Thuận Hóa."""
    return {
        "channel": Channel.PHONE,
        "category": "lighting",
        "title": "Đèn đường hỏng",
        "description": "Ba cột đèn liền nhau không sáng từ tuần trước.",
        "latitude": str(personas.commune_a.latitude),
        "longitude": str(personas.commune_a.longitude),
        "address": "Đường Lê Lợi",
        "reporter_name": "Lê Thị Cúc",
        "reporter_phone": "0914000111",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }


def _status_data(personas: Personas) -> dict[str, Any]:
    return {"action": "status", "status": "in_progress", "note": "Đã giao tổ dân phố kiểm tra."}


HANDLERS_OF_A = expect(302, 404, 404, 404, LOGIN)  # a role that writes for commune A
ANY_WRITER = expect(302, 404, 302, 404, LOGIN)  # any role that writes somewhere

URLS: dict[str, Row] = {
    "feedback/staff/": Row(lambda p: "/feedback/staff/", STAFF_ONLY),
    "feedback/staff/new/": Row(
        lambda p: "/feedback/staff/new/",
        expect(200, 404, 200, 404, LOGIN),
        post_data=new_report_data,
        post=ANY_WRITER,
    ),
    "feedback/staff/<str:code>/": Row(
        _page, SCOPED_PAGE, post_data=_status_data, post=HANDLERS_OF_A
    ),
}

API_URLS: dict[str, Row] = {
    **with_format_suffix(
        "api/v1/^feedback/reports/$",
        Row(lambda p: "/api/v1/feedback/reports/", API_SIGNED_IN),
        json_url=lambda p: "/api/v1/feedback/reports.json?status=open",
    ),
    **with_format_suffix(
        "api/v1/^feedback/reports/(?P<code>[A-Za-z0-9-]+)/$", Row(_api, SCOPED_API)
    ),
    "api/v1/^feedback/reports/(?P<code>[A-Za-z0-9-]+)/act/$": Row(
        lambda p: _api(p, "/act/"),
        expect(405, 405, 405, 405, API_ANONYMOUS),
        post_data=_status_data,
        post=expect(200, 404, 404, 404, API_ANONYMOUS),
    ),
    format_suffixed("api/v1/^feedback/reports/(?P<code>[A-Za-z0-9-]+)/act/$"): Row(
        lambda p: _api(p, "/act.json"), expect(405, 405, 405, 405, API_ANONYMOUS)
    ),
}


URLS.update(API_URLS)
