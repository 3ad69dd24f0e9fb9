"""Rows of the persona × URL matrix for the public pages of citizen reports.

These pages are the same for everyone, signed in or not: every persona gets the same answer.
The matrix needs a report with a photo: :func:`public_report` files one (at the centre of
Phường Thuận Hóa, through the real service) the first time a row asks for it and keeps it on
the (per-test) personas object. The reporter's own pages are asked with the reporter's token.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gandan.core.testing.personas import Personas, kept_on_personas
from gandan.core.testing.url_matrix import Row, everyone
from gandan.feedback.models import Category, Channel, Report
from gandan.feedback.services import report_submit


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "orange").save(buffer, "PNG")
    return SimpleUploadedFile("den-hong.png", buffer.getvalue(), content_type="image/png")


@kept_on_personas
def public_report(personas: Personas) -> Report:
    unit = personas.commune_a
    return report_submit(
        category=Category.objects.get(code="lighting"),
        title="Đèn đường không sáng",
        description="Hai cột đèn trước chợ không sáng đã một tuần.",
        latitude=unit.latitude,
        longitude=unit.longitude,
        channel=Channel.WEB,
        reporter_name="Phan Văn Dân",
        photos=[_png()],
    )


def _code(p: Personas) -> str:
    return public_report(p).code


def _token(p: Personas) -> str:
    return public_report(p).reporter_token


def _nearby(p: Personas) -> str:
    report = public_report(p)
    return (
        f"/feedback/nearby/?category=lighting&latitude={report.latitude}"
        f"&longitude={report.longitude}"
    )


def _token_data(p: Personas) -> dict[str, Any]:
    return {"t": _token(p), "satisfied": "no", "reason": "Đèn vẫn chưa sáng."}


URLS: dict[str, Row] = {
    "feedback/": Row(lambda p: "/feedback/", everyone(200)),
    "feedback/new/": Row(lambda p: "/feedback/new/", everyone(200)),
    "feedback/nearby/": Row(_nearby, everyone(200)),
    "feedback/stats/": Row(lambda p: "/feedback/stats/", everyone(200)),
    "feedback/photos/<int:photo_id>/": Row(
        lambda p: f"/feedback/photos/{public_report(p).photos.get().pk}/", everyone(200)
    ),
    "feedback/submitted/<str:code>/": Row(
        lambda p: f"/feedback/submitted/{_code(p)}/?t={_token(p)}", everyone(200)
    ),
    "feedback/r/<str:code>/": Row(
        lambda p: f"/feedback/r/{_code(p)}/?t={_token(p)}", everyone(200)
    ),
    # Rating and reopening are POST only; a report not yet answered refuses both (400).
    "feedback/r/<str:code>/rate/": Row(
        lambda p: f"/feedback/r/{_code(p)}/rate/",
        everyone(405),
        post_data=_token_data,
        post=everyone(400),
    ),
    "feedback/r/<str:code>/reopen/": Row(
        lambda p: f"/feedback/r/{_code(p)}/reopen/",
        everyone(405),
        post_data=_token_data,
        post=everyone(400),
    ),
    "feedback/<report_code:code>/": Row(lambda p: f"/feedback/{_code(p)}/", everyone(200)),
    "feedback/<report_code:code>/follow/": Row(
        lambda p: f"/feedback/{_code(p)}/follow/",
        everyone(405),
        post_data=lambda p: {},
        post=everyone(302),
    ),
}
