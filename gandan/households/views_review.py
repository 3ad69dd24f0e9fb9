"""Screens of the yearly poverty review (rà soát định kỳ) and of the regular review on request
(rà soát thường xuyên, Mẫu 04).

The periodic review of a commune goes through five steps — list, survey, village meetings,
public posting, the chair's decision — each a service of :mod:`gandan.households.services` that
checks its preconditions and writes its event. After the decision the year is locked: the page
shows the report frozen at that moment and no form; a POST is refused by the service with its
message, and nothing changes.

Commune officials (and province specialists) do every step; a village head may enter the
surveys and record the meeting of his own village; only the commune leader decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gandan.accounts.access import hamlets_in_scope, units_in_scope
from gandan.geo.models import Hamlet, Level
from gandan.households import services
from gandan.households.access import (
    access_request,
    access_review,
    households_in_scope,
    may_decide,
    reviews_in_scope,
)
from gandan.households.forms import (
    DecisionForm,
    MeetingForm,
    PostingForm,
    RequestAddForm,
    RequestDecideForm,
    RequestReceiveForm,
    ReviewOpenForm,
    SurveyForm,
    add_service_errors,
    error_messages,
)
from gandan.households.models import (
    REVIEW_END,
    REVIEW_START,
    Assessment,
    FrozenReport,
    RequestStatus,
    Review,
    ReviewEntry,
    ReviewRequest,
    ReviewStatus,
    Standing,
    VillageMeeting,
)
from gandan.households.selectors import standard_or_none
from gandan.households.views_registry import lists_year, timeline

PAGE_SIZE = 50
STEPS = list(ReviewStatus)  # the five steps, in order


def _today() -> dt.date:
    return timezone.localdate()


@dataclass(frozen=True)
class Window:
    """The periodic review's dates in a year, and whether ``today`` falls inside them."""

    year: int
    start: dt.date
    end: dt.date
    today: dt.date

    @classmethod
    def of(cls, today: dt.date) -> Window:
        year = today.year
        return cls(year, dt.date(year, *REVIEW_START), dt.date(year, *REVIEW_END), today)

    @property
    def inside(self) -> bool:
        return self.start <= self.today <= self.end


def _majority() -> int | None:
    try:
        return services.review_rule("meeting_majority_percent")
    except ValidationError:
        return None


# --- Write access beyond households.access -----------------------------------------------------


def _commune_writer(user: Any, review: Review) -> bool:
    return bool(reviews_in_scope(user, for_write=True).filter(pk=review.pk).exists())


def _writable_hamlets(user: Any, review: Review) -> set[int]:
    """Villages of the review whose surveys and meeting the user may record."""
    return set(
        hamlets_in_scope(user, for_write=True)
        .filter(commune_id=review.unit_id)
        .values_list("pk", flat=True)
    )


def _review_for_write(user: Any, review_id: int, *, hamlet_id: int | None = None) -> Review:
    """The review if the user writes for its commune, or (a village head) for ``hamlet_id``."""
    review = access_review(user, review_id)
    if _commune_writer(user, review):
        return review
    if hamlet_id is not None and hamlet_id in _writable_hamlets(user, review):
        return review
    raise Http404("Không tìm thấy đợt rà soát.")


# --- The reviews -------------------------------------------------------------------------------


def _reviews_page(
    request: HttpRequest, *, open_form: ReviewOpenForm | None = None, status: int = 200
) -> HttpResponse:
    today = _today()
    window = Window.of(today)
    in_scope = reviews_in_scope(request.user)
    years = sorted(set(in_scope.values_list("year", flat=True)), reverse=True)
    try:
        year = int(request.GET.get("year") or (years[0] if years else window.year))
    except ValueError:
        year = years[0] if years else window.year
    reviews = list(
        in_scope.filter(year=year)
        .select_related("unit")
        .annotate(
            listed=Count("entries", distinct=True),
            surveyed=Count(
                "assessments", filter=Q(assessments__superseded_on__isnull=True), distinct=True
            ),
            poor=Count(
                "assessments",
                filter=Q(
                    assessments__superseded_on__isnull=True, assessments__standing=Standing.POOR
                ),
                distinct=True,
            ),
            near_poor=Count(
                "assessments",
                filter=Q(
                    assessments__superseded_on__isnull=True,
                    assessments__standing=Standing.NEAR_POOR,
                ),
                distinct=True,
            ),
        )
        .order_by("unit__name")
    )
    by_step = [(step.label, sum(1 for r in reviews if r.status == step)) for step in STEPS]
    openable = _openable_units(request.user, window)
    if open_form is None and openable:
        open_form = ReviewOpenForm(units=openable, auto_id="id_open_%s")
    context = {
        "reviews": reviews,
        "year": year,
        "years": sorted(set(years) | {window.year}, reverse=True),
        "by_step": by_step,
        "window": window,
        "open_form": open_form,
        "standard": standard_or_none(window.year),
    }
    return render(request, "households/reviews.html", context, status=status)


def _openable_units(user: Any, window: Window) -> list[Any]:
    """Communes the user writes for that have not opened this year's review yet."""
    opened = Review.objects.filter(year=window.year).values("unit_id")
    return list(
        units_in_scope(user, for_write=True)
        .valid_on(window.today)
        .filter(level=Level.COMMUNE)
        .exclude(pk__in=opened)
        .order_by("name")
    )


@login_required
@require_GET
def reviews(request: HttpRequest) -> HttpResponse:
    """The periodic reviews of the user's communes in a year, with their step and counts."""
    return _reviews_page(request)


@login_required
@require_POST
def review_open(request: HttpRequest) -> HttpResponse:
    """Step 1: open this year's review of a commune (the list of households to review)."""
    today = _today()
    window = Window.of(today)
    if not units_in_scope(request.user, for_write=True).exists():
        raise PermissionDenied("Vai trò của bạn không được mở đợt rà soát.")
    form = ReviewOpenForm(
        request.POST, units=_openable_units(request.user, window), auto_id="id_open_%s"
    )
    if not form.is_valid():
        return _reviews_page(request, open_form=form, status=400)
    try:
        opened = services.review_open(
            unit=form.cleaned_data["unit"], year=window.year, on=today, actor=request.user
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _reviews_page(request, open_form=form, status=400)
    listed = opened.entries.count()
    messages.success(
        request,
        f"Đã mở đợt rà soát năm {opened.year} của {opened.unit.name}: {listed} hộ trong danh sách.",
    )
    if not window.inside:
        messages.warning(
            request,
            f"Lưu ý: hôm nay ngoài thời gian rà soát định kỳ "
            f"({window.start:%d/%m/%Y} – {window.end:%d/%m/%Y}).",
        )
    return redirect("households:review", pk=opened.pk)


# --- One review --------------------------------------------------------------------------------


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


def _groups(review: Review, writable: set[int], commune_writer: bool) -> list[VillageGroup]:
    entries = list(
        ReviewEntry.objects.filter(review=review)
        .select_related("household", "hamlet")
        .order_by("hamlet__name", "household__code")
    )
    assessments = {
        a.household_id: a
        for a in Assessment.objects.filter(
            year=review.year,
            superseded_on__isnull=True,
            household_id__in=[e.household_id for e in entries],
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
                writable=commune_writer or (entry.hamlet_id in writable),
            )
        group.rows.append(
            EntryRow(
                entry=entry,
                assessment=assessments.get(entry.household_id),
                writable=group.writable,
            )
        )
    # Villages first by name, the households without a village last.
    return sorted(groups.values(), key=lambda g: (g.hamlet is None, g.name))


def _steps(review: Review) -> list[dict[str, Any]]:
    current = STEPS.index(ReviewStatus(review.status))
    return [
        {
            "number": index + 1,
            "label": step.label,
            "state": "done"
            if index < current or review.is_locked
            else ("current" if index == current else "todo"),
        }
        for index, step in enumerate(STEPS)
    ]


FORM_NAMES = ("request_add", "meeting", "post", "decide")


def _review_page(
    request: HttpRequest,
    review: Review,
    *,
    bound: tuple[str, forms.Form] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    today = _today()
    commune_writer = _commune_writer(user, review)
    writable = _writable_hamlets(user, review)
    groups = _groups(review, writable, commune_writer)
    locked = review.is_locked
    meeting_hamlets = [
        g.hamlet for g in groups if g.hamlet is not None and g.writable and not g.adopted and g.rows
    ]
    forms_: dict[str, forms.Form] = {}
    if not locked:
        if commune_writer and review.status in (ReviewStatus.LISTING, ReviewStatus.SURVEYING):
            forms_["request_add"] = RequestAddForm(auto_id="id_add_%s")
        if meeting_hamlets and review.status in (ReviewStatus.SURVEYING, ReviewStatus.MEETINGS):
            forms_["meeting"] = MeetingForm(
                hamlets=meeting_hamlets, auto_id="id_meeting_%s", initial={"held_on": today}
            )
        if commune_writer and review.status in (ReviewStatus.SURVEYING, ReviewStatus.MEETINGS):
            forms_["post"] = PostingForm(auto_id="id_post_%s", initial={"posting_from": today})
        if review.status == ReviewStatus.POSTING and may_decide(user, review.unit):
            forms_["decide"] = DecisionForm(auto_id="id_decide_%s")
    if bound is not None and bound[0] in forms_:
        forms_[bound[0]] = bound[1]
    frozen = FrozenReport.objects.filter(review=review).first() if locked else None
    entries = [row for group in groups for row in group.rows]
    context = {
        "review": review,
        "steps": _steps(review),
        "groups": groups,
        "listed": len(entries),
        "surveyed": sum(1 for row in entries if row.assessment is not None),
        "pending_meetings": [g for g in groups if g.hamlet is not None and not g.adopted],
        "forms": forms_,
        "failed": bound[0] if bound else "",
        "errors": errors or [],
        "locked": locked,
        "frozen": frozen.data if frozen else None,
        "frozen_at": frozen.frozen_at if frozen else None,
        "frozen_as_of": dt.date.fromisoformat(frozen.data["as_of"]) if frozen else None,
        "commune_writer": commune_writer,
        "can_decide": may_decide(user, review.unit),
        "majority": _majority(),
        "window": Window(
            review.year,
            dt.date(review.year, *REVIEW_START),
            dt.date(review.year, *REVIEW_END),
            today,
        ),
        "timeline": timeline([review]),
    }
    return render(request, "households/review.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """One review: its steps, the list by village, the meetings, posting and the decision."""
    if request.method != "POST":
        return _review_page(request, access_review(request.user, pk))
    action = request.POST.get("action", "")
    if action not in FORM_NAMES:
        return _review_page(
            request,
            access_review(request.user, pk),
            errors=[f"Thao tác không hợp lệ: {action!r}."],
            status=400,
        )
    hamlet_id = _int(request.POST.get("hamlet")) if action == "meeting" else None
    found = _review_for_write(request.user, pk, hamlet_id=hamlet_id)
    form = _bound_form(action, request, found)
    if action == "decide" and not may_decide(request.user, found.unit):
        return _review_page(
            request,
            found,
            errors=[
                "Chỉ lãnh đạo UBND xã, phường (Chủ tịch) ra quyết định công nhận; "
                "vai trò của bạn không được ký quyết định."
            ],
            status=403,
        )
    if not form.is_valid():
        return _review_page(
            request, found, bound=(action, form), errors=error_messages(form), status=400
        )
    try:
        done = _act(action, found, form, request.user)
    except ValidationError as error:
        add_service_errors(form, error)
        # The service checked before it wrote: reload, so the page shows what is stored.
        found = access_review(request.user, pk)
        return _review_page(
            request, found, bound=(action, form), errors=error_messages(form), status=400
        )
    messages.success(request, done)
    return redirect("households:review", pk=found.pk)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _bound_form(action: str, request: HttpRequest, review: Review) -> forms.Form:
    data = request.POST
    if action == "request_add":
        return RequestAddForm(data, auto_id="id_add_%s")
    if action == "meeting":
        hamlets = Hamlet.objects.filter(
            pk__in=ReviewEntry.objects.filter(review=review).values("hamlet_id")
        ).order_by("name")
        return MeetingForm(data, hamlets=hamlets, auto_id="id_meeting_%s")
    if action == "post":
        return PostingForm(data, auto_id="id_post_%s")
    return DecisionForm(data, auto_id="id_decide_%s")


def _act(action: str, review: Review, form: forms.Form, user: Any) -> str:
    """Run the one service behind ``action``; returns what to tell the official."""
    data = form.cleaned_data
    if action == "request_add":
        code = data["code"].strip()
        household = (
            households_in_scope(user).filter(code=code, province_code=review.province_code).first()
        )
        if household is None:
            raise ValidationError({"code": f"Không tìm thấy hộ mã {code!r} trong phạm vi của bạn."})
        services.review_request_add(review=review, household=household, actor=user)
        return f"Đã bổ sung hộ {household.code} — {household.head_name} vào danh sách rà soát."
    if action == "meeting":
        hamlet = Hamlet.objects.get(pk=data["hamlet"])
        meeting = services.village_meeting_record(
            review=review,
            hamlet=hamlet,
            held_on=data["held_on"],
            chaired_by=data["chaired_by"],
            present=data["present"],
            agree=data["agree"],
            supervised_by=data["supervised_by"],
            minutes=data["minutes"],
            actor=user,
        )
        if meeting.accepted:
            return f"{hamlet.name}, họp lần {meeting.round}: thông qua kết quả rà soát."
        return (
            f"{hamlet.name}, họp lần {meeting.round}: chưa đạt trên {_majority()}% người dự họp "
            "đồng ý — khảo sát lại các hộ của thôn và họp lại."
        )
    if action == "post":
        services.review_post(review=review, posting_from=data["posting_from"], actor=user)
        assert review.posting_to is not None  # noqa: S101 - set by review_post
        return (
            f"Đã niêm yết công khai từ {review.posting_from:%d/%m/%Y} "
            f"đến hết {review.posting_to:%d/%m/%Y}."
        )
    services.review_decide(
        review=review,
        decision_number=data["decision_number"],
        decided_on=data["decided_on"],
        actor=user,
    )
    return (
        f"Đã ghi quyết định số {review.decision_number} ngày {review.decided_on:%d/%m/%Y}: "
        f"số liệu năm {review.year} đã khóa."
    )


# --- The survey of one household ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, pk: int, household_pk: int) -> HttpResponse:
    """Step 2 for one listed household: income, indicators, members; classified at once."""
    found = access_review(request.user, pk)
    entry = (
        ReviewEntry.objects.filter(review=found, household_id=household_pk)
        .select_related("household", "hamlet")
        .first()
    )
    if entry is None:
        raise Http404("Hộ không có trong danh sách rà soát.")
    if request.method == "POST":
        found = _review_for_write(request.user, pk, hamlet_id=entry.hamlet_id)
    writable = _commune_writer(request.user, found) or (
        entry.hamlet_id is not None and entry.hamlet_id in _writable_hamlets(request.user, found)
    )
    current = Assessment.objects.filter(
        household=entry.household, year=found.year, superseded_on__isnull=True
    ).first()
    initial = (
        SurveyForm.initial_from(current)
        if current
        else {"members": entry.household.members.valid_on(_today()).count() or None}
    )
    form = SurveyForm(
        request.POST if request.method == "POST" else None,
        standard=found.standard,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.review_survey(
                    review=found,
                    household=entry.household,
                    survey=form.survey(),
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Đã lưu phiếu khảo sát của hộ {entry.household.code}.")
                return redirect("households:survey", pk=found.pk, household_pk=entry.household_id)
        status = 400
        found = access_review(request.user, pk)
    last_meeting = (
        VillageMeeting.objects.filter(review=found, hamlet_id=entry.hamlet_id)
        .order_by("-round")
        .first()
        if entry.hamlet_id is not None
        else None
    )
    adopted = last_meeting is not None and last_meeting.accepted
    editable = (
        writable
        and not adopted
        and not found.is_locked
        and found.status in (ReviewStatus.LISTING, ReviewStatus.SURVEYING, ReviewStatus.MEETINGS)
    )
    previous = Assessment.objects.filter(
        household=entry.household, year=found.year - 1, superseded_on__isnull=True
    ).first()
    context = {
        "review": found,
        "entry": entry,
        "household": entry.household,
        "assessment": current,
        "explanation": services.explain(current) if current else "",
        "previous": previous,
        "form": form,
        "editable": editable,
        "adopted": adopted,
        "errors": error_messages(form) if form.is_bound and form.errors else [],
    }
    return render(request, "households/review_survey.html", context, status=status)


# --- The regular review on request (Mẫu 04) ----------------------------------------------------


@dataclass(frozen=True)
class RequestRow:
    request: ReviewRequest
    late: bool
    open: bool


@login_required
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    """Requests for a regular review in the user's units, the late ones marked."""
    today = _today()
    show = request.GET.get("show", "pending")
    found = ReviewRequest.objects.filter(
        unit__in=units_in_scope(request.user).values("pk")
    ).select_related("household", "unit")
    if show != "all":
        show = "pending"
        found = found.filter(status=RequestStatus.PENDING).order_by("due_on", "pk")
    else:
        found = found.order_by("-received_on", "-pk")
    page: Page[ReviewRequest] = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        RequestRow(r, r.is_late(today), r.status == RequestStatus.PENDING) for r in page.object_list
    ]
    context = {
        "rows": rows,
        "page": page,
        "show": show,
        "today": today,
        "late_count": ReviewRequest.objects.filter(
            unit__in=units_in_scope(request.user).values("pk"),
            status=RequestStatus.PENDING,
            due_on__lt=today,
        ).count(),
        "can_receive": units_in_scope(request.user, for_write=True).exists(),
    }
    return render(request, "households/requests.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """Receive a household's request (Mẫu 04); the decision is due in the legal time."""
    if not units_in_scope(request.user, for_write=True).exists():
        raise PermissionDenied("Vai trò của bạn không được tiếp nhận đề nghị.")
    form = RequestReceiveForm(
        request.POST if request.method == "POST" else None, initial={"received_on": _today()}
    )
    if request.method != "POST":
        return render(request, "households/request_new.html", {"form": form})
    if form.is_valid():
        data = form.cleaned_data
        code = data["code"].strip()
        matches = list(
            households_in_scope(request.user, for_write=True, on=data["received_on"]).filter(
                code=code
            )[:2]
        )
        if len(matches) != 1:
            form.add_error(
                "code",
                f"Không tìm thấy hộ mã {code!r} đang cư trú trong phạm vi của bạn vào ngày "
                f"{data['received_on']:%d/%m/%Y}.",
            )
        else:
            try:
                received = services.request_receive(
                    household=matches[0],
                    received_on=data["received_on"],
                    asks=data["asks"],
                    reason=data["reason"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Đã nhận đề nghị của hộ {matches[0].code}; hạn giải quyết "
                    f"{received.due_on:%d/%m/%Y}.",
                )
                return redirect("households:request", pk=received.pk)
    return render(request, "households/request_new.html", {"form": form}, status=400)


def _request_page(
    request: HttpRequest,
    found: ReviewRequest,
    *,
    form: RequestDecideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = _today()
    writable = units_in_scope(request.user, for_write=True).filter(pk=found.unit_id).exists()
    standard = standard_or_none(lists_year(today))
    pending = found.status == RequestStatus.PENDING
    if form is None and writable and pending and standard is not None:
        form = RequestDecideForm(
            standard=standard, initial={"decided_on": today, "outcome": "survey"}
        )
    context = {
        "req": found,
        "late": found.is_late(today),
        "today": today,
        "form": form if pending else None,
        "errors": error_messages(form) if form is not None and form.is_bound else [],
        "standard": standard,
        "assessment": found.assessment,
        "explanation": services.explain(found.assessment) if found.assessment else "",
        "timeline": timeline([found]),
        "household_url": reverse("households:household", args=[found.household_id]),
    }
    return render(request, "households/request.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: its dates and, while pending, the decision (with a survey, or a refusal)."""
    if request.method != "POST":
        return _request_page(request, access_request(request.user, pk))
    found = access_request(request.user, pk, for_write=True)
    standard = standard_or_none(lists_year(_today()))
    if standard is None:
        raise Http404("Chưa nạp chuẩn nghèo cho năm đang áp dụng.")
    form = RequestDecideForm(request.POST, standard=standard)
    if form.is_valid():
        try:
            decided = services.request_decide(
                request=found,
                decided_on=form.cleaned_data["decided_on"],
                survey=form.survey_or_none(),
                answer=form.cleaned_data["answer"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if decided.status == RequestStatus.REFUSED:
                done = "Đã trả lời không công nhận, có nêu lý do."
            else:
                assert decided.assessment is not None  # noqa: S101 - set with a survey
                done = (
                    f"Đã giải quyết: {decided.assessment.get_standing_display()} từ ngày "
                    f"{decided.decided_on:%d/%m/%Y}."
                )
            if decided.is_late(decided.decided_on or _today()):
                done += " Lưu ý: đã quá hạn giải quyết."
            messages.success(request, done)
            return redirect("households:request", pk=found.pk)
    found = access_request(request.user, pk, for_write=True)
    return _request_page(request, found, form=form, status=400)
