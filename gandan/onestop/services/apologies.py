"""Apologies and new appointments (form 04): drafted, approved by a leader, sent."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from gandan.core.actors import acting_user
from gandan.onestop.events import OnestopEvent as E
from gandan.onestop.models import (
    Apology,
    ApologyStatus,
    Dossier,
)
from gandan.onestop.services._base import (
    _error,
    _event,
    _now,
    _text,
)


class Sender(Protocol):
    def __call__(self, *, phone: str, text: str) -> None: ...


def console_sms(*, phone: str, text: str) -> None:
    """The development SMS sender: prints the message."""
    print(f"[SMS tới {phone}] {text}")  # noqa: T201


def sms_sender() -> Sender:
    """The SMS sender named by ``GANDAN_SMS_SENDER`` (a dotted path), else the console."""
    path = getattr(settings, "GANDAN_SMS_SENDER", "") or "gandan.onestop.services.console_sms"
    module, _, name = path.rpartition(".")
    sender: Sender = getattr(importlib.import_module(module), name)
    return sender


@transaction.atomic
def apology_draft(
    *,
    dossier: Dossier,
    reason: str,
    new_appointment_at: dt.datetime | None,
    actor: Any = None,
    at: dt.datetime | None = None,
) -> Apology:
    """Draft an apology and new appointment for a dossier that will be late."""
    at = _now(at)
    reason = _text(reason, "reason", "lý do chậm")
    if new_appointment_at is None:
        raise _error("Cần nhập thời điểm hẹn lại.", "required", "new_appointment_at")
    if not dossier.is_open:
        raise _error("Chỉ xin lỗi, hẹn lại cho hồ sơ đang giải quyết.", "transition", "status")
    if timezone.is_naive(new_appointment_at):
        raise _error("Thời điểm hẹn lại phải kèm múi giờ.", "naive_datetime", "new_appointment_at")
    current = dossier.appointment_at or dossier.due_at
    if current is not None and new_appointment_at <= current:
        raise _error(
            f"Ngày hẹn lại phải sau ngày hẹn hiện tại ({timezone.localtime(current):%H:%M %d/%m/%Y}).",
            "appointment_not_later",
            "new_appointment_at",
        )
    if dossier.apologies.exclude(status=ApologyStatus.SENT).exists():
        raise _error("Hồ sơ đã có một thư xin lỗi chưa gửi.", "apology_pending", "reason")
    apology = Apology.objects.create(
        dossier=dossier,
        status=ApologyStatus.DRAFT,
        reason=reason,
        new_appointment_at=new_appointment_at,
        drafted_at=at,
        drafted_by=acting_user(actor),
    )
    _event(
        dossier,
        E.APOLOGY_DRAFTED,
        actor,
        at,
        apology=apology.pk,
        new_appointment=new_appointment_at.isoformat(),
    )
    return apology


@transaction.atomic
def apology_approve(
    *, apology: Apology, actor: Any = None, at: dt.datetime | None = None
) -> Apology:
    """The leader approves the apology (callers check the role with ``may_approve``)."""
    at = _now(at)
    if apology.status != ApologyStatus.DRAFT:
        raise _error("Thư xin lỗi không ở trạng thái dự thảo.", "transition", "status")
    apology.status = ApologyStatus.APPROVED
    apology.approved_at = at
    apology.approved_by = acting_user(actor)
    apology.save()
    _event(apology.dossier, E.APOLOGY_APPROVED, actor, at, apology=apology.pk)
    return apology


def apology_text(apology: Apology) -> str:
    dossier = apology.dossier
    return (
        f"{dossier.unit.name} xin lỗi ông/bà {dossier.applicant_name}: hồ sơ {dossier.code} "
        f"({dossier.version.procedure.name}) chưa có kết quả đúng hẹn. Lý do: {apology.reason} "
        f"Hẹn trả kết quả mới: {timezone.localtime(apology.new_appointment_at):%H:%M ngày %d/%m/%Y}."
    )


@transaction.atomic
def apology_send(*, apology: Apology, actor: Any = None, at: dt.datetime | None = None) -> Apology:
    """Send an approved apology (email and/or SMS, or handed over at the desk) and move the
    appointment. Sent after the due time, it is recorded as late."""
    at = _now(at)
    if apology.status != ApologyStatus.APPROVED:
        raise _error(
            "Thư xin lỗi phải được lãnh đạo duyệt trước khi gửi.", "not_approved", "status"
        )
    dossier = apology.dossier
    text = apology_text(apology)
    via = []
    if dossier.applicant_email:
        send_mail(
            f"Xin lỗi và hẹn lại: hồ sơ {dossier.code}",
            text,
            None,
            [dossier.applicant_email],
        )
        via.append("email")
    if dossier.applicant_phone:
        sms_sender()(phone=dossier.applicant_phone, text=text)
        via.append("sms")
    if not via:
        via.append("paper")
    apology.status = ApologyStatus.SENT
    apology.sent_at = at
    apology.sent_via = ",".join(via)
    apology.sent_late = bool(dossier.due_at and at > dossier.due_at)
    apology.save()
    dossier.appointment_at = apology.new_appointment_at
    dossier.save(update_fields=["appointment_at", "updated_at"])
    _event(
        dossier,
        E.APOLOGY_SENT,
        actor,
        at,
        apology=apology.pk,
        via=apology.sent_via,
        late=apology.sent_late,
    )
    return apology
