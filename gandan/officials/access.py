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


def may_see_full_citizen_ids(user: Any, official_ids: list[int]) -> set[int]:
    """Which of these people the user may see the full citizen ID of, in a fixed number of queries.

    A superuser sees every one; otherwise a role that manages personnel files (a commune leader,
    a provincial specialist) sees those who hold or held a post in the units it covers. Everyone
    else reads the masked form.
    """
    if not official_ids:
        return set()
    if getattr(user, "is_superuser", False):
        return set(official_ids)
    if not {m.role for m in current_memberships(user)} & FULL_ID_ROLES:
        return set()
    return set(
        Posting.objects.filter(
            official_id__in=official_ids,
            unit__in=units_for_roles(user, FULL_ID_ROLES).values("pk"),
        ).values_list("official_id", flat=True)
    )


def may_see_full_citizen_id(user: Any, official: Official) -> bool:
    """Whether the user reads this person's citizen ID in full (the rule of the list, for one)."""
    return official.pk in may_see_full_citizen_ids(user, [official.pk])
