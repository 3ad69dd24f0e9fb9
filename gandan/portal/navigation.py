"""The main navigation: the public entrance for everyone; for a signed-in person, the modules
grouped, each entry shown only to those whose role can use it (the rule is the app's own, from
its ``access`` module), and the page being read marked once.

Each app adds its entries here when it has a screen to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from gandan.accounts.access import may_write_somewhere
from gandan.households.access import may_import_households, may_open_reviews, may_read_households
from gandan.onestop.access import may_receive_dossiers


def anyone(user: Any) -> bool:
    return True


def signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    may: Callable[[Any], bool] = anyone


@dataclass(frozen=True)
class Group:
    label: str
    entries: tuple[Entry, ...]


# What residents come for, in the order they look for it; the API is in the footer.
PUBLIC = Group(
    "Dịch vụ công",
    (
        Entry("Trang chủ", "portal:home"),
        Entry("Thủ tục hành chính", "dossiers:procedures"),
        Entry("Nộp hồ sơ trực tuyến", "dossiers:file"),
        Entry("Tra cứu hồ sơ", "dossiers:lookup"),
        Entry("Phản ánh, kiến nghị", "feedback:list"),
        Entry("Theo dõi ý kiến", "meetings:list"),
        Entry("Đơn vị hành chính", "geo:browser"),
    ),
)

# The modules of a signed-in person.
STAFF: tuple[Group, ...] = (
    Group(
        "Một cửa",
        (
            Entry("Hồ sơ", "onestop:desk", signed_in),
            Entry("Tiếp nhận hồ sơ", "onestop:receive", may_receive_dossiers),
            Entry("Chỉ số Quyết định 766", "onestop:dashboard", signed_in),
        ),
    ),
    Group(
        "Phản ánh, ý kiến",
        (
            Entry("Xử lý phản ánh", "feedback:staff_queue", signed_in),
            Entry("Ý kiến cử tri", "meetings:list", signed_in),
            Entry("Việc cần theo dõi", "meetings:tasks", signed_in),
        ),
    ),
    Group(
        "Hộ nghèo",
        (
            Entry("Số liệu hộ nghèo, cận nghèo", "households:report", signed_in),
            Entry("Hộ gia đình", "households:list", may_read_households),
            Entry("Rà soát hộ nghèo", "households:reviews", signed_in),
            Entry("Nhập kết quả rà soát", "households:import", may_import_households),
            Entry("Tác vụ nền", "households:jobs", may_open_reviews),
        ),
    ),
    Group(
        "Cán bộ",
        (
            Entry("Cán bộ, công chức", "officials:people", signed_in),
            Entry("Thống kê cán bộ", "officials:statistics", signed_in),
            Entry("Nhập danh sách cán bộ", "officials:import", may_write_somewhere),
        ),
    ),
    Group(
        "Công khai",
        tuple(e for e in PUBLIC.entries if e.url_name not in {"portal:home", "meetings:list"}),
    ),
)


def _current(path: str, urls: list[str]) -> str | None:
    """The entry a page belongs to: the longest entry address that begins the page's."""
    found = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    return max(found, key=len) if found else None


def _shown(group: Group, user: Any) -> list[dict[str, Any]]:
    return [
        {"label": e.label, "url": reverse(e.url_name), "current": False}
        for e in group.entries
        if e.may(user)
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    groups: list[dict[str, Any]]
    if signed_in(user):
        groups = [
            {"label": g.label, "entries": entries} for g in STAFF if (entries := _shown(g, user))
        ]
    else:
        groups = [{"label": "", "entries": _shown(PUBLIC, user)}]
    current = _current(request.path, [e["url"] for g in groups for e in g["entries"]])
    for group in groups:
        for entry in group["entries"]:
            entry["current"] = entry["url"] == current
        group["current"] = any(e["current"] for e in group["entries"])
    return {"navigation": groups}
