"""Scoped lookups of officials: an official is visible to users whose roles cover a commune
where the person holds or held a post. Outside that scope: 404, as for a missing person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import Http404

from gandan.accounts.access import (
    FULL_ID_ROLES,
    access_unit_for_staff,
    current_memberships,
    units_for_records,
    units_for_roles,
    units_in_scope,
    village_head_hamlets,
)
from gandan.geo.models import Unit
from gandan.geo.province import home_code
from gandan.officials.models import Official, OfficialQuerySet, Posting


def officials_in_scope(
    user: Any, *, for_write: bool = False, as_of: dt.date | None = None
) -> OfficialQuerySet:
    """People with a post, now or before, where the user reads personnel files: the units of a
    role that reads records whole (for writing: the writing scope), a village head's own
    village; a viewer none (figures only, through the reports)."""
    if for_write:
        held = Q(postings__unit__in=units_in_scope(user, for_write=True, as_of=as_of).values("pk"))
    else:
        held = Q(postings__unit__in=units_for_records(user, as_of=as_of).values("pk")) | Q(
            postings__hamlet_id__in=village_head_hamlets(user, as_of=as_of)
        )
    return Official.objects.active().filter(held).distinct()


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


def default_unit_code(user: Any) -> str:
    """The unit a report screen opens on: the user's first role's, else the served province."""
    memberships = current_memberships(user)
    return memberships[0].unit.code if memberships else home_code()


def access_report_unit(user: Any, unit_id: int) -> Unit:
    """The unit whose reports the user asks for, if their current roles cover it; else 404.

    The current roles decide, whatever the date asked about: a commune formed in 2025 still
    reads the figures of the communes it came from.
    """
    return access_unit_for_staff(user, unit_id)
