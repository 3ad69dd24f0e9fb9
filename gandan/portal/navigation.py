"""The main navigation. Each app adds its entry here when it has a screen to show."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

# (label, url name, for signed-in staff only): in the order people look for them.
ENTRIES: list[tuple[str, str, bool]] = [
    ("Trang chủ", "portal:home", False),
    ("Đơn vị hành chính", "geo:browser", False),
    ("Phản ánh, kiến nghị", "feedback:list", False),
    ("Theo dõi ý kiến", "meetings:list", False),
    ("Cán bộ, công chức", "officials:people", True),
    ("Thống kê cán bộ", "officials:statistics", True),
    ("Hộ nghèo, cận nghèo", "households:report", True),
    ("Hộ gia đình", "households:list", True),
    ("Rà soát hộ nghèo", "households:reviews", True),
    ("Nhập kết quả rà soát", "households:import", True),
    ("Tác vụ nền", "households:jobs", True),
    ("Một cửa: hồ sơ", "onestop:desk", True),
    ("Tiếp nhận hồ sơ", "onestop:receive", True),
    ("Một cửa: chỉ số 766", "onestop:dashboard", True),
    ("API", "api:docs", False),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
    return {
        "navigation": [
            {"label": label, "url": reverse(name)}
            for label, name, staff_only in ENTRIES
            if signed_in or not staff_only
        ]
    }
