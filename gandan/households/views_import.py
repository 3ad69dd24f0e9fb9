"""The screen to import households' yearly review results from a spreadsheet (the one import
screen of :mod:`gandan.core.import_screen`, with the households' layout and codes)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from gandan.core.import_screen import ImportScreen, import_view
from gandan.households.access import may_import_households
from gandan.households.imports import AREAS, COLUMNS, MAX_MEMBERS
from gandan.households.selectors import places

MAX_UPLOAD_MB = 25  # a whole province's year fits; a commune's file is far smaller
MAX_LISTED = 60  # communes listed with their villages' codes on the page


def _page(request: HttpRequest) -> dict[str, Any]:
    """The file layout, the indicator codes of each standard and the user's place codes."""
    communes = places.communes_to_write(request.user, timezone.localdate(), MAX_LISTED)
    return {
        "columns": COLUMNS,
        "areas": sorted(set(AREAS.values())),
        "max_members": MAX_MEMBERS,
        "standards": places.standards(),
        "communes": communes[:MAX_LISTED],
        "more_communes": len(communes) > MAX_LISTED,
    }


SCREEN = ImportScreen(
    kind="households",
    template="households/import.html",
    title="Nhập kết quả rà soát hộ nghèo, hộ cận nghèo",
    url_name="households:import",
    file_label="Tệp kết quả rà soát (.xlsx hoặc .csv)",
    max_mb=MAX_UPLOAD_MB,
    too_big_hint="Hãy chia tệp theo năm hoặc theo xã.",
    may_import=may_import_households,
    page=_page,
)
household_import = import_view(SCREEN)
