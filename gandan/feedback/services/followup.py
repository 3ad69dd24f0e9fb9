"""Writes for meetings and their follow-up: a meeting, its opinions, the tasks they become,
progress notes, answers and the author's acceptance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from gandan.core.actors import acting_user
from gandan.core.services import event_record
from gandan.feedback.events import FollowupEvent
from gandan.feedback.models import (
    TASK_OPEN,
    Agency,
    Meeting,
    MeetingKind,
    Opinion,
    Task,
    TaskNote,
    TaskStatus,
)
from gandan.feedback.services.checks import check_text
from gandan.geo.models import Unit


@transaction.atomic
def meeting_record(
    *,
    kind: str,
    title: str,
    held_on: dt.date,
    host_unit: Unit,
    attendees: int,
    attendees_by_kind: dict[str, int] | None = None,
    minutes: str = "",
    actor: Any = None,
) -> Meeting:
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": f"Loại cuộc họp không hợp lệ: {kind!r}."})
    title = check_text(title, "title", limit=300)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "Ngày họp không thể ở tương lai."})
    if not host_unit.is_valid_on(held_on):
        raise ValidationError(
            {"host_unit": f"{host_unit.name} không tồn tại vào ngày {held_on:%d/%m/%Y}."}
        )
    by_kind = attendees_by_kind or {}
    if attendees < 0 or any(n < 0 for n in by_kind.values()) or sum(by_kind.values()) > attendees:
        raise ValidationError(
            {"attendees": "Số đại biểu theo thành phần không được vượt tổng số đại biểu."}
        )
    meeting = Meeting.objects.create(
        kind=kind,
        title=title,
        held_on=held_on,
        host_unit=host_unit,
        attendees=attendees,
        attendees_by_kind=by_kind,
        minutes=minutes,
        province_code=host_unit.province_code,
        created_by=acting_user(actor),
    )
    event_record(kind=FollowupEvent.MEETING_RECORDED, subject=meeting, actor=actor)
    return meeting


@transaction.atomic
def opinion_add(
    *,
    meeting: Meeting,
    author: str,
    topic: str,
    text: str,
    author_unit: Unit | None = None,
    actor: Any = None,
) -> Opinion:
    author, topic = check_text(author, "author", limit=160), check_text(topic, "topic", limit=200)
    text = check_text(text, "text")
    number = (meeting.opinions.aggregate(models.Max("number"))["number__max"] or 0) + 1
    opinion = Opinion.objects.create(
        meeting=meeting,
        number=number,
        author=author,
        author_unit=author_unit,
        topic=topic,
        text=text,
        created_by=acting_user(actor),
    )
    event_record(
        kind=FollowupEvent.OPINION_ADDED,
        subject=opinion,
        actor=actor,
        province_code=meeting.province_code,
    )
    return opinion


@transaction.atomic
def task_assign(
    *,
    lead: Agency,
    assigned_on: dt.date,
    deadline: dt.date,
    opinion: Opinion | None = None,
    directive: str = "",
    partners: list[Agency] | None = None,
    actor: Any = None,
) -> Task:
    """Assign the follow-up of an opinion (or of a leader's directive) to a lead agency."""
    if opinion is None and not directive.strip():
        raise ValidationError(
            {"directive": "Nhiệm vụ phải gắn với một ý kiến hoặc có nội dung chỉ đạo."}
        )
    directive = check_text(directive, "directive", required=False)
    if deadline < assigned_on:
        raise ValidationError({"deadline": "Hạn hoàn thành phải sau ngày giao."})
    if partners and lead in partners:
        raise ValidationError({"partners": "Cơ quan chủ trì không đồng thời là cơ quan phối hợp."})
    task = Task.objects.create(
        opinion=opinion,
        directive=directive,
        lead=lead,
        assigned_on=assigned_on,
        deadline=deadline,
        province_code=lead.unit.province_code,
        created_by=acting_user(actor),
    )
    if partners:
        task.partners.set(partners)
    event_record(
        kind=FollowupEvent.TASK_ASSIGNED,
        subject=task,
        actor=actor,
        data={"lead": lead.code, "deadline": deadline.isoformat()},
    )
    return task


@transaction.atomic
def task_progress(*, task: Task, note: str, actor: Any = None) -> TaskNote:
    if task.status not in TASK_OPEN:
        raise ValidationError({"note": "Nhiệm vụ đã trả lời, không ghi tiến độ được nữa."})
    note = check_text(note, "note", limit=2000)
    entry = TaskNote.objects.create(task=task, by=acting_user(actor), text=note)
    if task.status == TaskStatus.ASSIGNED:
        task.status = TaskStatus.IN_PROGRESS
        task.save(update_fields=["status", "updated_at"])
    event_record(kind=FollowupEvent.TASK_PROGRESS, subject=task, actor=actor)
    return entry


@transaction.atomic
def task_answer(
    *, task: Task, answer: str, answered_on: dt.date | None = None, actor: Any = None
) -> Task:
    if task.status not in TASK_OPEN:
        raise ValidationError({"answer": "Nhiệm vụ đã được trả lời."})
    answer = check_text(answer, "answer")
    answered_on = answered_on or timezone.localdate()
    if answered_on < task.assigned_on:
        raise ValidationError({"answered_on": "Ngày trả lời không thể trước ngày giao."})
    task.status, task.answer, task.answered_on = TaskStatus.ANSWERED, answer, answered_on
    task.save(update_fields=["status", "answer", "answered_on", "updated_at"])
    event_record(
        kind=FollowupEvent.TASK_ANSWERED,
        subject=task,
        actor=actor,
        data={"on_time": answered_on <= task.deadline},
    )
    return task


@transaction.atomic
def task_accept(*, task: Task, accepted: bool, reason: str = "", actor: Any = None) -> Task:
    """The author of the opinion accepts the answer, or not (then the agency must answer again)."""
    if task.status != TaskStatus.ANSWERED:
        raise ValidationError({"accepted": "Chỉ xác nhận được khi nhiệm vụ đã có trả lời."})
    if not accepted:
        reason = check_text(reason, "reason", limit=1000)
    task.status = TaskStatus.ACCEPTED if accepted else TaskStatus.REJECTED
    task.save(update_fields=["status", "updated_at"])
    event_record(
        kind=FollowupEvent.TASK_ACCEPTED if accepted else FollowupEvent.TASK_REJECTED,
        subject=task,
        actor=actor,
        data={"reason": reason},
    )
    return task
