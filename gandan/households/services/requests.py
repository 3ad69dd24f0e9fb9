"""The regular review on a household's request (Mẫu 04): receive it, decide it within the legal time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gandan.core.actors import acting_user
from gandan.core.calendar import WorkingCalendar
from gandan.core.services import event_record
from gandan.households.events import HouseholdEvent
from gandan.households.models import (
    Assessment,
    Household,
    RequestStatus,
    ReviewRequest,
)
from gandan.households.services.classification import Survey, assessment_correct, assessment_record
from gandan.households.services.common import lists_year, review_rule
from gandan.households.services.registry import placement_on

# --- The regular review (on request) ---------------------------------------------------------


@transaction.atomic
def request_receive(
    *,
    household: Household,
    received_on: dt.date,
    asks: str,
    reason: str,
    actor: Any = None,
) -> ReviewRequest:
    """A household's request (Mẫu 04); the commune must decide within the legal clock."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Cần ghi lý do đề nghị."})
    if asks not in ("enter", "leave"):
        raise ValidationError({"asks": "Đề nghị không hợp lệ."})
    place = placement_on(household, received_on)
    if place is None:
        raise ValidationError("Hộ không cư trú ở đâu vào ngày nhận đề nghị.")
    due = WorkingCalendar().add_working_days(received_on, review_rule("request_days"))
    request = ReviewRequest.objects.create(
        household=household,
        unit=place.unit,
        province_code=household.province_code,
        received_on=received_on,
        due_on=due,
        asks=asks,
        reason=reason,
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    event_record(
        kind=HouseholdEvent.REQUEST_RECEIVED,
        subject=request,
        actor=actor,
        data={"household": household.code, "due_on": due.isoformat()},
    )
    return request


@transaction.atomic
def request_decide(
    *,
    request: ReviewRequest,
    decided_on: dt.date,
    survey: Survey | None = None,
    answer: str = "",
    actor: Any = None,
) -> ReviewRequest:
    """Decide a request: with a survey, the household's standing in the lists in force changes
    from ``decided_on`` (a dated correction); without one, a written answer with reasons."""
    if request.status != RequestStatus.PENDING:
        raise ValidationError("Đề nghị này đã được giải quyết.")
    if decided_on < request.received_on:
        raise ValidationError({"decided_on": "Ngày giải quyết không thể trước ngày nhận."})
    answer = answer.strip()
    if survey is None:
        if not answer:
            raise ValidationError({"answer": "Không công nhận thì phải trả lời nêu rõ lý do."})
        request.status = RequestStatus.REFUSED
    else:
        year = lists_year(decided_on)
        current = Assessment.objects.filter(
            household=request.household, year=year, superseded_on__isnull=True
        ).first()
        if current is None:
            request.assessment = assessment_record(
                household=request.household,
                year=year,
                survey=survey,
                recorded_on=decided_on,
                actor=actor,
            )
        else:
            request.assessment = assessment_correct(
                assessment=current,
                survey=survey,
                on=decided_on,
                reason=f"Rà soát thường xuyên theo đề nghị ngày {request.received_on:%d/%m/%Y}",
                actor=actor,
            )
        request.status = RequestStatus.DECIDED
    request.decided_on = decided_on
    request.answer = answer
    request.updated_by = acting_user(actor)
    request.save()
    event_record(
        kind=HouseholdEvent.request_settled(request.status),
        subject=request,
        actor=actor,
        data={
            "on": decided_on.isoformat(),
            "late": request.is_late(decided_on),
            "standing": request.assessment.standing if request.assessment else None,
        },
    )
    return request
