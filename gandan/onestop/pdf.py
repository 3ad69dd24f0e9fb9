"""The one-stop forms of Circular 03/2025/TT-VPCP as printable A4 PDFs.

01 receipt and appointment slip (with a QR code to the public look-up), 02 supplement
request, 03 refusal to receive, 04 apology and new appointment, 05 notice that handling
stops, 06 tracking sheet. Each form is printed only when the dossier's state calls for it
(``selectors.dossier_forms``, which also decides the desk's links): :func:`form_context`
raises :class:`FormNotApplicable` otherwise (e.g. 04 without an approved or sent apology).

WeasyPrint is imported inside :func:`form_pdf` (docs/decisions/0008): where its system
libraries are missing, :class:`PdfUnavailable` lets the screen answer 503 in Vietnamese.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from gandan.onestop.events import OnestopEvent
from gandan.onestop.models import Apology, ApologyStatus, Dossier, Supplement
from gandan.onestop.selectors import dossier_events, dossier_forms, tracking_sheet

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Form:
    number: str
    template: str
    title: str  # as printed
    label: str  # as listed on screens


FORMS: dict[str, Form] = {
    form.number: form
    for form in (
        Form(
            "01",
            "onestop/pdf_receipt.html",
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "Phiếu tiếp nhận hồ sơ và hẹn trả kết quả",
        ),
        Form(
            "02",
            "onestop/pdf_supplement.html",
            "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
            "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        ),
        Form(
            "03",
            "onestop/pdf_refusal.html",
            "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
            "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        ),
        Form(
            "04",
            "onestop/pdf_apology.html",
            "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
            "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        ),
        Form(
            "05",
            "onestop/pdf_stop.html",
            "THÔNG BÁO DỪNG XỬ LÝ HỒ SƠ",
            "Thông báo dừng xử lý hồ sơ",
        ),
        Form(
            "06",
            "onestop/pdf_tracking.html",
            "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        ),
    )
}

# Why a form does not fit, when ``selectors.dossier_forms`` leaves it out.
NOT_APPLICABLE = {
    "01": "Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận và hẹn trả kết quả.",
    "02": "Hồ sơ chưa có yêu cầu bổ sung nào.",
    "03": "Hồ sơ không bị từ chối tiếp nhận.",
    "04": "Hồ sơ chưa có thư xin lỗi và hẹn lại được lãnh đạo duyệt.",
    "05": "Hồ sơ không ở trạng thái dừng xử lý.",
    "06": "Hồ sơ chưa được tiếp nhận nên chưa có phiếu kiểm soát quá trình giải quyết.",
}

LOOKUP_HINT = "Tra cứu bằng mã hồ sơ và 4 số cuối số định danh hoặc điện thoại"


class PdfUnavailable(Exception):
    """WeasyPrint or the system libraries it needs cannot be loaded."""


class FormNotApplicable(Exception):
    """The form does not fit the dossier's state; the message says why, in Vietnamese."""


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def receiving_officer(dossier: Dossier) -> str:
    """Who received the dossier at the desk (the actor of its ``received`` event)."""
    event = dossier_events(dossier).filter(kind=OnestopEvent.RECEIVED).first()
    return _person(event.actor) if event is not None else ""


def latest_supplement(dossier: Dossier) -> Supplement | None:
    found: Supplement | None = dossier.supplements.order_by("-requested_at", "-id").first()
    return found


def latest_apology(dossier: Dossier) -> Apology | None:
    """The latest apology the leader approved (sent or not): a draft is not printed."""
    found: Apology | None = (
        dossier.apologies.filter(status__in=[ApologyStatus.APPROVED, ApologyStatus.SENT])
        .order_by("-drafted_at", "-id")
        .first()
    )
    return found


def qr_svg(url: str) -> SafeString:
    """The QR code of ``url`` as inline SVG (vector in the PDF; one unit per module).

    The quiet zone is the white margin around the element, not part of the drawing.
    """
    code = segno.make(url, error="m")
    svg: str = code.svg_inline(scale=1, border=0, omitsize=True, title=url)
    return mark_safe(svg)  # noqa: S308 - made by segno from our own URL


def _document_names(dossier: Dossier, codes: list[str]) -> list[str]:
    names = {d["code"]: d["name"] for d in dossier.version.documents}
    return [names.get(code, code) for code in codes]


def form_context(dossier: Dossier, number: str, *, lookup_url: str = "") -> dict[str, Any]:
    """What the template of form ``number`` prints about ``dossier``."""
    form = FORMS.get(number)
    if form is None:
        raise FormNotApplicable(f"Không có mẫu phiếu số “{number}” (có các mẫu 01 đến 06).")
    if number not in dossier_forms(dossier):
        raise FormNotApplicable(NOT_APPLICABLE[number])
    context: dict[str, Any] = {
        "form": form,
        "dossier": dossier,
        "procedure": dossier.version.procedure,
        "version": dossier.version,
        "unit": dossier.unit,
        "issuer": f"UBND {dossier.unit.name}",
        "place": dossier.unit.short_name or dossier.unit.name,
    }
    if number == "01":
        context.update(
            dated=dossier.received_at,
            documents=list(dossier.documents.all()),
            officer=receiving_officer(dossier),
            lookup_url=lookup_url,
            qr=qr_svg(lookup_url) if lookup_url else "",
            lookup_hint=LOOKUP_HINT,
        )
    elif number == "02":
        supplement = latest_supplement(dossier)
        assert supplement is not None  # noqa: S101 - dossier_forms checked it
        context.update(
            dated=supplement.requested_at,
            supplement=supplement,
            wanted=_document_names(dossier, list(supplement.documents)),
            officer=_person(supplement.requested_by),
        )
    elif number == "03":
        context.update(
            dated=dossier.closed_at or dossier.updated_at, officer=_person(dossier.updated_by)
        )
    elif number == "04":
        apology = latest_apology(dossier)
        assert apology is not None  # noqa: S101 - dossier_forms checked it
        context.update(
            dated=apology.sent_at or apology.approved_at or apology.drafted_at,
            apology=apology,
            # The appointment the citizen had before this apology moved it.
            previous=dossier.appointment_at or dossier.due_at
            if apology.status == ApologyStatus.APPROVED
            else _appointment_before(dossier, apology),
            signer=_person(apology.approved_by),
        )
    elif number == "05":
        context.update(
            dated=dossier.closed_at or dossier.updated_at, officer=_person(dossier.updated_by)
        )
    else:  # 06
        rows = tracking_sheet(dossier)
        context.update(
            dated=timezone.now(),
            rows=rows,
            partners=sorted({row.unit for row in rows} - {dossier.unit.name}),
        )
    return context


def _appointment_before(dossier: Dossier, apology: Apology) -> Any:
    """The appointment in force before ``apology`` was sent: the previous sent apology's new
    appointment, else the legal due time."""
    earlier = (
        dossier.apologies.filter(status=ApologyStatus.SENT, sent_at__lt=apology.sent_at)
        .order_by("-sent_at")
        .first()
        if apology.sent_at
        else None
    )
    return earlier.new_appointment_at if earlier is not None else dossier.due_at


def form_html(
    dossier: Dossier, number: str, *, lookup_url: str = "", printed_by: Any = None
) -> str:
    context = form_context(dossier, number, lookup_url=lookup_url)
    context.update(printed_by=printed_by, printed_at=timezone.localtime())
    return render_to_string(context["form"].template, context)


def form_pdf(
    dossier: Dossier, number: str, *, lookup_url: str = "", printed_by: Any = None
) -> bytes:
    """The bytes of form ``number`` for ``dossier``.

    Raises :class:`FormNotApplicable` when the form does not fit the dossier, and
    :class:`PdfUnavailable` without WeasyPrint.
    """
    html = form_html(dossier, number, lookup_url=lookup_url, printed_by=printed_by)
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as error:
        logger.warning("WeasyPrint unavailable: %s", error)
        raise PdfUnavailable(str(error)) from error
    # Made from our own templates only (the QR is inline SVG): nothing to fetch.
    no_fetching = URLFetcher(allowed_protocols=())
    content: bytes = HTML(string=html, url_fetcher=no_fetching).write_pdf()
    return content
