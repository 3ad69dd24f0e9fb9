"""Scoped lookups of citizen reports for staff: a report is in scope when its handling unit is."""

from __future__ import annotations

import secrets
from typing import Any

from django.http import Http404

from gandan.accounts.access import units_in_scope
from gandan.feedback.models import Report, ReportQuerySet


def reports_in_scope(user: Any, *, for_write: bool = False) -> ReportQuerySet:
    return Report.objects.filter(unit_id__in=units_in_scope(user, for_write=for_write).values("pk"))


def access_report(user: Any, code: str, *, for_write: bool = False) -> Report:
    """The report, if the user's roles cover its handling unit; 404 otherwise (and if missing)."""
    try:
        return (
            reports_in_scope(user, for_write=for_write)
            .select_related("category", "unit", "case_type")
            .get(code=code)
        )
    except Report.DoesNotExist:
        raise Http404("Không tìm thấy phản ánh.") from None


def can_handle(user: Any, report: Report) -> bool:
    """Whether the user holds a role that writes for the report's handling unit."""
    return reports_in_scope(user, for_write=True).filter(pk=report.pk).exists()


def has_contact(report: Report) -> bool:
    return bool(report.reporter_name or report.reporter_phone or report.reporter_email)


def access_report_for_reporter(code: str, token: str) -> Report:
    """The report whose secret token is ``token``; 404 for a wrong token as for a missing code."""
    found = (
        Report.objects.select_related("category", "unit", "duplicate_of").filter(code=code).first()
    )
    if found is None or not token or not secrets.compare_digest(token, found.reporter_token):
        raise Http404("Không tìm thấy phản ánh.")
    return found
