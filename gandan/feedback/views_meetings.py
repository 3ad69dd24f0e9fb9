"""Meetings and the follow-up of what was raised there: public pages, and task pages for staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from gandan.feedback import selectors, services
from gandan.feedback.access import access_task


def meeting_list(request: HttpRequest) -> HttpResponse:
    """Every meeting with the state of its follow-up: public, for accountability."""
    today = timezone.localdate()
    rows = selectors.meeting_rows(today)
    return render(request, "feedback/meetings.html", {"rows": rows, "today": today})


def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    today = timezone.localdate()
    page = selectors.meeting_page(meeting_id, today)
    if page is None:
        raise Http404("Không tìm thấy cuộc họp.")
    context = {
        "meeting": page.meeting,
        "opinions": page.opinions,
        "counts": page.counts,
        "today": today,
    }
    return render(request, "feedback/meeting.html", context)


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """Tasks in the user's scope: overdue first, then due within a week, then the rest."""
    today = timezone.localdate()
    context = {**selectors.open_tasks_by_urgency(request.user, today), "today": today}
    return render(request, "feedback/tasks.html", context)


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
            "notes": selectors.task_notes(task),
            "actions": services.task_actions(request.user, task),
            "late": task.is_late(today),
            "today": today,
        },
        status=status,
    )
