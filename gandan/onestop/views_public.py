"""Public pages of the one-stop desk, under /dossiers/: the catalogue of procedures, the
citizen's look-up and rating link.

Nobody signs in here. The look-up asks for the dossier code and the last four digits of the
applicant's citizen ID or phone; a match shows the procedure, the receiving unit, the status
in plain words, the current step, the appointment and the plain-language timeline — never the
applicant's name, the officers' names or the documents. A wrong code and wrong digits get
the very same page, so the look-up does not tell which codes exist; each client address has
``LOOKUP_LIMIT`` attempts per ``LOOKUP_WINDOW_S`` seconds.

The rating link carries the dossier's id signed with ``RATING_SALT`` (:func:`rating_url`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gandan.core.ratelimit import Limit
from gandan.core.text import fold
from gandan.onestop.models import OPEN_STATUSES, Dossier, OnlineLevel, ProcedureLevel, Status
from gandan.onestop.selectors import (
    current_step_name,
    dossier_by_pk,
    dossier_lookup,
    procedures_in_force,
    public_timeline,
)
from gandan.onestop.views_rating import rating_screen

LOOKUP_LIMIT = 10  # attempts per client address …
LOOKUP_WINDOW_S = 60  # … per minute
LOOKUP = Limit("onestop:lookup", LOOKUP_LIMIT, LOOKUP_WINDOW_S)
RATING_SALT = "onestop-rating"
RATING_MAX_AGE = dt.timedelta(days=90)

NOT_FOUND = "Không tìm thấy hồ sơ khớp với mã và 4 chữ số đã nhập."
TOO_MANY = (
    "Ông/bà đã tra cứu quá nhiều lần trong một phút. "
    "Xin đợi một phút rồi thử lại, hoặc gọi Bộ phận một cửa để được giúp."
)
BAD_RATING_LINK = (
    "Đường dẫn đánh giá không đúng hoặc đã quá 90 ngày. "
    "Xin kiểm tra lại tin nhắn, hoặc đánh giá tại Bộ phận một cửa."
)

# The status in words for the applicant (what it means for them, not the national label).
PLAIN_STATUS = {
    Status.REGISTERED: "Đã nộp trực tuyến, đang chờ Bộ phận một cửa tiếp nhận.",
    Status.RECEIVED: "Đã tiếp nhận, đang chuyển đến bộ phận giải quyết.",
    Status.REFUSED: "Hồ sơ không được tiếp nhận (xem lý do bên dưới).",
    Status.PROCESSING: "Đang được giải quyết.",
    Status.SUPPLEMENT: "Cần bổ sung hồ sơ: xin xem nội dung cần bổ sung bên dưới. "
    "Thời gian chờ bổ sung không tính vào thời hạn giải quyết.",
    Status.AWAITING_PAYMENT: "Chờ ông/bà nộp phí, lệ phí hoặc nghĩa vụ tài chính.",
    Status.WITHDRAWN: "Ông/bà đã rút hồ sơ.",
    Status.STOPPED: "Hồ sơ đã dừng xử lý (xem lý do bên dưới).",
    Status.DONE: "Đã có kết quả: mời ông/bà đến nhận.",
    Status.RETURNED: "Đã trả kết quả.",
}


class LookupForm(forms.Form):
    code = forms.CharField(
        label="Mã hồ sơ",
        max_length=32,
        error_messages={
            "required": "Nhập mã hồ sơ (in trên giấy tiếp nhận).",
            "max_length": "Mã hồ sơ dài quá %(limit_value)d ký tự.",
        },
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    digits = forms.RegexField(
        label="4 số cuối số định danh cá nhân hoặc số điện thoại",
        regex=r"^\d{4}$",
        error_messages={
            "required": "Nhập 4 số cuối số định danh cá nhân hoặc số điện thoại.",
            "invalid": "Nhập đúng 4 chữ số (0–9).",
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "maxlength": "4", "autocomplete": "off"}
        ),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()

    def clean_digits(self) -> str:
        return str(self.cleaned_data["digits"]).strip()


def _current_step(dossier: Dossier) -> str:
    if dossier.status not in (*OPEN_STATUSES, Status.DONE):
        return ""
    return current_step_name(dossier)


def _found(dossier: Dossier) -> dict[str, Any]:
    """What the applicant sees of the dossier: nothing about people or documents."""
    shows_appointment = dossier.status in (*OPEN_STATUSES, Status.DONE)
    return {
        "code": dossier.code,
        "procedure": dossier.version.procedure.name,
        "unit": dossier.unit.name,
        "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at,
        "status": PLAIN_STATUS[Status(dossier.status)],
        "status_code": dossier.status,
        "step": _current_step(dossier),
        "appointment_at": dossier.appointment_at if shows_appointment else None,
        "timeline": public_timeline(dossier),
    }


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(
        request, "onestop/public_lookup.html", {**context, "limit": LOOKUP_LIMIT}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """GET: the form (``?code=`` fills the code: the receipt's QR lands here); POST: look up."""
    if request.method != "POST":
        code = request.GET.get("code", "")[:32].strip().upper()
        form = LookupForm(initial={"code": code} if code else None)
        return _page(request, {"form": form})
    if LOOKUP.check_and_hit(request):
        context = {"form": LookupForm(), "message": TOO_MANY, "limited": True}
        return _page(request, context, status=429)
    form = LookupForm(request.POST)
    if not form.is_valid():
        return _page(request, {"form": form}, status=400)
    code = form.cleaned_data["code"]
    dossier = dossier_lookup(code, form.cleaned_data["digits"])
    # The digits are never echoed back: the same page for a wrong code and wrong digits.
    fresh = LookupForm(initial={"code": code})
    if dossier is None:
        return _page(request, {"form": fresh, "message": NOT_FOUND})
    return _page(request, {"form": fresh, "found": _found(dossier)})


# --- Rating by link ---------------------------------------------------------------------


def rating_token(dossier: Dossier) -> str:
    return signing.dumps(dossier.pk, salt=RATING_SALT)


def rating_url(request: HttpRequest, dossier: Dossier) -> str:
    """The absolute address of the public rating page of ``dossier`` (for the return
    message, the receipt, an SMS)."""
    return request.build_absolute_uri(reverse("dossiers:rate", args=[rating_token(dossier)]))


def _dossier_from_token(token: str) -> Dossier | None:
    try:
        pk = signing.loads(token, salt=RATING_SALT, max_age=RATING_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(pk, int):
        return None
    # The signature is the access check: whoever holds the link the desk sent may rate.
    return dossier_by_pk(pk)


@never_cache
@require_http_methods(["GET", "POST"])
def rate_link(request: HttpRequest, token: str) -> HttpResponse:
    """The rating page opened from the link sent with the result."""
    dossier = _dossier_from_token(token)
    if dossier is None:
        return render(
            request, "onestop/rate_invalid.html", {"message": BAD_RATING_LINK}, status=404
        )
    return rating_screen(request, dossier, via="link", extra={"kiosk": False})


def lookup_link(code: str) -> str:
    """The look-up address with ``code`` filled in (relative)."""
    return f"{reverse('dossiers:lookup')}?{urlencode({'code': code})}"


@require_http_methods(["GET"])
def procedures(request: HttpRequest) -> HttpResponse:
    """The procedures a resident can file today, by field (the API's catalogue, as a page):
    the documents, the time limit, the fee, where to file, and whether online filing is open.
    ``q`` finds a procedure by a part of its name or code, with or without diacritics."""
    q = " ".join(request.GET.get("q", "").split())[:100]
    versions = list(procedures_in_force(timezone.localdate()))
    if q:
        wanted = fold(q)
        versions = [
            v for v in versions if wanted in fold(v.procedure.name) or wanted in v.procedure.code
        ]
    fields: dict[str, list[Any]] = {}
    for version in versions:
        fields.setdefault(version.procedure.field, []).append(version)
    return render(
        request,
        "onestop/public_procedures.html",
        {
            "q": q,
            "fields": fields,
            "count": len(versions),
            "online_none": OnlineLevel.NONE,
            "commune_level": ProcedureLevel.COMMUNE,
        },
    )
