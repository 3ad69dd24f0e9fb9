"""Scoped lookups of officials: an official is visible to users whose roles cover a commune
where the person holds or held a post. Outside that scope: 404, as for a missing person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404

from gandan.accounts.access import (
    FULL_ID_ROLES,
    current_memberships,
    units_for_roles,
    units_in_scope,
)
from gandan.officials.models import Official, OfficialQuerySet, Posting

# Roles that handle personnel files and so see full citizen ID numbers in their scope.


def officials_in_scope(
    user: Any, *, for_write: bool = False, as_of: dt.date | None = None
) -> OfficialQuerySet:
    units = units_in_scope(user, for_write=for_write, as_of=as_of)
    return Official.objects.active().filter(postings__unit__in=units.values("pk")).distinct()


def access_official(user: Any, official_id: int, *, for_write: bool = False) -> Official:
    """The person, if a post they hold or held is in the user's scope; else 404."""
    try:
        return (
            officials_in_scope(user, for_write=for_write)
            .select_related("home_unit")
            .get(pk=official_id)
        )
    except Official.DoesNotExist:
        raise Http404("Không tìm thấy cán bộ, công chức.") from None


def can_see_full_citizen_id(user: Any, official: Official) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    roles = {m.role for m in current_memberships(user)}
    if not roles & FULL_ID_ROLES:
        return False
    full_units = units_in_scope_for_roles(user, FULL_ID_ROLES)
    return official.postings.filter(unit__in=full_units).exists()


def units_in_scope_for_roles(user: Any, roles: frozenset[str]) -> Any:
    return units_for_roles(user, roles).values("pk")


def full_id_official_ids(user: Any, official_ids: list[int]) -> set[int]:
    """Which of these people the user may see the full citizen ID of, in a fixed number of queries.

    The same rule as :func:`gandan.officials.access.can_see_full_citizen_id`, for a page of people.
    """
    if not official_ids:
        return set()
    if getattr(user, "is_superuser", False):
        return set(official_ids)
    if not {m.role for m in current_memberships(user)} & FULL_ID_ROLES:
        return set()
    return set(
        Posting.objects.filter(
            official_id__in=official_ids, unit__in=units_in_scope_for_roles(user, FULL_ID_ROLES)
        ).values_list("official_id", flat=True)
    )
