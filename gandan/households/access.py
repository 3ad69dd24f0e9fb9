"""Scoped lookups for households and the review: 404 outside the user's units, as for a missing row.

A household is in scope if it has ever been registered in a unit the user covers (history
stays readable to the commune that kept it); it may be changed only where it is registered now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gandan.accounts.access import (
    FULL_ID_ROLES,
    UNIT_RECORD_ROLES,
    current_memberships,
    hamlets_in_scope,
    has_scope,
    reads_beyond_a_commune,
    units_for_records,
    units_for_roles,
    units_in_scope,
    village_head_hamlets,
)
from gandan.accounts.models import Role
from gandan.core.models import valid_on_q
from gandan.geo.models import Unit
from gandan.households.models import Household, Placement, Review, ReviewRequest


def _placements_in_scope(user: Any, *, for_write: bool, on: dt.date | None) -> Any:
    """The placements that bring a household into the user's scope.

    The units are read first and written into the query as values (a province: a few hundred):
    given a subquery instead, PostgreSQL guessed a hundredth of the province's placements and
    gathered all 685,000 of them to count a page's worth of households.
    """
    if for_write:
        units = units_in_scope(user, for_write=True)
        return Placement.objects.filter(unit__in=_ids(units)).valid_on(on or timezone.localdate())
    if getattr(user, "is_superuser", False) and user.is_active:
        return Placement.objects.all()
    return Placement.objects.filter(
        Q(unit__in=_ids(units_for_records(user))) | Q(hamlet_id__in=village_head_hamlets(user))
    )


def _ids(units: Any) -> list[int]:
    return list(units.values_list("pk", flat=True))


def households_in_scope(user: Any, *, for_write: bool = False, on: dt.date | None = None) -> Any:
    """Households registered (ever, for reading; on ``on``, for writing) where the user reads
    personal records: the units of a role that reads them whole, a village head's own village;
    a viewer none (figures only, through the reports).

    The same rows in the form that is quick for the scope's size. A commune's: its placements
    gathered first (``pk IN …``; on PostgreSQL :func:`_gathered`), a few thousand. A
    province's: each household probed for a placement in scope (a correlated EXISTS), so that a
    page in code order reads its fifty rows along the index instead of gathering the whole
    province first — about a second on either database. To find one household (by id or code), :func:`household_lookup`.
    """
    if not for_write and reads_beyond_a_commune(user):
        return household_lookup(user)
    placed = _placements_in_scope(user, for_write=for_write, on=on).values("household_id")
    if connection.vendor == "postgresql":
        return Household.objects.filter(_gathered(placed))
    return Household.objects.filter(pk__in=placed)


def households_living_in_scope(user: Any, *, with_dissolved: bool = False) -> Any:
    """Households that live today in the user's scope — and, ``with_dissolved``, dissolved
    ones where they last lived: the registry as it stands (a review year's list reads
    :func:`households_in_scope`, which keeps those that have moved away since).

    A commune's households are those whose ``commune`` (their latest place) is one of the
    user's units, read along ``household_commune_order`` a page at a time at any size of
    commune; a village head's, those placed in the village. A province's as
    :func:`households_in_scope`: its pages read along the code index already.
    """
    if reads_beyond_a_commune(user):
        return household_lookup(user)
    today = timezone.localdate()
    units = units_for_records(user)
    condition = Q(commune__in=_ids(units if with_dissolved else units.valid_on(today)))
    hamlets = village_head_hamlets(user)
    if hamlets:
        placed = living_on(Placement.objects.filter(hamlet_id__in=hamlets), today, with_dissolved)
        condition |= Q(pk__in=placed.values("household_id"))
    return Household.objects.filter(condition)


def living_on(
    placements: QuerySet[Placement], on: dt.date, with_dissolved: bool = True
) -> QuerySet[Placement]:
    """The ``placements`` of ``on`` — and, ``with_dissolved``, a dissolved household's last."""
    condition = valid_on_q(on)
    if with_dissolved:
        condition |= Q(household__dissolved_on__lte=on, valid_to=F("household__dissolved_on"))
    return placements.filter(condition)


def _gathered(household_ids: Any) -> Func:
    """``id = ANY(ARRAY(…))``: PostgreSQL gathers the commune's households first, then sorts a
    page's worth. Given ``id IN (…)`` it walked the households in code order probing each for a
    placement, on the belief that a commune's households lie evenly along the code index; codes
    begin with the commune's code, so a commune late in code order read the whole province
    before its first page (1× the demo: a median of 374 ms over Huế's 40 communes and 727 ms at
    worst, against 21 and 39 ms gathered first; SQLite gathers first by itself)."""
    return Func(
        F("pk"),
        ArraySubquery(household_ids),
        arg_joiner=" = ANY(",
        template="(%(expressions)s))",
        output_field=BooleanField(),
    )


def household_lookup(user: Any, *, for_write: bool = False, on: dt.date | None = None) -> Any:
    """:func:`households_in_scope`, shaped to find one household: each candidate's own
    placements are probed (a correlated EXISTS). SQLite evaluates ``pk IN (placements…)`` for
    the whole scope first — about a second for the province leader, even to open one household.
    """
    placements = _placements_in_scope(user, for_write=for_write, on=on)
    return Household.objects.filter(Exists(placements.filter(household=OuterRef("pk"))))


def visible_review_hamlets(user: Any, review: Review) -> frozenset[int] | None:
    """The villages of ``review`` whose households the user may see listed: None for all
    (a role that reads the commune's records), else a village head's own (a viewer: none)."""
    if units_for_records(user).filter(pk=review.unit_id).exists():
        return None
    return frozenset(village_head_hamlets(user))


def access_review_entry(user: Any, review: Review, household_id: int) -> Any:
    """The review's entry for a listed household the user may see (its village among
    ``visible_review_hamlets``); 404 otherwise, as for a household not listed."""
    from gandan.households.selectors import review_entry

    entry = review_entry(review, household_id=household_id)
    visible = visible_review_hamlets(user, review)
    if entry is None or (visible is not None and entry.hamlet_id not in visible):
        raise Http404("Hộ không có trong danh sách rà soát.")
    return entry


def access_unit_for_lists(user: Any, code: str, *, as_of: dt.date | None = None) -> Unit:
    """The unit with ``code`` (valid on ``as_of``, else its latest) that narrows a list, if the
    user's current roles cover it; 404 whether it does not exist or lies outside the scope."""
    from gandan.geo.selectors import UnitNotFound, unit_by_code

    try:
        unit = unit_by_code(code, as_of=as_of)
    except UnitNotFound:
        unit = None
    if unit is None or not units_in_scope(user).filter(pk=unit.pk).exists():
        raise Http404(f"unit: không tìm thấy đơn vị mã {code!r} trong phạm vi của bạn.")
    return unit


def access_household(user: Any, household_id: int, *, for_write: bool = False) -> Household:
    rows = household_lookup(user, for_write=for_write)
    household: Household = _one_or_404(rows, household_id, "Không tìm thấy hộ.")
    return household


def reviews_in_scope(user: Any, *, for_write: bool = False) -> Any:
    return Review.objects.filter(unit__in=units_in_scope(user, for_write=for_write).values("pk"))


def _one_or_404(rows: Any, pk: int, missing: str) -> Any:
    """The row ``pk`` of the scoped ``rows``; 404 with ``missing`` whether it does not exist
    or lies outside the scope."""
    try:
        return rows.get(pk=pk)
    except rows.model.DoesNotExist:
        raise Http404(missing) from None


def access_review(user: Any, review_id: int, *, for_write: bool = False) -> Review:
    rows = reviews_in_scope(user, for_write=for_write).select_related("unit", "standard")
    review: Review = _one_or_404(rows, review_id, "Không tìm thấy đợt rà soát.")
    return review


@dataclass(frozen=True)
class ReviewWriter:
    """What a user may record on a review: the whole commune's, or only some villages'."""

    commune: bool  # writes for the review's commune
    hamlet_ids: frozenset[int]  # villages of the review a village head writes for

    @property
    def writes(self) -> bool:
        return self.commune or bool(self.hamlet_ids)

    def covers(self, hamlet_id: int | None) -> bool:
        """May record the surveys and the meeting of village ``hamlet_id``."""
        return self.commune or (hamlet_id is not None and hamlet_id in self.hamlet_ids)


def review_writer(user: Any, review: Review) -> ReviewWriter:
    commune = bool(reviews_in_scope(user, for_write=True).filter(pk=review.pk).exists())
    hamlet_ids: frozenset[int] = frozenset()
    if not commune:
        hamlet_ids = frozenset(
            hamlets_in_scope(user, for_write=True)
            .filter(commune_id=review.unit_id)
            .values_list("pk", flat=True)
        )
    return ReviewWriter(commune, hamlet_ids)


def access_review_for_write(
    user: Any, review_id: int, *, hamlet_id: int | None = None, any_village: bool = False
) -> tuple[Review, ReviewWriter]:
    """The review and what the user may record on it, if the user writes for its commune, or
    (a village head) for village ``hamlet_id`` — or for any of its villages with
    ``any_village``; 404 otherwise, also for those who may only read it."""
    review = access_review(user, review_id)
    writer = review_writer(user, review)
    allowed = writer.writes if any_village else writer.covers(hamlet_id)
    if not allowed:
        raise Http404("Không tìm thấy đợt rà soát.")
    return review, writer


def may_read_households(user: Any) -> bool:
    """Whether the user reads households' records anywhere (a viewer reads figures only)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(m.role in UNIT_RECORD_ROLES for m in current_memberships(user)) or bool(
        village_head_hamlets(user)
    )


def may_open_reviews(user: Any) -> bool:
    """Roles that write for some unit may open a commune's review and receive requests."""
    return has_scope(user, for_write=True)


def access_request(user: Any, request_id: int, *, for_write: bool = False) -> ReviewRequest:
    rows = requests_in_scope(user, for_write=for_write).select_related("household", "unit")
    request: ReviewRequest = _one_or_404(rows, request_id, "Không tìm thấy đề nghị.")
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


def _placed_in_own_village(user: Any, household: Household, on: dt.date) -> bool:
    place = Placement.objects.valid_on(on).filter(household=household).first()
    return bool(
        place is not None
        and place.hamlet_id is not None
        and hamlets_in_scope(user, for_write=True).filter(pk=place.hamlet_id).exists()
    )


def may_write_commune_wide(user: Any, household: Household, on: dt.date) -> bool:
    """The household is registered on ``on`` in a commune the user writes for (not only as
    the head of its village)."""
    return bool(household_lookup(user, for_write=True, on=on).filter(pk=household.pk).exists())


def access_household_for_write(user: Any, household_id: int, on: dt.date) -> Household:
    """The household if the user may change it on ``on``: registered in a commune he writes
    for, or (a village head) in his own village. 404 otherwise, as for a missing household."""
    household = access_household(user, household_id)
    if may_write_commune_wide(user, household, on) or _placed_in_own_village(user, household, on):
        return household
    raise Http404("Không tìm thấy hộ.")


def may_write_household(user: Any, household: Household, on: dt.date) -> bool:
    """The household is not dissolved and the user may change it on ``on``."""
    if household.dissolved_on is not None:
        return False
    try:
        access_household_for_write(user, household.pk, on)
    except Http404:
        return False
    return True


def requests_in_scope(user: Any, *, for_write: bool = False) -> Any:
    """Requests for a regular review received in the units of the user's scope."""
    units = units_in_scope(user, for_write=for_write).values("pk")
    return ReviewRequest.objects.filter(unit__in=units)


def may_receive_requests(user: Any) -> bool:
    """Roles that write for some unit receive households' requests (Mẫu 04)."""
    return may_open_reviews(user)


def may_decide_request(user: Any, request: ReviewRequest) -> bool:
    """The user writes for the commune the request was received in."""
    return bool(units_in_scope(user, for_write=True).filter(pk=request.unit_id).exists())


def may_import_households(user: Any) -> bool:
    """Roles that write for some unit may import review results (each row is checked against
    the places they write for)."""
    return may_open_reviews(user)
