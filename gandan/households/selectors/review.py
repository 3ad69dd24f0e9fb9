"""What a periodic review shows, on its screen and through the API alike: its five steps and
which is done, its counts, and the actions open now to a given user.

A listed household counts as surveyed when it has a current assessment of the review's year —
the rule the services apply before a village may meet or the results be posted — whether the
survey was keyed in through the review or recorded otherwise (an import, a regular review).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery

from gandan.accounts.access import units_in_scope
from gandan.geo.models import Hamlet, Level, Unit
from gandan.households.access import (
    ReviewWriter,
    household_lookup,
    may_decide,
    review_writer,
    reviews_in_scope,
)
from gandan.households.models import (
    Assessment,
    FrozenReport,
    Household,
    Review,
    ReviewAction,
    ReviewEntry,
    ReviewStatus,
    Standing,
    VillageMeeting,
)

STEPS = list(ReviewStatus)  # the five steps, in order


@dataclass(frozen=True)
class ReviewStep:
    number: int
    status: str
    label: str
    state: str  # "done", "current" or "todo"


def review_steps(review: Review) -> list[ReviewStep]:
    """The five steps; a decided review is locked, so every step of it is done."""
    reached = STEPS.index(ReviewStatus(review.status))
    steps = []
    for index, step in enumerate(STEPS):
        if index < reached or review.is_locked:
            state = "done"
        else:
            state = "current" if index == reached else "todo"
        steps.append(ReviewStep(index + 1, step.value, str(step.label), state))
    return steps


@dataclass
class ReviewCounts:
    """A review's list by reason and its surveyed households by standing."""

    listed: int = 0
    listed_poor: int = 0
    listed_near_poor: int = 0
    listed_on_request: int = 0
    standings: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Standing.values, 0))

    @property
    def surveyed(self) -> int:
        return sum(self.standings.values())

    @property
    def unsurveyed(self) -> int:
        return self.listed - self.surveyed

    @property
    def poor(self) -> int:
        return self.standings[Standing.POOR]

    @property
    def near_poor(self) -> int:
        return self.standings[Standing.NEAR_POOR]

    def as_dict(self) -> dict[str, Any]:
        return {
            "listed": self.listed,
            "listed_poor": self.listed_poor,
            "listed_near_poor": self.listed_near_poor,
            "listed_on_request": self.listed_on_request,
            "surveyed": self.surveyed,
            "unsurveyed": self.unsurveyed,
            "standings": dict(self.standings),
        }


def review_counts(reviews: list[Review]) -> dict[int, ReviewCounts]:
    """The counts of each review, in one grouped query."""
    counts = {review.pk: ReviewCounts() for review in reviews}
    if not counts:
        return counts
    standing = Subquery(
        Assessment.objects.current()
        .filter(year=OuterRef("review__year"), household_id=OuterRef("household_id"))
        .order_by()  # one current row a household and year: no join for the model's order
        .values("standing")[:1]
    )
    rows = (
        ReviewEntry.objects.filter(review_id__in=list(counts))
        .annotate(standing=standing)
        .values_list("review_id", "reason", "standing")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_reason = {
        ReviewEntry.Reason.POOR: "listed_poor",
        ReviewEntry.Reason.NEAR_POOR: "listed_near_poor",
        ReviewEntry.Reason.REQUEST: "listed_on_request",
    }
    for review_id, reason, standing_value, n in rows:
        found = counts[review_id]
        found.listed += n
        name = by_reason.get(reason)
        if name is not None:
            setattr(found, name, getattr(found, name) + n)
        if standing_value is not None:
            found.standings[standing_value] += n
    return counts


def review_meetings(review: Review) -> list[VillageMeeting]:
    """The review's village meetings, by village and round."""
    return list(
        VillageMeeting.objects.filter(review=review)
        .select_related("hamlet")
        .order_by("hamlet__name", "hamlet_id", "round")
    )


def adopted_hamlets(review: Review) -> set[int]:
    """Villages whose latest meeting adopted the results."""
    last: dict[int, bool] = {}
    for hamlet_id, accepted in (
        VillageMeeting.objects.filter(review=review)
        .order_by("round")
        .values_list("hamlet_id", "accepted")
    ):
        last[hamlet_id] = accepted
    return {hamlet_id for hamlet_id, accepted in last.items() if accepted}


@dataclass(frozen=True)
class ReviewActions:
    """The actions open now to one user on one review, and the villages they may meet for."""

    writer: ReviewWriter
    names: frozenset[str]
    meeting_hamlets: frozenset[int]  # villages the user may still record a meeting for

    def __contains__(self, name: object) -> bool:
        return name in self.names


def review_actions(user: Any, review: Review) -> ReviewActions:
    """Which steps ``user`` may record on ``review`` now: the review's step allows them, and
    the user's role does (a village head: surveys and meetings of his own villages)."""
    writer = review_writer(user, review)
    names: set[str] = set()
    meeting_hamlets: frozenset[int] = frozenset()
    status = review.status
    if review.is_locked:
        return ReviewActions(writer, frozenset(), meeting_hamlets)
    if writer.writes:
        if writer.commune and status in (ReviewStatus.LISTING, ReviewStatus.SURVEYING):
            names.add(ReviewAction.REQUEST_ADD)
        if status in (ReviewStatus.LISTING, ReviewStatus.SURVEYING, ReviewStatus.MEETINGS):
            names.add(ReviewAction.SURVEY)
        if status in (ReviewStatus.SURVEYING, ReviewStatus.MEETINGS):
            listed = set(
                ReviewEntry.objects.filter(review=review, hamlet__isnull=False).values_list(
                    "hamlet_id", flat=True
                )
            )
            open_hamlets = listed - adopted_hamlets(review)
            if not writer.commune:
                open_hamlets &= writer.hamlet_ids
            meeting_hamlets = frozenset(open_hamlets)
            if meeting_hamlets:
                names.add(ReviewAction.MEETING)
            if writer.commune:
                names.add(ReviewAction.POST)
    if status == ReviewStatus.POSTING and may_decide(user, review.unit):
        names.add(ReviewAction.DECIDE)
    return ReviewActions(writer, frozenset(names), meeting_hamlets)


# --- The screens' lists ------------------------------------------------------------------------


def review_years(user: Any) -> list[int]:
    """The years of the reviews in the user's scope, latest first."""
    years = reviews_in_scope(user).values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


@dataclass(frozen=True)
class ReviewRow:
    review: Review
    counts: ReviewCounts


def reviews_filtered(
    user: Any,
    *,
    year: int | None = None,
    status: str = "",
    unit: Unit | None = None,
) -> QuerySet[Review]:
    """The reviews of the user's scope, of ``year`` and at ``status`` when given, and of the
    communes within ``unit`` (the unit itself and below it) when given; unordered. The screen's
    list and the API's list both read it."""
    reviews = reviews_in_scope(user)
    if year:
        reviews = reviews.filter(year=year)
    if status:
        reviews = reviews.filter(status=status)
    if unit is not None:
        reviews = reviews.filter(unit__in=Unit.objects.descendants_of([unit.pk]).values("pk"))
    return reviews.select_related("unit", "standard")  # type: ignore[no-any-return]


def reviews_listed(
    user: Any,
    *,
    year: int | None = None,
    status: str = "",
    unit: Unit | None = None,
) -> QuerySet[Review]:
    """The API's list: :func:`reviews_filtered`, latest year first, each with its ``listed``
    count of households."""
    return (
        reviews_filtered(user, year=year, status=status, unit=unit)
        .annotate(listed=Count("entries"))
        .order_by("-year", "unit__code", "pk")
    )


def reviews_of_year(user: Any, year: int) -> list[ReviewRow]:
    """The reviews of ``year`` in the user's scope by commune name, each with its counts."""
    reviews = list(reviews_filtered(user, year=year).order_by("unit__name"))
    counts = review_counts(reviews)
    return [ReviewRow(review, counts[review.pk]) for review in reviews]


def openable_units(user: Any, on: dt.date) -> list[Unit]:
    """Communes the user writes for that have not opened the review of ``on``'s year yet."""
    opened = Review.objects.filter(year=on.year).values("unit_id")
    return list(
        units_in_scope(user, for_write=True)
        .valid_on(on)
        .filter(level=Level.COMMUNE)
        .exclude(pk__in=opened)
        .order_by("name")
    )


@dataclass
class EntryRow:
    entry: ReviewEntry
    assessment: Assessment | None
    writable: bool


@dataclass
class VillageGroup:
    hamlet: Hamlet | None
    rows: list[EntryRow] = field(default_factory=list)
    meetings: list[VillageMeeting] = field(default_factory=list)
    writable: bool = False
    shown: bool = True  # the reader may see the households listed (else their counts only)

    @property
    def name(self) -> str:
        return self.hamlet.name if self.hamlet else "Chưa gắn thôn, tổ dân phố"

    @property
    def surveyed(self) -> int:
        return sum(1 for r in self.rows if r.assessment is not None)

    @property
    def poor(self) -> int:
        return sum(1 for r in self.rows if r.assessment and r.assessment.standing == Standing.POOR)

    @property
    def near_poor(self) -> int:
        return sum(
            1 for r in self.rows if r.assessment and r.assessment.standing == Standing.NEAR_POOR
        )

    @property
    def last_meeting(self) -> VillageMeeting | None:
        return self.meetings[-1] if self.meetings else None

    @property
    def adopted(self) -> bool:
        last = self.last_meeting
        return last is not None and last.accepted

    @property
    def sent_back(self) -> bool:
        last = self.last_meeting
        return last is not None and not last.accepted


def review_groups(
    review: Review, writer: ReviewWriter, *, visible: frozenset[int] | None = None
) -> list[VillageGroup]:
    """The review's list by village, with each household's current survey and the meetings;
    villages by name, the households without a village last. Only the villages in ``visible``
    (None: all; ``access.visible_review_hamlets``) are ``shown`` household by household."""
    entries = list(
        ReviewEntry.objects.filter(review=review)
        .select_related("household", "hamlet")
        .order_by("hamlet__name", "household__code")
    )
    assessments = {
        a.household_id: a
        for a in Assessment.objects.current().filter(
            year=review.year, household_id__in=[e.household_id for e in entries]
        )
    }
    meetings: dict[int, list[VillageMeeting]] = {}
    for meeting in VillageMeeting.objects.filter(review=review).order_by("round"):
        meetings.setdefault(meeting.hamlet_id, []).append(meeting)
    groups: dict[int | None, VillageGroup] = {}
    for entry in entries:
        group = groups.get(entry.hamlet_id)
        if group is None:
            group = groups[entry.hamlet_id] = VillageGroup(
                hamlet=entry.hamlet,
                meetings=meetings.get(entry.hamlet_id or 0, []),
                writable=writer.covers(entry.hamlet_id),
                shown=visible is None or entry.hamlet_id in visible,
            )
        group.rows.append(
            EntryRow(entry, assessments.get(entry.household_id), writable=group.writable)
        )
    return sorted(groups.values(), key=lambda g: (g.hamlet is None, g.name))


def review_hamlets(review: Review) -> list[Hamlet]:
    """The villages of the review's list, by name."""
    return list(
        Hamlet.objects.filter(
            pk__in=ReviewEntry.objects.filter(review=review).values("hamlet_id")
        ).order_by("name")
    )


def frozen_report(review: Review) -> FrozenReport | None:
    return FrozenReport.objects.filter(review=review).first()


def review_entry(review: Review, *, household_id: int | None = None, code: str = "") -> Any:
    """The entry of a listed household (by id or code), or None."""
    entries = ReviewEntry.objects.filter(review=review).select_related("household", "hamlet")
    if household_id is not None:
        entries = entries.filter(household_id=household_id)
    else:
        entries = entries.filter(household__code=code)
    return entries.first()


def household_by_code(user: Any, code: str, *, province_code: str) -> Household | None:
    """A household of the user's scope by its code in the province, or None."""
    found: Household | None = (
        household_lookup(user).filter(code=code, province_code=province_code).first()
    )
    return found


def last_meeting(review: Review, hamlet_id: int | None) -> VillageMeeting | None:
    if hamlet_id is None:
        return None
    found: VillageMeeting | None = (
        VillageMeeting.objects.filter(review=review, hamlet_id=hamlet_id).order_by("-round").first()
    )
    return found


def current_assessment(household: Household | int, year: int) -> Assessment | None:
    found: Assessment | None = (
        Assessment.objects.current().filter(household=household, year=year).first()
    )
    return found


def members_now(household: Household, on: dt.date) -> int:
    return int(household.members.valid_on(on).count())


def assessment_shown(assessment_id: int) -> Assessment:
    """An assessment with what its API answer names (standard, unit, village)."""
    found: Assessment = Assessment.objects.select_related("standard", "unit", "hamlet").get(
        pk=assessment_id
    )
    return found
