"""The periodic review's steps (list, survey, village meetings, posting, decision) and its one dispatcher, :func:`review_act`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gandan.core.actors import acting_user
from gandan.core.calendar import WorkingCalendar
from gandan.core.services import event_record
from gandan.geo.models import Hamlet, Level, Unit
from gandan.households.classification import StandardRules
from gandan.households.events import HouseholdEvent
from gandan.households.models import (
    Assessment,
    FrozenReport,
    Household,
    Placement,
    Review,
    ReviewAction,
    ReviewEntry,
    ReviewStatus,
    Standing,
    VillageMeeting,
    review_date,
)
from gandan.households.services.classification import (
    Survey,
    assessment_record,
    build_assessment,
    check_survey,
)
from gandan.households.services.common import area_of, review_rule, standard_for_year
from gandan.households.services.registry import placement_on

# --- The periodic review -----------------------------------------------------------------------


def _check_review_open(review: Review) -> None:
    if review.is_locked:
        raise ValidationError(
            f"Đợt rà soát năm {review.year} đã có quyết định công nhận: dữ liệu đã khóa."
        )


@transaction.atomic
def review_open(
    *,
    unit: Unit,
    year: int,
    on: dt.date,
    requests: Iterable[Household] = (),
    actor: Any = None,
) -> Review:
    """Step 1: the list — current poor and near-poor households plus those that asked (Mẫu 01)."""
    if unit.level != Level.COMMUNE:
        raise ValidationError({"unit": "Rà soát hộ nghèo được tổ chức ở cấp xã."})
    if not unit.is_valid_on(on):
        raise ValidationError({"unit": f"{unit.name} không tồn tại vào ngày {on:%d/%m/%Y}."})
    if Review.objects.filter(unit=unit, year=year).exists():
        raise ValidationError({"year": f"{unit.name} đã mở đợt rà soát năm {year}."})
    standard = standard_for_year(year)
    review = Review.objects.create(
        unit=unit,
        year=year,
        standard=standard,
        started_on=on,
        province_code=unit.province_code,
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    from gandan.households.selectors import households_on_lists

    entries: dict[int, ReviewEntry] = {}
    for household_id, hamlet_id, standing in households_on_lists(unit, year - 1, on):
        entries[household_id] = ReviewEntry(
            review=review,
            household_id=household_id,
            hamlet_id=hamlet_id,
            reason=ReviewEntry.Reason.POOR
            if standing == Standing.POOR
            else ReviewEntry.Reason.NEAR_POOR,
        )
    asking = list(requests)
    living_here = dict(
        Placement.objects.valid_on(on)
        .filter(unit=unit, household__in=[h.pk for h in asking])
        .values_list("household_id", "hamlet_id")
    )
    for household in asking:
        if household.pk not in living_here:
            raise ValidationError(
                {"requests": f"Hộ {household.code} không cư trú tại {unit.name}."}
            )
        entries.setdefault(
            household.pk,
            ReviewEntry(
                review=review,
                household=household,
                hamlet_id=living_here[household.pk],
                reason=ReviewEntry.Reason.REQUEST,
            ),
        )
    ReviewEntry.objects.bulk_create(entries.values(), batch_size=2000)
    event_record(
        kind=HouseholdEvent.REVIEW_OPENED,
        subject=review,
        actor=actor,
        data={"year": year, "households": len(entries)},
    )
    return review


@transaction.atomic
def review_request_add(*, review: Review, household: Household, actor: Any = None) -> ReviewEntry:
    """A household that filed Mẫu 01 joins the list while the survey is open."""
    _check_review_open(review)
    if review.status not in (ReviewStatus.LISTING, ReviewStatus.SURVEYING):
        raise ValidationError("Chỉ bổ sung hộ vào danh sách trước khi họp thôn.")
    place = placement_on(household, review_date(review.year))
    if place is None or place.unit_id != review.unit_id:
        raise ValidationError({"household": f"Hộ {household.code} không cư trú tại xã này."})
    entry, created = ReviewEntry.objects.get_or_create(
        review=review,
        household=household,
        defaults={"hamlet": place.hamlet, "reason": ReviewEntry.Reason.REQUEST},
    )
    if created:
        event_record(
            kind=HouseholdEvent.REVIEW_REQUEST_ADDED,
            subject=review,
            actor=actor,
            data={"household": household.code},
        )
    return entry


@transaction.atomic
def review_survey(
    *, review: Review, household: Household, survey: Survey, actor: Any = None
) -> Assessment:
    """Step 2: the surveyor's answers for a listed household; classified at once."""
    _check_review_open(review)
    if review.status not in (
        ReviewStatus.LISTING,
        ReviewStatus.SURVEYING,
        ReviewStatus.MEETINGS,
    ):
        raise ValidationError("Đã niêm yết kết quả: không sửa phiếu khảo sát được nữa.")
    entry = ReviewEntry.objects.filter(review=review, household=household).first()
    if entry is None:
        raise ValidationError(
            {"household": f"Hộ {household.code} không có trong danh sách rà soát."}
        )
    if review.status == ReviewStatus.MEETINGS and entry.hamlet_id is not None:
        last = (
            VillageMeeting.objects.filter(review=review, hamlet_id=entry.hamlet_id)
            .order_by("-round")
            .first()
        )
        if last is not None and last.accepted:
            raise ValidationError(
                "Thôn đã họp thông qua kết quả: không sửa phiếu của hộ trong thôn này."
            )
    assessment = assessment_record(
        household=household, year=review.year, survey=survey, review=review, actor=actor
    )
    if review.status == ReviewStatus.LISTING:
        _review_step(review, ReviewStatus.SURVEYING, actor)
    return assessment


@transaction.atomic
def review_surveys_record(
    *,
    review: Review,
    surveys: Sequence[tuple[int, Survey]],
    recorded_on: dt.date,
    actor: Any = None,
) -> int:
    """Step 2 for many households at once (survey sheets keyed in elsewhere): ``surveys`` are
    (household id, survey) pairs of listed households not yet surveyed in this review."""
    _check_review_open(review)
    if review.status not in (ReviewStatus.LISTING, ReviewStatus.SURVEYING):
        raise ValidationError("Chỉ nhập phiếu khảo sát hàng loạt trước khi họp thôn.")
    listed = dict(
        ReviewEntry.objects.filter(review=review).values_list("household_id", "hamlet_id")
    )
    ids = [household_id for household_id, _survey in surveys]
    missing = [household_id for household_id in ids if household_id not in listed]
    if missing:
        raise ValidationError(f"{len(missing)} hộ không có trong danh sách rà soát.")
    done = set(
        Assessment.objects.filter(
            household_id__in=ids, year=review.year, superseded_on__isnull=True
        ).values_list("household_id", flat=True)
    )
    if done:
        raise ValidationError(f"{len(done)} hộ đã có phiếu khảo sát năm {review.year}.")
    rules = StandardRules.of(review.standard)
    households = Household.objects.in_bulk(ids)
    places = {
        p.household_id: p
        for p in Placement.objects.valid_on(review_date(review.year))
        .filter(household_id__in=ids)
        .select_related("hamlet")
    }
    rows = []
    for household_id, survey in surveys:
        check_survey(survey)
        place = places.get(household_id)
        rows.append(
            build_assessment(
                household=households[household_id],
                year=review.year,
                rules=rules,
                survey=survey,
                unit=review.unit,
                hamlet=place.hamlet if place else None,
                area=place.area if place else area_of(None, review.unit),
                recorded_on=recorded_on,
                review=review,
                actor=actor,
            )
        )
    Assessment.objects.bulk_create(rows, batch_size=2000)
    if review.status == ReviewStatus.LISTING:
        _review_step(review, ReviewStatus.SURVEYING, actor, surveys=len(rows))
    else:
        event_record(
            kind=HouseholdEvent.REVIEW_SURVEYS_RECORDED,
            subject=review,
            actor=actor,
            data={"surveys": len(rows)},
        )
    return len(rows)


def _review_step(review: Review, status: str, actor: Any, **data: Any) -> None:
    previous = review.status
    review.status = status
    review.updated_by = acting_user(actor)
    review.save()
    event_record(
        kind=HouseholdEvent.review_step(status),
        subject=review,
        actor=actor,
        data={"from": previous, **data},
    )


def _hamlets_to_meet(review: Review) -> set[int]:
    return set(
        ReviewEntry.objects.filter(review=review, hamlet__isnull=False).values_list(
            "hamlet_id", flat=True
        )
    )


@transaction.atomic
def village_meeting_record(
    *,
    review: Review,
    hamlet: Hamlet,
    held_on: dt.date,
    chaired_by: str,
    present: int,
    agree: int,
    supervised_by: str = "",
    minutes: str = "",
    actor: Any = None,
) -> VillageMeeting:
    """Step 3. Adopted only if more than half of those present agree; otherwise the village's
    households are surveyed again and the village meets again (a new round)."""
    _check_review_open(review)
    if review.status not in (ReviewStatus.SURVEYING, ReviewStatus.MEETINGS):
        raise ValidationError("Chỉ họp thôn sau khi đã khảo sát và trước khi niêm yết.")
    if hamlet.commune_id != review.unit_id:
        raise ValidationError({"hamlet": f"{hamlet.name} không thuộc xã đang rà soát."})
    if present < 1:
        raise ValidationError({"present": "Cuộc họp phải có người dự."})
    if not 0 <= agree <= present:
        raise ValidationError({"agree": "Số người đồng ý phải từ 0 đến số người dự họp."})
    if not chaired_by.strip():
        raise ValidationError({"chaired_by": "Cần ghi người chủ trì (trưởng thôn)."})
    unsurveyed = _unsurveyed(ReviewEntry.objects.filter(review=review, hamlet=hamlet), review.year)
    if unsurveyed:
        raise ValidationError(
            f"Còn {unsurveyed} hộ của {hamlet.name} chưa có phiếu khảo sát: chưa họp được."
        )
    last = VillageMeeting.objects.filter(review=review, hamlet=hamlet).order_by("-round").first()
    if last is not None and last.accepted:
        raise ValidationError(f"{hamlet.name} đã họp thông qua kết quả.")
    majority = review_rule("meeting_majority_percent")
    accepted = agree * 100 > present * majority
    meeting = VillageMeeting.objects.create(
        review=review,
        hamlet=hamlet,
        round=(last.round + 1) if last else 1,
        held_on=held_on,
        chaired_by=" ".join(chaired_by.split()),
        supervised_by=" ".join(supervised_by.split()),
        present=present,
        agree=agree,
        accepted=accepted,
        minutes=minutes.strip(),
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    if review.status == ReviewStatus.SURVEYING:
        _review_step(review, ReviewStatus.MEETINGS, actor)
    event_record(
        kind=HouseholdEvent.REVIEW_MEETING_ADOPTED
        if accepted
        else HouseholdEvent.REVIEW_MEETING_SENT_BACK,
        subject=review,
        actor=actor,
        data={
            "hamlet": hamlet.pk,
            "round": meeting.round,
            "present": present,
            "agree": agree,
        },
    )
    return meeting


def _unsurveyed(entries: Any, year: int) -> int:
    """How many listed households have no current survey for ``year``."""
    listed = set(entries.values_list("household_id", flat=True))
    surveyed = set(
        Assessment.objects.filter(
            household_id__in=listed, year=year, superseded_on__isnull=True
        ).values_list("household_id", flat=True)
    )
    return len(listed - surveyed)


def hamlets_pending(review: Review) -> list[int]:
    """Hamlets on the list whose latest meeting has not adopted the results."""
    adopted = set(
        VillageMeeting.objects.filter(review=review, accepted=True).values_list(
            "hamlet_id", flat=True
        )
    )
    return sorted(_hamlets_to_meet(review) - adopted)


@transaction.atomic
def review_post(*, review: Review, posting_from: dt.date, actor: Any = None) -> Review:
    """Step 4: public posting of the results, for the legal number of working days."""
    _check_review_open(review)
    if review.status not in (ReviewStatus.SURVEYING, ReviewStatus.MEETINGS):
        raise ValidationError("Chỉ niêm yết sau khi khảo sát và họp thôn.")
    pending = hamlets_pending(review)
    if pending:
        names = ", ".join(Hamlet.objects.filter(pk__in=pending).values_list("name", flat=True)[:5])
        raise ValidationError(
            f"Còn {len(pending)} thôn, tổ dân phố chưa họp thông qua kết quả ({names})."
        )
    unsurveyed = _unsurveyed(review.entries.all(), review.year)
    if unsurveyed:
        raise ValidationError(f"Còn {unsurveyed} hộ trong danh sách chưa có phiếu khảo sát.")
    review.posting_from = posting_from
    review.posting_to = WorkingCalendar().add_working_days(
        posting_from, review_rule("posting_days") - 1
    )
    _review_step(
        review,
        ReviewStatus.POSTING,
        actor,
        posting_from=posting_from.isoformat(),
        posting_to=review.posting_to.isoformat(),
    )
    return review


@transaction.atomic
def review_decide(
    *, review: Review, decision_number: str, decided_on: dt.date, actor: Any = None
) -> Review:
    """Step 5: the commune chair's decision fixes the year's lists; the year is locked and the
    commune's report for it frozen."""
    _check_review_open(review)
    decision_number = decision_number.strip()
    if review.status != ReviewStatus.POSTING:
        raise ValidationError("Chỉ ra quyết định sau khi đã niêm yết công khai.")
    if not decision_number:
        raise ValidationError({"decision_number": "Cần ghi số quyết định."})
    assert review.posting_to is not None  # noqa: S101 - set by review_post
    if decided_on <= review.posting_to:
        raise ValidationError(
            {"decided_on": f"Thời gian niêm yết chưa hết (đến hết {review.posting_to:%d/%m/%Y})."}
        )
    review.decision_number = decision_number
    review.decided_on = decided_on
    _review_step(
        review, ReviewStatus.DECIDED, actor, decision=decision_number, on=decided_on.isoformat()
    )
    from gandan.households.selectors import poverty_report

    data = poverty_report(review.unit, review.year, as_of=max(decided_on, review_date(review.year)))
    FrozenReport.objects.create(review=review, frozen_at=timezone.now(), data=data)
    return review


def review_act(*, review: Review, action: str, data: dict[str, Any], actor: Any = None) -> Any:
    """Record one step of an open review — the one path of the review's screen and its API.

    ``data`` holds what the step needs, looked up in the caller's scope: ``household`` (and
    ``survey``) for a household, ``hamlet`` and the meeting's fields for a meeting,
    ``posting_from`` for the posting, ``decision_number`` and ``decided_on`` for the decision.
    Returns what was recorded; each service checks the review's step before it writes.
    """
    if action == ReviewAction.REQUEST_ADD:
        return review_request_add(review=review, household=data["household"], actor=actor)
    if action == ReviewAction.SURVEY:
        return review_survey(
            review=review, household=data["household"], survey=data["survey"], actor=actor
        )
    if action == ReviewAction.MEETING:
        return village_meeting_record(
            review=review,
            hamlet=data["hamlet"],
            held_on=data["held_on"],
            chaired_by=data["chaired_by"],
            present=data["present"],
            agree=data["agree"],
            supervised_by=data.get("supervised_by", ""),
            minutes=data.get("minutes", ""),
            actor=actor,
        )
    if action == ReviewAction.POST:
        return review_post(review=review, posting_from=data["posting_from"], actor=actor)
    if action == ReviewAction.DECIDE:
        return review_decide(
            review=review,
            decision_number=data["decision_number"],
            decided_on=data["decided_on"],
            actor=actor,
        )
    raise ValidationError({"action": f"Thao tác không hợp lệ: {action!r}."})
