"""Staff screens for citizen reports: the queue, one report with its handling forms, and
entering a report received by phone or at the counter.

Reports are looked up through :mod:`gandan.feedback.access` only: outside the user's scope a
report answers 404, as a missing one does, and every form needs a role that writes there.
The reporter's contact details are shown only to those who handle the report, and each view
of them is written to the access log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gandan.core.calendar import WorkingCalendar
from gandan.core.models import Event
from gandan.core.paging import page_of
from gandan.feedback import services
from gandan.feedback.access import (
    access_report,
    may_enter_report,
    may_handle_report,
    may_read_report,
)
from gandan.feedback.events import ReportEvent
from gandan.feedback.filters import StaffReportFilter
from gandan.feedback.forms import add_submit_errors, report_fields
from gandan.feedback.models import (
    ANSWERED_STATUSES,
    Channel,
    Report,
    Status,
)
from gandan.feedback.rules import answer_templates
from gandan.feedback.selectors import (
    active_categories,
    entry_communes,
    is_due_soon,
    nearby_open,
    report_events,
    report_extras,
)
from gandan.geo.models import Unit

MODERATION_LABELS = services.MODERATION_ACTIONS
_status_label = services.status_label


# --- Reads shared with the API ----------------------------------------------------------------


# --- The queue -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    report: Report
    overdue: bool
    due_soon: bool


@login_required
@require_http_methods(["GET"])
def staff_queue(request: HttpRequest) -> HttpResponse:
    """Phản ánh cần xử lý: the reports in the user's scope, soonest due first."""
    now = timezone.now()
    found = StaffReportFilter(request.GET, user=request.user, now=now, default_status="open")
    page: Page[Report] = page_of(found.qs, request.GET.get("page"))
    calendar = WorkingCalendar()
    rows = [QueueRow(r, r.is_overdue(now), is_due_soon(r, now, calendar)) for r in page.object_list]
    context = {
        "form": found.form,
        "status": found.status_shown(),
        "page": page,
        "rows": rows,
        "can_enter": may_enter_report(request.user),
    }
    return render(request, "feedback/staff_queue.html", context)


# --- One report ------------------------------------------------------------------------------


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Tình trạng mới",
        choices=[(s.value, s.label) for s in (Status.IN_PROGRESS, Status.ACTION_SCHEDULED)],
    )
    note = forms.CharField(
        label="Ghi chú (nội bộ)", required=False, max_length=500, widget=forms.Textarea({"rows": 2})
    )


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label="Kết quả",
        choices=[(s.value, s.label) for s in Status if s in ANSWERED_STATUSES],
    )
    answer = forms.CharField(
        label="Nội dung trả lời (công khai)", widget=forms.Textarea({"rows": 6}), max_length=4000
    )


class TransferForm(forms.Form):
    unit = forms.CharField(
        label="Mã đơn vị nhận",
        max_length=10,
        help_text="Mã xã, phường hoặc tỉnh đang có hiệu lực hôm nay, ví dụ 19777.",
    )
    agency = forms.CharField(
        label="Cơ quan xử lý (nếu là sở, ngành)", required=False, max_length=160
    )
    reason = forms.CharField(label="Lý do chuyển", max_length=300)


class MergeForm(forms.Form):
    into = forms.CharField(label="Mã phản ánh gốc", max_length=20, help_text="Ví dụ PA-ACDEFGH.")


class ModerateForm(forms.Form):
    moderation = forms.ChoiceField(label="Thao tác", choices=list(MODERATION_LABELS.items()))
    photo = forms.IntegerField(label="Ảnh số", required=False)
    reason = forms.CharField(label="Lý do", max_length=300)


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "status": StatusForm,
    "answer": AnswerForm,
    "transfer": TransferForm,
    "merge": MergeForm,
    "moderate": ModerateForm,
}


def _action_form(name: str, data: Any = None) -> forms.Form:
    # Several forms on one page share field names: prefix their element ids.
    return ACTION_FORMS[name](data, auto_id=f"id_{name}_%s")


def _errors(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


def _timeline(report: Report) -> list[dict[str, Any]]:
    events = report_events(report)
    return [{"event": e, **_details(e)} for e in events]


def _details(event: Event) -> dict[str, str]:
    """What an event's data says, in words."""
    data = event.data or {}
    text, note = "", ""
    if event.kind == ReportEvent.RECEIVED:
        text = f"qua kênh {Channel(data['channel']).label.lower()}" if "channel" in data else ""
        text += f", giao đơn vị mã {data['unit']}" if "unit" in data else ""
    elif event.kind == ReportEvent.TRANSFERRED:
        text = f"từ đơn vị mã {data.get('from', '?')} đến mã {data.get('to', '?')}"
        note = data.get("reason", "")
    elif event.kind in (ReportEvent.STATUS, ReportEvent.ANSWERED):
        text = _status_label(data.get("status", ""))
        if event.kind == ReportEvent.ANSWERED:
            text += ", đúng hạn" if data.get("on_time") else ", trễ hạn"
        note = data.get("note", "")
    elif event.kind == ReportEvent.RATED:
        text = "hài lòng" if data.get("satisfied") else "chưa hài lòng"
    elif event.kind == ReportEvent.REOPENED:
        note = data.get("reason", "")
    elif event.kind == ReportEvent.MERGED:
        text = f"vào {data.get('into', '')}"
    elif event.kind == ReportEvent.MODERATED:
        text = MODERATION_LABELS.get(data.get("action", ""), data.get("action", "")).lower()
    return {"text": text, "note": note}


def _report_page(
    request: HttpRequest,
    report: Report,
    *,
    bound: tuple[str, forms.Form] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    handle = may_handle_report(request.user, report)
    contact = services.reporter_contact_shown(request.user, report)
    action_forms = {
        name: _action_form(name) for name in services.report_actions(request.user, report)
    }
    if bound is not None and bound[0] in action_forms:
        action_forms[bound[0]] = bound[1]
    extras = report_extras(report)
    context = {
        "report": report,
        "now": now,
        "overdue": report.is_overdue(now),
        "due_soon": is_due_soon(report, now, WorkingCalendar()),
        "can_handle": handle,
        "show_contact": contact,
        "photos": extras.photos,
        "timeline": _timeline(report),
        "moderations": [(m, MODERATION_LABELS.get(m.action, m.action)) for m in extras.moderations],
        "duplicates": extras.duplicates,
        "forms": action_forms,
        "failed": bound[0] if bound else "",
        "errors": errors or [],
        "answer_templates": [
            (_status_label(s), s, templates) for s, templates in answer_templates().items()
        ],
    }
    return render(request, "feedback/staff_report.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def staff_report(request: HttpRequest, code: str) -> HttpResponse:
    """One report with everything about it; its forms each call one service."""
    if request.method != "POST":
        return _report_page(request, access_report(request.user, code))
    report = access_report(request.user, code, for_write=True)
    action = request.POST.get("action", "")
    if action not in ACTION_FORMS:
        return _report_page(
            request, report, errors=[f"Thao tác không hợp lệ: {action!r}."], status=400
        )
    form = _action_form(action, request.POST)
    if not form.is_valid():
        errors = [
            f"{form.fields[name].label}: {e}" if name in form.fields else str(e)
            for name, field_errors in form.errors.items()
            for e in field_errors
        ]
        return _report_page(request, report, bound=(action, form), errors=errors, status=400)
    try:
        done = services.report_act(
            report=report, action=action, data=form.cleaned_data, actor=request.user
        )
    except ValidationError as error:
        # The service checked before it wrote: reload, so the page shows what is stored.
        report = access_report(request.user, code, for_write=True)
        return _report_page(
            request, report, bound=(action, form), errors=_errors(error), status=400
        )
    messages.success(request, done)
    if may_read_report(request.user, report):
        return redirect("feedback:staff_report", code=report.code)
    return redirect("feedback:staff_queue")  # transferred out of the user's scope


# --- A report received by phone or at the counter --------------------------------------------


# Where the service's field names differ from the form's.
class StaffNewForm(forms.Form):
    channel = forms.ChoiceField(
        label="Kênh tiếp nhận",
        choices=[(c.value, c.label) for c in (Channel.PHONE, Channel.COUNTER)],
    )
    category = forms.ModelChoiceField(
        label="Lĩnh vực",
        queryset=active_categories(),
        to_field_name="code",
        empty_label="— Chọn lĩnh vực —",
    )
    title = forms.CharField(label="Tiêu đề", required=False, max_length=160)
    description = forms.CharField(
        label="Nội dung phản ánh", widget=forms.Textarea({"rows": 5}), max_length=4000
    )
    commune = forms.ChoiceField(
        label="Xã, phường (dùng tọa độ trung tâm)", required=False, choices=[]
    )
    latitude = forms.FloatField(label="Vĩ độ", required=False)
    longitude = forms.FloatField(label="Kinh độ", required=False)
    address = forms.CharField(label="Địa chỉ, địa điểm", required=False, max_length=300)
    reporter_name = forms.CharField(label="Họ tên người phản ánh", required=False, max_length=120)
    reporter_phone = forms.CharField(
        label="Điện thoại", required=False, max_length=20, widget=forms.TextInput({"type": "tel"})
    )
    reporter_email = forms.EmailField(label="Thư điện tử", required=False)
    received_at = forms.DateTimeField(
        label="Thời điểm tiếp nhận",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput({"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Để trống nếu vừa nhận.",
    )

    def __init__(self, *args: Any, communes: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.communes = {c.code: c for c in communes}
        self.fields["commune"].choices = [  # type: ignore[attr-defined]
            ("", "— Nhập tọa độ —"),
            *((c.code, c.name) for c in communes),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        latitude, longitude = data.get("latitude"), data.get("longitude")
        commune = self.communes.get(data.get("commune") or "")
        if latitude is None and longitude is None and commune is not None:
            data["latitude"], data["longitude"] = commune.latitude, commune.longitude
        elif (latitude is None) != (longitude is None):
            raise ValidationError("Cần nhập cả vĩ độ và kinh độ, hoặc chọn một xã, phường.")
        return data


@login_required
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest) -> HttpResponse:
    """Enter a report received by phone or at the counter; it is routed by place as usual."""
    if not may_enter_report(request.user):
        raise Http404("Không tìm thấy trang.")
    communes = entry_communes(request.user, timezone.localdate())
    if request.method != "POST":
        initial: dict[str, str] = {"channel": Channel.PHONE}
        if len(communes) == 1:  # a commune's own officer: its centre unless told otherwise
            initial["commune"] = communes[0].code
        form = StaffNewForm(initial=initial, communes=communes)
        return render(request, "feedback/staff_new.html", {"form": form})
    form = StaffNewForm(request.POST, communes=communes)
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_submit(
                **report_fields(data),
                channel=data["channel"],
                photos=request.FILES.getlist("photos"),
                received_at=data["received_at"],
                actor=request.user,
            )
        except ValidationError as error:
            add_submit_errors(form, error)
        else:
            return _entered(request, report)
    return render(request, "feedback/staff_new.html", {"form": form}, status=400)


def _entered(request: HttpRequest, report: Report) -> HttpResponse:
    link = request.build_absolute_uri(f"/feedback/r/{report.code}/?t={report.reporter_token}")
    messages.success(
        request,
        f"Đã tiếp nhận phản ánh {report.code}, giao {report.agency}. Mã tra cứu cho người "
        f"phản ánh: {report.code}; đường dẫn để họ theo dõi, đánh giá: {link}",
    )
    similar = [
        r
        for r in nearby_open(report.category_id, report.latitude or 0, report.longitude or 0)
        if r.pk != report.pk
    ]
    if similar:
        messages.warning(
            request,
            f"Có {len(similar)} phản ánh cùng lĩnh vực đang mở ở gần đó "
            f"({', '.join(r.code for r in similar[:5])}): xem xét gộp nếu trùng.",
        )
    if may_read_report(request.user, report):
        return redirect("feedback:staff_report", code=report.code)
    return redirect(reverse("feedback:staff_queue"))
