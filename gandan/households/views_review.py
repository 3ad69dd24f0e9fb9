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
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gandan.core.forms import add_service_errors
from gandan.core.paging import page_of
from gandan.households import selectors, services
from gandan.households.access import (
    access_request,
    access_review,
    access_review_entry,
    access_review_for_write,
    may_decide,
    may_decide_request,
    may_open_reviews,
    may_receive_requests,
    visible_review_hamlets,
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
    error_messages,
)
from gandan.households.models import (
    REVIEW_END,
    REVIEW_START,
    RequestStatus,
    Review,
    ReviewAction,
    ReviewRequest,
)
from gandan.households.selectors import STEPS, standard_or_none
from gandan.households.selectors import requests as request_selectors
from gandan.households.views_registry import lists_year, timeline


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


# --- The reviews -------------------------------------------------------------------------------


def _reviews_page(
    request: HttpRequest, *, open_form: ReviewOpenForm | None = None, status: int = 200
) -> HttpResponse:
    today = _today()
    window = Window.of(today)
    years = selectors.review_years(request.user)
    try:
        year = int(request.GET.get("year") or (years[0] if years else window.year))
    except ValueError:
        year = years[0] if years else window.year
    rows = selectors.reviews_of_year(request.user, year)
    by_step = [(step.label, sum(1 for r in rows if r.review.status == step)) for step in STEPS]
    openable = selectors.openable_units(request.user, window.today)
    if open_form is None and openable:
        open_form = ReviewOpenForm(units=openable, auto_id="id_open_%s")
    context = {
        "reviews": rows,
        "year": year,
        "years": sorted(set(years) | {window.year}, reverse=True),
        "by_step": by_step,
        "window": window,
        "open_form": open_form,
        "standard": standard_or_none(window.year),
    }
    return render(request, "households/reviews.html", context, status=status)


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
    if not may_open_reviews(request.user):
        raise PermissionDenied("Vai trò của bạn không được mở đợt rà soát.")
    form = ReviewOpenForm(
        request.POST, units=selectors.openable_units(request.user, today), auto_id="id_open_%s"
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

# The forms of the review page, by the action they record.
FORM_NAMES = (
    ReviewAction.REQUEST_ADD,
    ReviewAction.MEETING,
    ReviewAction.POST,
    ReviewAction.DECIDE,
)


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
    actions = selectors.review_actions(user, review)
    groups = selectors.review_groups(
        review, actions.writer, visible=visible_review_hamlets(user, review)
    )
    locked = review.is_locked
    forms_: dict[str, forms.Form] = {}
    if ReviewAction.REQUEST_ADD in actions:
        forms_["request_add"] = RequestAddForm(auto_id="id_add_%s")
    if ReviewAction.MEETING in actions:
        meeting_hamlets = [
            g.hamlet
            for g in groups
            if g.hamlet is not None and g.hamlet.pk in actions.meeting_hamlets
        ]
        forms_["meeting"] = MeetingForm(
            hamlets=meeting_hamlets, auto_id="id_meeting_%s", initial={"held_on": today}
        )
    if ReviewAction.POST in actions:
        forms_["post"] = PostingForm(auto_id="id_post_%s", initial={"posting_from": today})
    if ReviewAction.DECIDE in actions:
        forms_["decide"] = DecisionForm(auto_id="id_decide_%s")
    if bound is not None and bound[0] in forms_:
        forms_[bound[0]] = bound[1]
    frozen = selectors.frozen_report(review) if locked else None
    counts = selectors.review_counts([review])[review.pk]
    context = {
        "review": review,
        "steps": selectors.review_steps(review),
        "groups": groups,
        "listed": counts.listed,
        "surveyed": counts.surveyed,
        "pending_meetings": [g for g in groups if g.hamlet is not None and not g.adopted],
        "forms": forms_,
        "failed": bound[0] if bound else "",
        "errors": errors or [],
        "locked": locked,
        "frozen": frozen.data if frozen else None,
        "frozen_at": frozen.frozen_at if frozen else None,
        "frozen_as_of": dt.date.fromisoformat(frozen.data["as_of"]) if frozen else None,
        "commune_writer": actions.writer.commune,
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
    hamlet_id = _int(request.POST.get("hamlet")) if action == ReviewAction.MEETING else None
    found, _writer = access_review_for_write(request.user, pk, hamlet_id=hamlet_id)
    form = _bound_form(action, request, found)
    if action == ReviewAction.DECIDE and not may_decide(request.user, found.unit):
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
        data = _action_data(action, found, form, request.user)
        done = services.review_act(review=found, action=action, data=data, actor=request.user)
    except ValidationError as error:
        add_service_errors(form, error)
        # The service checked before it wrote: reload, so the page shows what is stored.
        found = access_review(request.user, pk)
        return _review_page(
            request, found, bound=(action, form), errors=error_messages(form), status=400
        )
    messages.success(request, _done_message(action, found, done, data))
    return redirect("households:review", pk=found.pk)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _bound_form(action: str, request: HttpRequest, review: Review) -> forms.Form:
    data = request.POST
    if action == ReviewAction.REQUEST_ADD:
        return RequestAddForm(data, auto_id="id_add_%s")
    if action == ReviewAction.MEETING:
        hamlets = selectors.review_hamlets(review)
        return MeetingForm(data, hamlets=hamlets, auto_id="id_meeting_%s")
    if action == ReviewAction.POST:
        return PostingForm(data, auto_id="id_post_%s")
    return DecisionForm(data, auto_id="id_decide_%s")


def _action_data(action: str, review: Review, form: forms.Form, user: Any) -> dict[str, Any]:
    """The form's answers as :func:`services.review_act` takes them, looked up in scope."""
    data = dict(form.cleaned_data)
    if action == ReviewAction.REQUEST_ADD:
        code = data["code"].strip()
        household = selectors.household_by_code(user, code, province_code=review.province_code)
        if household is None:
            raise ValidationError({"code": f"Không tìm thấy hộ mã {code!r} trong phạm vi của bạn."})
        data["household"] = household
    if action == ReviewAction.MEETING:
        hamlets = {h.pk: h for h in selectors.review_hamlets(review)}
        data["hamlet"] = hamlets[int(data["hamlet"])]
    return data


def _done_message(action: str, review: Review, done: Any, data: dict[str, Any]) -> str:
    """What to tell the official once ``action`` is recorded."""
    if action == ReviewAction.REQUEST_ADD:
        household = data["household"]
        return f"Đã bổ sung hộ {household.code} — {household.head_name} vào danh sách rà soát."
    if action == ReviewAction.MEETING:
        name = data["hamlet"].name
        if done.accepted:
            return f"{name}, họp lần {done.round}: thông qua kết quả rà soát."
        return (
            f"{name}, họp lần {done.round}: chưa đạt trên {_majority()}% người dự họp "
            "đồng ý — khảo sát lại các hộ của thôn và họp lại."
        )
    if action == ReviewAction.POST:
        assert review.posting_to is not None  # noqa: S101 - set by review_post
        return (
            f"Đã niêm yết công khai từ {review.posting_from:%d/%m/%Y} "
            f"đến hết {review.posting_to:%d/%m/%Y}."
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
    entry = access_review_entry(request.user, found, household_pk)
    if request.method == "POST":
        found, _writer = access_review_for_write(request.user, pk, hamlet_id=entry.hamlet_id)
    actions = selectors.review_actions(request.user, found)
    current = selectors.current_assessment(entry.household, found.year)
    initial = (
        SurveyForm.initial_from(current)
        if current
        else {"members": selectors.members_now(entry.household, _today()) or None}
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
                services.review_act(
                    review=found,
                    action=ReviewAction.SURVEY,
                    data={"household": entry.household, "survey": form.survey()},
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Đã lưu phiếu khảo sát của hộ {entry.household.code}.")
                return redirect("households:survey", pk=found.pk, household_pk=entry.household_id)
        status = 400
        found = access_review(request.user, pk)
        actions = selectors.review_actions(request.user, found)
    last = selectors.last_meeting(found, entry.hamlet_id)
    adopted = last is not None and last.accepted
    editable = (
        ReviewAction.SURVEY in actions and actions.writer.covers(entry.hamlet_id) and not adopted
    )
    context = {
        "review": found,
        "entry": entry,
        "household": entry.household,
        "assessment": current,
        "explanation": services.explain(current) if current else "",
        "previous": selectors.current_assessment(entry.household, found.year - 1),
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
    if show != "all":
        show = "pending"
    found = request_selectors.review_requests(request.user, pending=show == "pending")
    page: Page[ReviewRequest] = page_of(found, request.GET.get("page"))
    rows = [
        RequestRow(r, r.is_late(today), r.status == RequestStatus.PENDING) for r in page.object_list
    ]
    context = {
        "rows": rows,
        "page": page,
        "show": show,
        "today": today,
        "late_count": request_selectors.late_requests(request.user, today),
        "can_receive": may_receive_requests(request.user),
    }
    return render(request, "households/requests.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """Receive a household's request (Mẫu 04); the decision is due in the legal time."""
    if not may_receive_requests(request.user):
        raise PermissionDenied("Vai trò của bạn không được tiếp nhận đề nghị.")
    form = RequestReceiveForm(
        request.POST if request.method == "POST" else None, initial={"received_on": _today()}
    )
    if request.method != "POST":
        return render(request, "households/request_new.html", {"form": form})
    if form.is_valid():
        data = form.cleaned_data
        code = data["code"].strip()
        found = request_selectors.household_to_receive(request.user, code, data["received_on"])
        if found is None:
            form.add_error(
                "code",
                f"Không tìm thấy hộ mã {code!r} đang cư trú trong phạm vi của bạn vào ngày "
                f"{data['received_on']:%d/%m/%Y}.",
            )
        else:
            try:
                received = services.request_receive(
                    household=found,
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
                    f"Đã nhận đề nghị của hộ {found.code}; hạn giải quyết "
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
    writable = may_decide_request(request.user, found)
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
