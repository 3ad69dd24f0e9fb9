"""Writes shared by every app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from gandan.core import statements
from gandan.core.actors import acting_user
from gandan.core.events import is_declared
from gandan.core.models import Event


def event_record(
    *,
    kind: str,
    subject: models.Model,
    actor: Any = None,
    province_code: str | None = None,
    data: dict[str, Any] | None = None,
    occurred_at: dt.datetime | None = None,
) -> Event:
    """Write one event row for a state change of ``subject``.

    Call it inside the service's transaction, so that the change and its event land together.
    ``kind`` is a member of an app's event kinds (``<app>/events.py``); a free string is refused.
    The province is the subject's own (``subject.province_code``) unless given.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_record must run inside the transaction of the change it records")
    if not is_declared(kind):
        raise ValueError(f"event kind {kind!r} is not declared in any app's events.py")
    event = Event(
        kind=kind,
        actor=acting_user(actor),
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        province_code=(
            getattr(subject, "province_code", "") if province_code is None else province_code
        ),
        data=data or {},
        occurred_at=occurred_at or timezone.now(),
    )
    # One prepared statement (core.statements): every change of every app writes one.
    statements.insert([event])
    return event


def access_log_record(
    *, user: Any, subject: models.Model, what: str, province_code: str = ""
) -> None:
    """Record that ``user`` viewed personal data of ``subject`` (e.g. a full personnel file)."""
    from gandan.core.models import AccessLog

    AccessLog.objects.create(
        user=user,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        what=what,
        province_code=province_code,
    )
