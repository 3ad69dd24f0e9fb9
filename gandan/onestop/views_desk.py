"""Staff screens of the one-stop desk: the dossier list with its early warnings, the counter
receipt, one dossier with its timeline, tracking sheet and the actions its status allows, and
the apologies waiting for approval or sending.

Every action is one small POST form → one access function → one service. A service's
ValidationError is shown next to its field on the dossier page (status 400) and nothing is
saved (the services are atomic). The applicant's citizen ID and phone are masked unless the
reader handles personal data for the receiving unit (commune leader, province specialist) and
asks for them ("xem đầy đủ"); each such view is written to the access log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gandan.core.crypto import mask_citizen_id
from gandan.core.paging import page_of
from gandan.core.services import access_log_record
from gandan.onestop import services
from gandan.onestop.access import (
    access_apology,
    access_dossier,
    handled_dossier_ids,
    may_approve,
    may_handle_dossier,
    may_receive_dossiers,
    may_see_full_applicant,
    receiving_units,
)
from gandan.onestop.forms import (
    ApologyDraftForm,
    AssignForm,
    EmptyForm,
    FinishForm,
    ForwardForm,
    NoteForm,
    PaymentForm,
    ProcedurePickForm,
    ReasonForm,
    ReceiveForm,
    ResumeForm,
    SendBackForm,
    SupplementForm,
    add_service_errors,
    receipt_fields,
)
from gandan.onestop.models import (
    Apology,
    ApologyStatus,
    Dossier,
    DossierAction,
    Procedure,
    Status,
    StepHandler,
)
from gandan.onestop.selectors import (
    actions_available,
    apologies_pending,
    commune_procedures,
    desk_timeline,
    desk_warnings,
    dossier_apologies,
    dossier_forms,
    dossier_list,
    dossier_supplements,
    due_soon,
    status_counts,
    tracking_sheet,
    unit_staff,
    version_today,
)

WARNING_ROWS = 30


def _now() -> dt.datetime:
    return timezone.now()


# --- Small reads -------------------------------------------------------------------------


FORM_LINKS = {
    "01": "Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "02": "Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "03": "Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "04": "Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "05": "Mẫu 05 — Phiếu từ chối giải quyết, dừng xử lý",
    "06": "Mẫu 06 — Phiếu kiểm soát quá trình giải quyết",
}


# --- The list ----------------------------------------------------------------------------


@login_required
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    """The dossiers in the user's scope, with the early warnings on top."""
    found = dossier_list(request.user, request.GET)
    # A bad filter is reported on the form and ignored; the others still apply.
    page = page_of(found.qs, request.GET.get("page"))
    now = _now()
    warnings = desk_warnings(request.user, now=now)
    counted = status_counts(request.user)
    counts = counted.value
    warning_rows = list(warnings[:WARNING_ROWS])
    context = {
        "form": found.form,
        "page": page,
        "now": now,
        "warnings": warning_rows,
        "warning_count": warnings.count()
        if len(warning_rows) == WARNING_ROWS
        else len(warning_rows),
        "overdue_count": sum(1 for d in warning_rows if d.due_at and d.due_at < now),
        "counts": [
            {"status": s.value, "label": s.label, "count": counts.get(s.value, 0)} for s in Status
        ],
        "total": sum(counts.values()),
        "computed_at": counted.computed_at if counted.kept else None,
        "refreshing": counted.refreshing,
        "can_receive": may_receive_dossiers(request.user),
    }
    return render(request, "onestop/desk_list.html", context)


# --- Counter receipt ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def receive(request: HttpRequest) -> HttpResponse:
    """Receive a dossier at the counter (or by post): choose the procedure, then the applicant
    and the documents checked against the procedure's list."""
    units = receiving_units(request.user)
    if not units:
        raise PermissionDenied("Vai trò của bạn không tiếp nhận hồ sơ.")
    procedures = commune_procedures()
    source = request.POST if request.method == "POST" else request.GET
    pick = ProcedurePickForm(source if "procedure" in source else None, procedures=procedures)
    procedure = version = None
    if pick.is_bound and pick.is_valid():
        procedure = next((p for p in procedures if p.pk == pick.cleaned_data["procedure"]), None)
        version = version_today(procedure) if procedure else None
        if version is None:
            pick.add_error("procedure", "Thủ tục không có hiệu lực hôm nay.")
    form = None
    status = 200
    if version is not None and procedure is not None:
        form = ReceiveForm(
            request.POST if request.method == "POST" else None,
            units=units,
            version=version,
            initial={
                "procedure": procedure.pk,
                "unit": units[0].pk,
                "idempotency_key": uuid.uuid4().hex,
            },
        )
        if request.method == "POST":
            created = _receive(request, form, procedure)
            if created is not None:
                messages.success(
                    request,
                    f"Đã tiếp nhận hồ sơ {created.code}. Hẹn trả kết quả: "
                    f"{timezone.localtime(created.appointment_at):%H:%M ngày %d/%m/%Y}."
                    if created.appointment_at
                    else f"Đã tiếp nhận hồ sơ {created.code}.",
                )
                return redirect("onestop:dossier", pk=created.pk)
            status = 400
    elif request.method == "POST":
        status = 400
    context = {
        "pick": pick,
        "procedure": procedure,
        "version": version,
        "steps": services.steps_of(version) if version else [],
        "documents": [
            {"code": d["code"], "name": d["name"], "required": d.get("required", True)}
            for d in (version.documents if version else [])
        ],
        "procedure_groups": [
            (field, list(items)) for field, items in groupby(procedures, key=lambda p: p.field)
        ],
        "form": form,
    }
    return render(request, "onestop/desk_receive.html", context, status=status)


def _receive(request: HttpRequest, form: ReceiveForm, procedure: Procedure) -> Dossier | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return services.dossier_receive(
            unit=data["unit"],
            procedure=procedure,
            **receipt_fields(data),
            attachments=form.attachments(request.FILES),
            actor=request.user,
            idempotency_key=data["idempotency_key"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


# --- Actions on one dossier --------------------------------------------------------------
# Which actions a dossier offers and what they do are ``selectors.actions_available`` and
# ``services.dossier_act`` (shared with the API); the desk adds each one's form and wording.


@dataclass(frozen=True)
class DeskAction:
    """How the dossier page shows an action: its form, and the message once it is done."""

    form: Callable[[Dossier, Any], forms.Form]
    done: Callable[[Dossier, dict[str, Any]], str]
    danger: bool = False
    hint: str = ""


def _steps(dossier: Dossier) -> list[Any]:
    return services.steps_of(dossier.version)


def _next_step(dossier: Dossier) -> Any:
    steps = _steps(dossier)
    return steps[dossier.step_order] if dossier.step_order < len(steps) - 1 else None


def _documents(dossier: Dossier) -> list[tuple[str, str]]:
    return [(d["code"], d["name"]) for d in dossier.version.documents]


def _forward_form(dossier: Dossier, data: Any) -> forms.Form:
    step = _next_step(dossier)
    target = services.step_unit(step, dossier) if step else dossier.unit
    units = [target] if target.pk == dossier.unit_id else [target, dossier.unit]
    return ForwardForm(data, units=units, staff=unit_staff(target), initial={"to_unit": target.pk})


def _forwarded(dossier: Dossier, data: dict[str, Any]) -> str:
    who = data["to_user"]
    return (
        f"Đã chuyển hồ sơ {dossier.code} sang bước {dossier.step_order} tại "
        f"{dossier.current_unit.name}"
        + (f", giao cho {who.get_full_name() or who}." if who else ".")
    )


def _send_back_form(dossier: Dossier, data: Any) -> forms.Form:
    earlier = [(s.order, s.name) for s in _steps(dossier) if s.order < dossier.step_order]
    return SendBackForm(data, steps=earlier)


def _resumed(dossier: Dossier, data: dict[str, Any]) -> str:
    due = timezone.localtime(dossier.appointment_at) if dossier.appointment_at else None
    return "Đã nhận bổ sung; hồ sơ tiếp tục xử lý" + (
        f", hẹn trả kết quả {due:%H:%M ngày %d/%m/%Y}." if due else "."
    )


def _says(message: str) -> Callable[[Dossier, dict[str, Any]], str]:
    return lambda dossier, data: message.format(code=dossier.code)


def _plain(form: type[forms.Form]) -> Callable[[Dossier, Any], forms.Form]:
    return lambda dossier, data: form(data)


A = DossierAction
DESK_ACTIONS: dict[DossierAction, DeskAction] = {
    A.ACCEPT: DeskAction(
        _plain(EmptyForm), _says("Đã tiếp nhận hồ sơ {code}; thời hạn bắt đầu tính.")
    ),
    A.REFUSE: DeskAction(
        _plain(ReasonForm),
        _says("Đã từ chối tiếp nhận hồ sơ {code}."),
        danger=True,
        hint="Mẫu 03: lý do được gửi cho người nộp.",
    ),
    A.FORWARD: DeskAction(_forward_form, _forwarded),
    A.ASSIGN: DeskAction(
        lambda d, data: AssignForm(data, staff=unit_staff(d.current_unit)),
        _says("Đã giao hồ sơ {code} cho người xử lý."),
    ),
    A.SEND_BACK: DeskAction(
        _send_back_form,
        lambda d, data: f"Đã chuyển hồ sơ {d.code} lại bước {d.step_order}.",
    ),
    A.REQUEST_SUPPLEMENT: DeskAction(
        lambda d, data: SupplementForm(data, documents=_documents(d)),
        _says("Đã yêu cầu bổ sung hồ sơ {code}; thời hạn tạm dừng đến khi nhận bổ sung."),
        hint="Mẫu 02: thời hạn tạm dừng đến khi nhận đủ bổ sung.",
    ),
    A.RESUME: DeskAction(lambda d, data: ResumeForm(data, documents=_documents(d)), _resumed),
    A.REQUEST_PAYMENT: DeskAction(
        lambda d, data: PaymentForm(data, initial={"amount": d.version.fee or None}),
        _says("Hồ sơ {code} chờ nộp phí, nghĩa vụ tài chính."),
    ),
    A.RECORD_PAYMENT: DeskAction(
        _plain(EmptyForm), _says("Đã ghi nhận nộp phí; hồ sơ {code} tiếp tục xử lý.")
    ),
    A.FINISH: DeskAction(
        _plain(FinishForm),
        _says("Hồ sơ {code} đã có kết quả, chuyển bộ phận một cửa trả kết quả."),
    ),
    A.RETURN: DeskAction(_plain(EmptyForm), _says("Đã trả kết quả hồ sơ {code}.")),
    A.APOLOGY: DeskAction(
        _plain(ApologyDraftForm),
        _says("Đã dự thảo thư xin lỗi, hẹn lại; chờ lãnh đạo duyệt."),
        hint="Mẫu 04: dự thảo, lãnh đạo duyệt, rồi gửi cho người nộp trước hạn.",
    ),
    A.STOP: DeskAction(
        _plain(ReasonForm),
        _says("Đã dừng xử lý hồ sơ {code}."),
        danger=True,
        hint="Mẫu 05: lý do được gửi cho người nộp.",
    ),
    A.WITHDRAW: DeskAction(
        _plain(ReasonForm),
        _says("Đã ghi nhận công dân rút hồ sơ {code}."),
        danger=True,
    ),
    A.COMPLAINT: DeskAction(_plain(NoteForm), _says("Đã ghi nhận phản ánh về hồ sơ {code}.")),
}


def _applicant(request: HttpRequest, dossier: Dossier) -> dict[str, Any]:
    allowed = may_see_full_applicant(request.user, dossier)
    show = allowed and request.GET.get("full") == "1"
    if request.GET.get("full") == "1" and not allowed:
        messages.warning(
            request,
            "Vai trò của bạn không được xem đầy đủ số định danh và số điện thoại; vẫn được che.",
        )
    if show and (dossier.applicant_id or dossier.applicant_phone):
        access_log_record(
            user=request.user,
            subject=dossier,
            what="dossier_applicant",
            province_code=dossier.province_code,
        )
    return {
        "full_allowed": allowed,
        "show_full": show,
        "citizen_id": dossier.applicant_id if show else mask_citizen_id(dossier.applicant_id),
        "phone": dossier.applicant_phone if show else mask_citizen_id(dossier.applicant_phone),
    }


def _dossier_page(
    request: HttpRequest,
    dossier: Dossier,
    *,
    failed: tuple[DossierAction, forms.Form] | None = None,
    warning: str = "",
    status: int = 200,
) -> HttpResponse:
    now = _now()
    writer = may_handle_dossier(request.user, dossier)
    actions = []
    for action in actions_available(dossier, request.user):
        shown = DESK_ACTIONS[action]
        chosen = bool(failed and failed[0] == action)
        actions.append(
            {
                "name": action.value,
                "label": action.label,
                "danger": shown.danger,
                "hint": shown.hint,
                "form": failed[1] if failed and chosen else shown.form(dossier, None),
                "open": chosen,
            }
        )
    # An action the status no longer offers (a stale page): its error goes above the actions.
    stray = []
    if failed and not any(item["open"] for item in actions):
        stray = [str(e) for errors in failed[1].errors.values() for e in errors]
    steps = _steps(dossier)
    current = next((s for s in steps if s.order == dossier.step_order), None)
    next_step = _next_step(dossier)
    apologies = list(dossier_apologies(dossier))
    approver = may_approve(request.user, dossier)
    links = [
        (number, FORM_LINKS[number], reverse("onestop:form", args=[dossier.pk, number]))
        for number in dossier_forms(dossier)
    ]
    context = {
        "dossier": dossier,
        "now": now,
        **_applicant(request, dossier),
        "late": dossier.is_late(now) and dossier.status not in (Status.REFUSED, Status.WITHDRAWN),
        "overdue": dossier.is_open and dossier.due_at is not None and dossier.due_at < now,
        "due_soon": due_soon(dossier, now=now),
        "steps": steps,
        "current_step": current,
        "next_step": next_step,
        "next_unit": services.step_unit(next_step, dossier) if next_step else None,
        "is_province_step": bool(next_step and next_step.handler == StepHandler.PROVINCE),
        "documents": list(dossier.documents.all()),
        "supplements": dossier_supplements(dossier),
        "apologies": [
            {
                "apology": a,
                "may_approve": approver and a.status == ApologyStatus.DRAFT,
                "may_send": writer and a.status == ApologyStatus.APPROVED,
            }
            for a in apologies
        ],
        "timeline": desk_timeline(dossier),
        "sheet": tracking_sheet(dossier),
        "links": links,
        "actions": actions,
        "writer": writer,
        "warning": warning,
        "stray_errors": stray,
    }
    return render(request, "onestop/desk_dossier.html", context, status=status)


@login_required
@require_GET
def dossier(request: HttpRequest, pk: int) -> HttpResponse:
    """One dossier: applicant, procedure, times, documents, timeline, tracking sheet, actions."""
    return _dossier_page(request, access_dossier(request.user, pk))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action on a dossier the user's unit holds now: its form, then its service."""
    found = access_dossier(request.user, pk, for_write=True)
    try:
        chosen = DossierAction(action)
    except ValueError:
        raise Http404("Không có thao tác này.") from None
    shown = DESK_ACTIONS[chosen]
    form = shown.form(found, request.POST)
    form.files = request.FILES  # the result's file, where the action takes one
    try:
        services.check_action(found, chosen, request.user)
    except ValidationError as error:
        add_service_errors(form, error)
        return _dossier_page(request, found, failed=(chosen, form), status=400)
    if not form.is_valid():
        return _dossier_page(request, found, failed=(chosen, form), status=400)
    try:
        services.dossier_act(
            dossier=found, action=chosen, data=form.cleaned_data, actor=request.user
        )
    except services.SecondSupplementWarning as warning:
        fresh = access_dossier(request.user, pk, for_write=True)
        return _dossier_page(
            request, fresh, failed=(chosen, form), warning=" ".join(warning.messages), status=400
        )
    except ValidationError as error:
        add_service_errors(form, error)
        fresh = access_dossier(request.user, pk, for_write=True)
        return _dossier_page(request, fresh, failed=(chosen, form), status=400)
    message = shown.done(found, form.cleaned_data)
    messages.success(request, message)
    return redirect("onestop:dossier", pk=found.pk)


# --- Apologies ---------------------------------------------------------------------------


def _back(request: HttpRequest, apology: Apology) -> HttpResponse:
    if request.POST.get("back") == "apologies":
        return redirect("onestop:apologies")
    return redirect("onestop:dossier", pk=apology.dossier_id)


def _apology_failed(request: HttpRequest, apology: Apology, error: ValidationError) -> HttpResponse:
    for text in error.messages:
        messages.error(request, text)
    return _back(request, apology)


@login_required
@require_POST
def apology_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader of the receiving unit (or of the province) approves a drafted apology."""
    apology = access_apology(request.user, pk)
    if not may_approve(request.user, apology.dossier):
        raise PermissionDenied(
            "Chỉ lãnh đạo đơn vị tiếp nhận hoặc lãnh đạo tỉnh duyệt thư xin lỗi."
        )
    try:
        services.apology_approve(apology=apology, actor=request.user)
    except ValidationError as error:
        return _apology_failed(request, apology, error)
    messages.success(request, f"Đã duyệt thư xin lỗi, hẹn lại của hồ sơ {apology.dossier.code}.")
    return _back(request, apology)


@login_required
@require_POST
def apology_send(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit holding the dossier sends an approved apology to the applicant."""
    apology = access_apology(request.user, pk, for_write=True)
    try:
        services.apology_send(apology=apology, actor=request.user)
    except ValidationError as error:
        return _apology_failed(request, apology, error)
    messages.success(
        request,
        f"Đã gửi thư xin lỗi qua {apology.sent_via_text}; hẹn trả kết quả mới "
        f"{timezone.localtime(apology.new_appointment_at):%H:%M ngày %d/%m/%Y}.",
    )
    return _back(request, apology)


@login_required
@require_GET
def apologies(request: HttpRequest) -> HttpResponse:
    """Apologies of the user's units waiting for approval, and approved ones not yet sent."""
    pending = apologies_pending(request.user)
    writable = handled_dossier_ids(request.user, [a.dossier_id for a in pending])
    rows: list[dict[str, Any]] = [
        {
            "apology": a,
            "may_approve": a.status == ApologyStatus.DRAFT and may_approve(request.user, a.dossier),
            "may_send": a.status == ApologyStatus.APPROVED and a.dossier_id in writable,
        }
        for a in pending
    ]
    context = {
        "drafts": [r for r in rows if r["apology"].status == ApologyStatus.DRAFT],
        "approved": [r for r in rows if r["apology"].status == ApologyStatus.APPROVED],
        "now": _now(),
    }
    return render(request, "onestop/desk_apologies.html", context)
