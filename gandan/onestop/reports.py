"""The ``onestop`` report: Decision 766 figures of a province or commune for a period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gandan.geo.models import Level
from gandan.onestop import selectors
from gandan.reports.registry import ReportError, ReportRequest

DEFAULT_DAYS = 30


def onestop_report(request: ReportRequest) -> dict[str, Any]:
    unit = request.unit
    if unit is None or unit.level == Level.DISTRICT:
        raise ReportError("unit", "Cần mã một tỉnh hoặc một xã, phường (--unit).")
    today = timezone.localdate()
    end = request.date_to or (request.as_of if request.as_of_given else today)
    start = request.date_from or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if end > today:
        raise ReportError("to", f"Ngày {end:%d/%m/%Y} ở tương lai.")
    if start > end:
        raise ReportError("from", f"Từ ngày {start:%d/%m/%Y} sau đến ngày {end:%d/%m/%Y}.")
    figures = selectors.onestop_figures(unit=unit, start=start, end=end)
    return {**figures.value, "computed_at": figures.computed_at.isoformat()}


REPORTS = {"onestop": onestop_report}
