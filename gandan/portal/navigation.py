"""The main navigation. Each app adds its entry here when it has a screen to show."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

# (label, url name): in the order residents and officials look for them.
ENTRIES: list[tuple[str, str]] = [
    ("Trang chủ", "portal:home"),
    ("Đơn vị hành chính", "geo:browser"),
    ("API", "api:docs"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"navigation": [{"label": label, "url": reverse(name)} for label, name in ENTRIES]}
