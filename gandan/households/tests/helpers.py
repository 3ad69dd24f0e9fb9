"""Helpers shared by the households tests: Huế's clock, users with a role, signed-in clients."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.test import Client

from gandan.accounts.services import membership_grant
from gandan.core.testing.personas import PASSWORD

HUE = ZoneInfo("Asia/Ho_Chi_Minh")
# Every key of the poverty report (`gandan report poverty`, /api/v1/reports/poverty/).
REPORT_KEYS = {
    "computed_at",
    "unit",
    "year",
    "as_of",
    "standard",
    "households",
    "poor",
    "poor_rate",
    "near_poor",
    "near_poor_rate",
    "poor_start",
    "escaped",
    "left",
    "fell_back",
    "newly_poor",
    "moved_in",
    "moved_out",
    "near_poor_start",
    "near_poor_escaped",
    "near_poor_left",
    "near_poor_fell_back",
    "newly_near_poor",
    "near_poor_moved_in",
    "near_poor_moved_out",
    "breakdown",
    "review",
    "by_unit",
}


def signed_in(user: Any) -> Client:
    """A client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def grant(personas: Any, username: str, role: str, *, unit: Any = None, **extra: Any) -> Any:
    """A new user ``username`` with ``role`` in ``unit`` (commune A by default)."""
    return membership_grant(
        username=username,
        role=role,
        unit=unit or personas.commune_a,
        password=PASSWORD,
        **extra,
    ).user
