"""Every permission rule of citizen reports and of the follow-up of meetings.

A report is in scope when its handling unit is; a task when its lead agency's unit or the unit
of the opinion's author is. Lookups outside the scope answer 404, as for a missing object.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from gandan.accounts.access import units_in_scope
from gandan.feedback.models import Report, ReportQuerySet, Task


def reports_in_scope(user: Any, *, for_write: bool = False) -> ReportQuerySet:
    return Report.objects.filter(unit_id__in=units_in_scope(user, for_write=for_write).values("pk"))


def access_report(user: Any, code: str, *, for_write: bool = False) -> Report:
    """The report, if the user's roles cover its handling unit; 404 otherwise (and if missing)."""
    try:
        return (
            reports_in_scope(user, for_write=for_write)
            .select_related("category", "unit", "case_type", "duplicate_of")
            .get(code=code)
        )
    except Report.DoesNotExist:
        raise Http404("Không tìm thấy phản ánh.") from None


def may_handle_report(user: Any, report: Report) -> bool:
    """Whether the user holds a role that writes for the report's handling unit."""
    return reports_in_scope(user, for_write=True).filter(pk=report.pk).exists()


def may_read_report(user: Any, report: Report) -> bool:
    return reports_in_scope(user).filter(pk=report.pk).exists()


def may_enter_report(user: Any) -> bool:
    """Whether the user may enter a report received by phone or at the counter."""
    return units_in_scope(user, for_write=True).exists()


def has_contact(report: Report) -> bool:
    return bool(report.reporter_name or report.reporter_phone or report.reporter_email)


def may_see_contact(user: Any, report: Report) -> bool:
    """The reporter's contact goes only to those who handle the report (and only if there is one)."""
    return has_contact(report) and may_handle_report(user, report)


def access_report_for_reporter(code: str, token: str) -> Report:
    """The report whose secret token is ``token``; 404 for a wrong token as for a missing code."""
    found = (
        Report.objects.select_related("category", "unit", "duplicate_of").filter(code=code).first()
    )
    if found is None or not token or not secrets.compare_digest(token, found.reporter_token):
        raise Http404("Không tìm thấy phản ánh.")
    return found


# --- Follow-up tasks -----------------------------------------------------------------------------


def tasks_in_scope(user: Any, *, for_write: bool = False) -> QuerySet[Task]:
    units = units_in_scope(user, for_write=for_write).values("pk")
    return Task.objects.filter(
        Q(lead__unit_id__in=units) | Q(opinion__author_unit_id__in=units)
    ).distinct()


def access_task(user: Any, task_id: int, *, for_write: bool = False) -> Task:
    """The task, if the user's roles cover the lead agency or the author's unit; else 404."""
    related = ("lead", "lead__unit", "opinion", "opinion__meeting", "opinion__author_unit")
    try:
        return tasks_in_scope(user, for_write=for_write).select_related(*related).get(pk=task_id)
    except (Task.DoesNotExist, ValueError):
        raise Http404("Không tìm thấy nhiệm vụ.") from None


def may_handle_task(user: Any, task: Task) -> bool:
    """A role that writes for the lead agency's unit records progress and answers."""
    return units_in_scope(user, for_write=True).filter(pk=task.lead.unit_id).exists()


def may_accept_task(user: Any, task: Task) -> bool:
    """A role that writes for the author's unit records whether the author accepts the answer."""
    author_unit = task.opinion.author_unit_id if task.opinion is not None else None
    return (
        author_unit is not None
        and units_in_scope(user, for_write=True).filter(pk=author_unit).exists()
    )
