"""Scoped lookups for households and the review: 404 outside the user's units, as for a missing row.

A household is in scope if it has ever been registered in a unit the user covers (history
stays readable to the commune that kept it); it may be changed only where it is registered now.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.utils import timezone

from gandan.accounts.access import FULL_ID_ROLES, units_for_roles, units_in_scope
from gandan.accounts.models import Role
from gandan.geo.models import Unit
from gandan.households.models import Assessment, Household, Placement, Review, ReviewRequest


def households_in_scope(user: Any, *, for_write: bool = False, on: dt.date | None = None) -> Any:
    units = units_in_scope(user, for_write=for_write).values("pk")
    placements = Placement.objects.filter(unit__in=units)
    if for_write:
        placements = placements.valid_on(on or timezone.localdate())
    return Household.objects.filter(pk__in=placements.values("household_id"))


def access_household(user: Any, household_id: int, *, for_write: bool = False) -> Household:
    try:
        household: Household = households_in_scope(user, for_write=for_write).get(pk=household_id)
    except Household.DoesNotExist:
        raise Http404("Không tìm thấy hộ.") from None
    return household


def reviews_in_scope(user: Any, *, for_write: bool = False) -> Any:
    return Review.objects.filter(unit__in=units_in_scope(user, for_write=for_write).values("pk"))


def access_review(user: Any, review_id: int, *, for_write: bool = False) -> Review:
    try:
        review: Review = (
            reviews_in_scope(user, for_write=for_write)
            .select_related("unit", "standard")
            .get(pk=review_id)
        )
    except Review.DoesNotExist:
        raise Http404("Không tìm thấy đợt rà soát.") from None
    return review


def access_assessment(user: Any, assessment_id: int, *, for_write: bool = False) -> Assessment:
    units = units_in_scope(user, for_write=for_write).values("pk")
    try:
        assessment: Assessment = (
            Assessment.objects.filter(unit__in=units)
            .select_related("household", "standard", "unit", "hamlet")
            .get(pk=assessment_id)
        )
    except Assessment.DoesNotExist:
        raise Http404("Không tìm thấy kết quả rà soát.") from None
    return assessment


def access_request(user: Any, request_id: int, *, for_write: bool = False) -> ReviewRequest:
    units = units_in_scope(user, for_write=for_write).values("pk")
    try:
        request: ReviewRequest = (
            ReviewRequest.objects.filter(unit__in=units)
            .select_related("household", "unit")
            .get(pk=request_id)
        )
    except ReviewRequest.DoesNotExist:
        raise Http404("Không tìm thấy đề nghị.") from None
    return request


# Roles that handle household files and may see members' full citizen IDs: the shared rule.
__all__ = ["FULL_ID_ROLES", "units_for_roles"]


def may_see_full_citizen_ids(user: Any, household: Household) -> bool:
    """A province specialist or commune leader of a unit where the household is or was
    registered (screens and API alike; each full view is logged by the caller)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    units = units_for_roles(user, FULL_ID_ROLES)
    return bool(Placement.objects.filter(household=household, unit__in=units.values("pk")).exists())


def may_decide(user: Any, unit: Unit) -> bool:
    """Only the commune's leader (the chair of the People's Committee) signs the decision."""
    return bool(units_for_roles(user, frozenset({Role.COMMUNE_LEADER})).filter(pk=unit.pk).exists())
