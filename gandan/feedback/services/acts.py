"""The two handling workflows, each behind one dispatcher: a report's handling by its unit
(``report_act``) and a follow-up task's (``task_act``).

The staff pages and the API both call them, and both offer what ``report_actions`` /
``task_actions`` say is possible now, so a screen never shows a form the API would refuse.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from gandan.core.services import access_log_record
from gandan.feedback.access import (
    may_accept_task,
    may_handle_report,
    may_handle_task,
    may_see_contact,
    reports_in_scope,
)
from gandan.feedback.models import TASK_OPEN, Report, Status, Task, TaskStatus
from gandan.feedback.services.followup import task_accept, task_answer, task_progress
from gandan.feedback.services.reports import (
    report_answer,
    report_merge,
    report_moderate,
    report_set_status,
    report_transfer,
)
from gandan.geo.selectors import UnitNotFound, unit_by_code

# The handling steps of a report, in the order the page shows them.
REPORT_ACTIONS = {
    "status": "cập nhật tình trạng",
    "answer": "trả lời",
    "transfer": "chuyển đơn vị",
    "merge": "gộp phản ánh trùng",
    "moderate": "kiểm duyệt",
}
MODERATION_ACTIONS = {
    "hide_text": "Ẩn nội dung",
    "show_text": "Hiện lại nội dung",
    "redact_photo": "Che ảnh",
    "restore_photo": "Hiện lại ảnh",
}
TASK_ACTIONS = {
    "progress": "ghi tiến độ",
    "answer": "trả lời",
    "accept": "xác nhận đồng ý",
    "reject": "xác nhận chưa đồng ý",
}


def status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


def report_actions(user: Any, report: Report) -> list[str]:
    """The handling steps the user may take on the report now (none for a reader)."""
    if not may_handle_report(user, report):
        return []
    if report.is_open:
        return list(REPORT_ACTIONS)
    return ["moderate"]  # a closed report is still moderated


def _check_action(action: str, known: dict[str, str], offered: list[str], state: str) -> None:
    """Refuse an action no workflow has, or one not offered now (``state``: what it is done to)."""
    if action not in known:
        raise ValidationError({"action": f"Thao tác không hợp lệ: {action!r}."})
    if action not in offered:
        raise ValidationError({"action": f"Không thể {known[action]} {state}."})


def report_act(*, report: Report, action: str, data: dict[str, Any], actor: Any) -> str:
    """Take one handling step on a report; returns what to tell the officer.

    ``data`` holds the step's fields: ``status``/``note``; ``status``/``answer``;
    ``unit`` (a code)/``agency``/``reason``; ``into`` (a report code); ``moderation``/``photo``/``reason``.
    """
    _check_action(
        action,
        REPORT_ACTIONS,
        report_actions(actor, report),
        f"phản ánh đang “{status_label(report.status)}”",
    )
    if action == "status":
        report_set_status(
            report=report, status=data["status"], note=data.get("note") or "", actor=actor
        )
        return f"Đã chuyển tình trạng sang “{status_label(data['status'])}”."
    if action == "answer":
        report_answer(report=report, status=data["status"], answer=data["answer"], actor=actor)
        return "Đã trả lời phản ánh; câu trả lời được công khai."
    if action == "transfer":
        today = timezone.localdate()
        try:
            unit = unit_by_code(str(data["unit"]).strip(), as_of=today)
        except UnitNotFound:
            raise ValidationError(
                {
                    "unit": f"Không có đơn vị mã {data['unit']!r} đang có hiệu lực "
                    f"ngày {today:%d/%m/%Y}."
                }
            ) from None
        report_transfer(
            report=report,
            unit=unit,
            reason=data.get("reason") or "",
            agency=data.get("agency") or "",
            actor=actor,
        )
        return f"Đã chuyển phản ánh đến {report.agency}."
    if action == "merge":
        code = str(data["into"]).strip().upper()
        into = reports_in_scope(actor).filter(code=code).first()
        if into is None:
            raise ValidationError(
                {"into": f"Không tìm thấy phản ánh mã {data['into']!r} trong phạm vi của bạn."}
            )
        report_merge(report=report, into=into, actor=actor)
        return f"Đã gộp vào phản ánh {into.code}."
    moderation = data.get("moderation") or ""
    photo_id = data.get("photo")
    photo = report.photos.filter(pk=photo_id).first() if photo_id else None
    report_moderate(
        report=report, action=moderation, reason=data.get("reason") or "", photo=photo, actor=actor
    )
    return f"Đã kiểm duyệt: {MODERATION_ACTIONS[moderation].lower()}."


def reporter_contact_shown(user: Any, report: Report) -> bool:
    """Whether the user may see the reporter's contact; each time they do, the access log says so."""
    shown = may_see_contact(user, report)
    if shown:
        access_log_record(
            user=user, subject=report, what="reporter_contact", province_code=report.province_code
        )
    return shown


def task_actions(user: Any, task: Task) -> list[str]:
    """What the user may do on the task now: progress and answer while it is open (the lead
    agency), accept or reject once it is answered (the author's unit)."""
    actions = []
    if task.status in TASK_OPEN and may_handle_task(user, task):
        actions += ["progress", "answer"]
    if task.status == TaskStatus.ANSWERED and may_accept_task(user, task):
        actions += ["accept", "reject"]
    return actions


def task_act(*, task: Task, action: str, data: dict[str, Any], actor: Any) -> str:
    """Take one follow-up step on a task (``data["text"]``: the note, answer or reason)."""
    _check_action(
        action,
        TASK_ACTIONS,
        task_actions(actor, task),
        f"nhiệm vụ đang “{task.get_status_display()}”",
    )
    text = str(data.get("text") or "")
    if action == "progress":
        task_progress(task=task, note=text, actor=actor)
        return "Đã ghi tiến độ."
    if action == "answer":
        task_answer(task=task, answer=text, actor=actor)
        return "Đã gửi trả lời."
    task_accept(task=task, accepted=action == "accept", reason=text, actor=actor)
    return "Đã ghi nhận ý kiến của đại biểu."
