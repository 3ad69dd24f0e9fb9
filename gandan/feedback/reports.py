"""The ``feedback`` report: received, answered, on time and satisfaction, by category and unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gandan.feedback import selectors
from gandan.reports.registry import ReportError, ReportRequest


def feedback_report(request: ReportRequest) -> dict[str, Any]:
    date_to = request.date_to or request.as_of
    date_from = request.date_from or (date_to - dt.timedelta(days=29))
    if date_from > date_to:
        raise ReportError("from", "Ngày bắt đầu phải trước ngày kết thúc.")
    unit = request.unit
    return {
        "unit": None
        if unit is None
        else {"code": unit.code, "name": unit.name, "level": unit.level},
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        **selectors.statistics(unit, date_from, date_to),
    }


REPORTS = {"feedback": feedback_report}


def followup_report(request: ReportRequest) -> dict[str, Any]:
    unit = request.unit
    return {
        "unit": None
        if unit is None
        else {"code": unit.code, "name": unit.name, "level": unit.level},
        "as_of": request.as_of.isoformat(),
        **selectors.followup(unit, request.as_of),
    }


REPORTS["tasks"] = followup_report
