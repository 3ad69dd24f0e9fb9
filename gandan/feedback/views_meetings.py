"""Meetings and the follow-up of what was raised there: public pages, and task pages for staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from gandan.accounts.access import units_in_scope
from gandan.feedback import selectors, services
from gandan.feedback.models import TASK_OPEN, Meeting, Task


def meeting_list(request: HttpRequest) -> HttpResponse:
    """Every meeting with the state of its follow-up: public, for accountability."""
    today = timezone.localdate()
    meetings = Meeting.objects.select_related("host_unit").order_by("-held_on")[:100]
    rows = [
        {
            "meeting": m,
            **selectors.task_counts(Task.objects.filter(opinion__meeting=m), today),
            "opinions": m.opinions.count(),
        }
        for m in meetings
    ]
    return render(request, "feedback/meetings.html", {"rows": rows, "today": today})


def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("host_unit"), pk=meeting_id)
    today = timezone.localdate()
    opinions = (
        meeting.opinions.select_related("author_unit")
        .prefetch_related("tasks__lead")
        .order_by("number")
    )
    counts = selectors.task_counts(Task.objects.filter(opinion__meeting=meeting), today)
    return render(
        request,
        "feedback/meeting.html",
        {"meeting": meeting, "opinions": opinions, "counts": counts, "today": today},
    )


def _tasks_in_scope(user: Any, *, for_write: bool = False) -> Any:
    units = units_in_scope(user, for_write=for_write).values("pk")
    return Task.objects.filter(
        Q(lead__unit_id__in=units) | Q(opinion__author_unit_id__in=units)
    ).distinct()


def access_task(user: Any, task_id: int, *, for_write: bool = False) -> Task:
    """The task, if the user's roles cover the lead agency or the author's unit; else 404."""
    related = ("lead", "lead__unit", "opinion", "opinion__meeting", "opinion__author_unit")
    try:
        task: Task = (
            _tasks_in_scope(user, for_write=for_write).select_related(*related).get(pk=task_id)
        )
    except Task.DoesNotExist:
        raise Http404("Không tìm thấy nhiệm vụ.") from None
    return task


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """Tasks in the user's scope: overdue first, then due within a week, then the rest."""
    today = timezone.localdate()
    tasks = (
        _tasks_in_scope(request.user)
        .select_related("lead", "opinion__meeting")
        .order_by("deadline")
    )
    open_tasks = [t for t in tasks if t.status in TASK_OPEN]
    return render(
        request,
        "feedback/tasks.html",
        {
            "overdue": [t for t in open_tasks if t.deadline < today],
            "soon": [t for t in open_tasks if today <= t.deadline <= today + dt.timedelta(days=7)],
            "later": [t for t in open_tasks if t.deadline > today + dt.timedelta(days=7)],
            "today": today,
        },
    )


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = access_task(request.user, task_id)
    lead_units = units_in_scope(request.user, for_write=True)
    can_handle = lead_units.filter(pk=task.lead.unit_id).exists()
    can_accept = (
        task.opinion is not None
        and task.opinion.author_unit_id is not None
        and lead_units.filter(pk=task.opinion.author_unit_id).exists()
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("progress", "answer") and can_handle:
                if action == "progress":
                    services.task_progress(
                        task=task, note=request.POST.get("text", ""), actor=request.user
                    )
                else:
                    services.task_answer(
                        task=task, answer=request.POST.get("text", ""), actor=request.user
                    )
            elif action in ("accept", "reject") and can_accept:
                services.task_accept(
                    task=task,
                    accepted=action == "accept",
                    reason=request.POST.get("text", ""),
                    actor=request.user,
                )
            else:
                raise Http404("Không tìm thấy nhiệm vụ.")
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            status = 400
        else:
            messages.success(request, "Đã ghi nhận.")
            return redirect("meetings:task", task_id=task.pk)
    return render(
        request,
        "feedback/task.html",
        {
            "task": task,
            "notes": task.notes.select_related("by"),
            "can_handle": can_handle,
            "can_accept": can_accept,
            "today": timezone.localdate(),
        },
        status=status,
    )
