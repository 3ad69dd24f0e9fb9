"""Meetings and the follow-up of what was raised there: public pages, and task pages for staff."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from gandan.feedback import selectors, services
from gandan.feedback.access import access_task, tasks_in_scope
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


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """Tasks in the user's scope: overdue first, then due within a week, then the rest."""
    today = timezone.localdate()
    tasks = (
        tasks_in_scope(request.user).select_related("lead", "opinion__meeting").order_by("deadline")
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
    """One task; its forms are the steps :func:`services.task_actions` allows the user now."""
    task = access_task(request.user, task_id)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in services.task_actions(request.user, task):
            raise Http404("Không tìm thấy nhiệm vụ.")
        try:
            done = services.task_act(
                task=task,
                action=action,
                data={"text": request.POST.get("text", "")},
                actor=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            status = 400
        else:
            messages.success(request, done)
            return redirect("meetings:task", task_id=task.pk)
    today = timezone.localdate()
    return render(
        request,
        "feedback/task.html",
        {
            "task": task,
            "notes": task.notes.select_related("by"),
            "actions": services.task_actions(request.user, task),
            "late": task.status in TASK_OPEN and task.deadline < today,
            "today": today,
        },
        status=status,
    )
