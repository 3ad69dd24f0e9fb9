"""Reads for a user's own account page."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from knox.models import AuthToken

from gandan.accounts.models import Membership, User


def account_overview(user: User) -> dict[str, Any]:
    """The user's roles in force today and their API tokens (their first characters only)."""
    today = timezone.localdate()
    return {
        "memberships": Membership.objects.valid_on(today)
        .filter(user=user)
        .select_related("unit", "hamlet")
        .order_by("unit__code", "role"),
        "tokens": AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by(
            "created"
        ),
    }
