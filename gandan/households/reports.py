"""The ``poverty`` report: households, poor and near-poor with their transitions, by unit and year."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gandan.households import selectors
from gandan.households.exports import poverty_csv, poverty_workbook
from gandan.households.models import review_date
from gandan.reports.registry import ReportError, ReportRequest


def poverty_report(request: ReportRequest) -> dict[str, Any]:
    year = request.year
    if year is None:
        today = timezone.localdate()
        year = today.year if today >= review_date(today.year) else today.year - 1
    if selectors.standard_or_none(year) is None:
        raise ReportError("year", f"Không có chuẩn nghèo áp dụng cho kỳ rà soát năm {year}.")
    # A year asked for by number is counted on its review day unless a later date is given.
    as_of = request.as_of if request.year is None or request.as_of_given else None
    figures = selectors.poverty_figures(request.unit, year, as_of=as_of)
    return {**figures.value, "computed_at": figures.computed_at.isoformat()}


REPORTS = {"poverty": poverty_report}
# The province's summary form, as the screen's downloads give it.
LAYOUTS = {"poverty": {"xlsx": poverty_workbook, "csv": poverty_csv}}
