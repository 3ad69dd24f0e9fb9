"""What the regular review's requests (Mẫu 04) show, on the screen and through the API alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from gandan.geo.models import Unit
from gandan.households.access import household_lookup, requests_in_scope
from gandan.households.models import Household, RequestStatus, ReviewRequest

__all__ = ["household_to_receive", "late_requests", "review_requests"]


def review_requests(
    user: Any,
    *,
    pending: bool = False,
    unit: Unit | None = None,
    status: str = "",
) -> QuerySet[ReviewRequest]:
    """Requests in the user's scope: pending ones by due date, else the latest first; within
    ``unit`` (and below it) and of ``status`` when given."""
    found = requests_in_scope(user).select_related("household", "unit")
    if unit is not None:
        found = found.filter(unit__in=Unit.objects.descendants_of([unit.pk]).values("pk"))
    if status:
        found = found.filter(status=status)
    if pending:
        return found.filter(status=RequestStatus.PENDING).order_by("due_on", "pk")  # type: ignore[no-any-return]
    return found.order_by("-received_on", "-pk")  # type: ignore[no-any-return]


def late_requests(user: Any, today: dt.date) -> int:
    """How many pending requests of the user's scope are past their due date."""
    return int(
        requests_in_scope(user).filter(status=RequestStatus.PENDING, due_on__lt=today).count()
    )


def household_to_receive(user: Any, code: str, on: dt.date | None = None) -> Household | None:
    """The one household of that code registered on ``on`` (today) where the user writes."""
    matches = list(household_lookup(user, for_write=True, on=on).filter(code=code.strip())[:2])
    return matches[0] if len(matches) == 1 else None
