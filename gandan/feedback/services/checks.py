"""Checks shared by every way a report comes in: text, place, photos, routing, the legal clock."""

from __future__ import annotations

import datetime as dt
import math
import re

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from gandan.core.calendar import WorkingCalendar
from gandan.core.models import valid_on_q
from gandan.core.uploads import JPEG, PNG, WEBP, Checked, check_upload
from gandan.feedback.models import CaseType, Category
from gandan.geo.models import Level, Unit

MAX_TEXT = 4000
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 5 * 1024 * 1024
PICTURES = (JPEG, PNG, WEBP)
# Mainland, islands and archipelagos of Việt Nam, generously.
VIETNAM_LAT = (8.0, 24.0)
VIETNAM_LON = (102.0, 118.0)
HTML = re.compile(r"<\s*[a-zA-Z!/?]")
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3479"


def check_text(value: str, field: str, *, limit: int = MAX_TEXT, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: "Nội dung không được để trống."})
    if len(value) > limit:
        raise ValidationError(
            {field: f"Nội dung dài {len(value)} ký tự, vượt quá {limit} ký tự cho phép."}
        )
    if HTML.search(value):
        raise ValidationError({field: "Nội dung không được chứa mã HTML."})
    return value


def check_location(latitude: float | None, longitude: float | None) -> None:
    if latitude is None or longitude is None:
        raise ValidationError({"lat": "Cần vị trí: chọn trên bản đồ hoặc nhập tọa độ."})
    if not (
        VIETNAM_LAT[0] <= latitude <= VIETNAM_LAT[1]
        and VIETNAM_LON[0] <= longitude <= VIETNAM_LON[1]
    ):
        raise ValidationError(
            {"lat": f"Tọa độ ({latitude}, {longitude}) nằm ngoài lãnh thổ Việt Nam."}
        )


def check_photo(upload: UploadedFile) -> Checked:
    """A JPEG, PNG or WebP picture by its bytes, cleaned of its metadata (the camera's GPS
    position among them) before it is stored: what to store."""
    return check_upload(
        upload,
        name=upload.name or "ảnh",
        size=upload.size,
        accept=PICTURES,
        max_bytes=MAX_PHOTO_BYTES,
        field="media",
    )


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def commune_at(latitude: float, longitude: float, on: dt.date) -> Unit:
    """The commune responsible for a point on a date: the one whose centre is nearest.

    The package gives centres (and, for the legacy layer, bounding boxes), not boundaries:
    nearest centre is an approximation good enough to route, and staff can re-route.
    """
    for window in (0.05, 0.2, 1.0):
        candidates = list(
            Unit.objects.filter(valid_on_q(on), level=Level.COMMUNE, latitude__isnull=False)
            .filter(latitude__range=(latitude - window, latitude + window))
            .filter(longitude__range=(longitude - window, longitude + window))
        )
        if candidates:
            return min(
                candidates,
                key=lambda u: distance_m(latitude, longitude, u.latitude or 0, u.longitude or 0),
            )
    raise ValidationError({"lat": "Không xác định được xã, phường nào phụ trách vị trí này."})


def route(category: Category, latitude: float, longitude: float, on: dt.date) -> tuple[Unit, str]:
    """Who handles a report of ``category`` at this point on this date: (unit, agency name)."""
    commune = commune_at(latitude, longitude, on)
    if category.handled_by == "province":
        province = (
            commune.parent
            if commune.parent and commune.parent.level == Level.PROVINCE
            else (commune.parent.parent if commune.parent else None)
        )
        if province is None:
            raise ValidationError(
                {"service_code": "Không xác định được tỉnh, thành phố phụ trách."}
            )
        return province, category.agency
    return commune, f"UBND {commune.name}"


def case_type_for(category: Category, on: dt.date) -> CaseType:
    found = CaseType.objects.filter(valid_on_q(on), code=category.case_type_code).first()
    if found is None:
        raise ValidationError(
            {
                "service_code": f"Chưa có quy định thời hạn cho loại vụ việc {category.case_type_code}."
            }
        )
    return found


def due_at(case_type: CaseType, received_at: dt.datetime) -> dt.datetime:
    """The legal deadline: working days on the office calendar, or calendar days."""
    if case_type.working_days:
        return WorkingCalendar().deadline(received_at, case_type.answer_days).due
    return received_at + dt.timedelta(days=case_type.answer_days)
