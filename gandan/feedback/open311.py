"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2): citizen reports for third-party apps.

Plain Django views rendering the standard's own JSON and XML (not DRF's shapes), so that an
existing Open311 client works unchanged: discovery, the service list and definitions, posting a
request (with an API key: a token from ``gandan token USERNAME``) and reading public requests.
Public output never carries the reporter's name, email or phone, nor moderated text.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 - we only build XML, never parse it
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt
from knox.auth import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from gandan.core.ratelimit import Limit
from gandan.core.security import NUL_MESSAGE, fields_with_nul
from gandan.core.validators import check_email, check_phone
from gandan.feedback import selectors
from gandan.feedback.models import HIDDEN_TEXT, OPEN_STATUSES, Category, Channel, Report, Status
from gandan.feedback.services import check_text, report_submit

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-03-01T00:00:00+07:00"  # when this endpoint's behaviour last changed
MAX_RESULTS = 1000  # the standard's default cap on GET requests
WINDOW = dt.timedelta(days=90)  # the standard's default and widest date range
# The years a date filter may name: around them, a time zone or the 90-day window would step
# outside what Python and the database can hold (9999-12-31, year 1).
YEARS = range(1900, 3000)
YES_NO = [{"key": "yes", "name": "Có"}, {"key": "no", "name": "Không"}]
OPEN311_TYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
# XML 1.0 cannot carry these control characters at all, even escaped.
XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# In XML a list is a wrapper element around repeated items: <attributes><attribute>…
XML_ITEMS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def _jurisdiction() -> str:
    return str(getattr(settings, "OPEN311_JURISDICTION_ID", "hue.gov.vn"))


def _posts_per_minute() -> int:
    return int(getattr(settings, "OPEN311_POSTS_PER_MINUTE", 10))


# --- Rendering ------------------------------------------------------------------------------


def _xml_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return XML_INVALID.sub("", str(value))


def _xml_fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _xml_fill(ET.SubElement(element, key), item)
    elif isinstance(value, list):
        tag = XML_ITEMS.get(element.tag, "item")
        for item in value:
            _xml_fill(ET.SubElement(element, tag), item)
    else:
        element.text = _xml_text(value)


def _render(fmt: str, data: Any, *, root: str, item: str = "", status: int = 200) -> HttpResponse:
    """The standard's JSON, or its XML: ``<root><item>…</item>…</root>`` for a list."""
    if fmt == "xml":
        element = ET.Element(root)
        if isinstance(data, list):
            for entry in data:
                _xml_fill(ET.SubElement(element, item), entry)
        else:
            _xml_fill(element, data)
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode")
    else:
        body = json.dumps(data, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type=FORMATS[fmt])


def _errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """Errors in the standard's format: ``[{"code": 400, "description": "…"}]``."""
    fmt = fmt if fmt in FORMATS else "json"
    data = [{"code": status, "description": text} for text in descriptions]
    return _render(fmt, data, root="errors", item="error", status=status)


def _validation_errors(fmt: str, error: ValidationError) -> HttpResponse:
    if hasattr(error, "error_dict"):
        texts = [f"{field}: {msg}" for field, msgs in error.message_dict.items() for msg in msgs]
    else:
        texts = list(error.messages)
    return _errors(fmt, 400, *texts)


def _local(instant: dt.datetime | None) -> str | None:
    """ISO 8601 with the local offset (+07:00), whole seconds, as clients expect."""
    if instant is None:
        return None
    return timezone.localtime(instant).replace(microsecond=0).isoformat()


def open311_view(
    *methods: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Check the format suffix, the HTTP method and ``jurisdiction_id`` before the view runs."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            fmt = fmt.lower()
            if fmt not in FORMATS:
                return _errors(
                    "json", 404, f"Không hỗ trợ định dạng “{fmt}”: dùng .json hoặc .xml."
                )
            if request.method not in allowed:
                response = _errors(fmt, 405, f"Không hỗ trợ phương thức {request.method}.")
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            nul = fields_with_nul(request)
            if nul:
                return _errors(fmt, 400, *(f"{name}: {NUL_MESSAGE}" for name in nul))
            if "api_key" in request.GET:
                return _errors(
                    fmt,
                    400,
                    "Không gửi api_key trong địa chỉ (URL), vì địa chỉ được ghi lại trong nhật ký "
                    "và lịch sử trình duyệt: gửi api_key trong thân yêu cầu POST.",
                )
            jurisdiction = request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id")
            if jurisdiction and jurisdiction != _jurisdiction():
                return _errors(
                    fmt,
                    404,
                    f"Không phục vụ jurisdiction_id “{jurisdiction}”; "
                    f"hệ thống này là “{_jurisdiction()}”.",
                )
            return view(request, *args, fmt=fmt, **kwargs)

        wrapped.null_characters_checked = True  # type: ignore[attr-defined]  # in its format
        return wrapped

    return decorate


# --- Discovery and services -----------------------------------------------------------------


@open311_view("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """Service discovery: where the endpoint is and which formats it speaks."""
    data = {
        "changeset": CHANGESET,
        "contact": "Cổng phản ánh, kiến nghị — " + _jurisdiction(),
        "key_service": "Mã truy cập (api_key) do quản trị hệ thống cấp: gandan token TÊN",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri(
                    reverse("open311:services", kwargs={"fmt": "json"})
                ).removesuffix("/services.json"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return _render(fmt, data, root="discovery")


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.hint,
        "metadata": bool(category.questions),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


@open311_view("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every category still receiving reports."""
    data = [_service(c) for c in selectors.active_categories()]
    return _render(fmt, data, root="services", item="service")


def _attribute(order: int, question: dict[str, Any]) -> dict[str, Any]:
    kind = str(question.get("type") or "string")
    choices = question.get("choices") or question.get("values") or []
    values: list[dict[str, Any]] = []
    if kind == "boolean":
        kind, values, describe = "singlevaluelist", YES_NO, "Chọn Có hoặc Không."
    elif choices:
        kind = kind if kind in ("singlevaluelist", "multivaluelist") else "singlevaluelist"
        values = [
            {"key": str(c.get("key", c.get("code", ""))), "name": str(c.get("name", c.get("text")))}
            if isinstance(c, dict)
            else {"key": str(c), "name": str(c)}
            for c in choices
        ]
        describe = "Chọn một giá trị trong danh sách."
    else:
        kind = kind if kind in OPEN311_TYPES else "string"
        describe = "Văn bản tự do." if kind in ("string", "text") else ""
    attribute: dict[str, Any] = {
        "variable": True,
        "code": str(question.get("code", "")),
        "datatype": kind,
        "required": False,
        "datatype_description": describe,
        "order": order,
        "description": str(question.get("text", "")),
    }
    if values:
        attribute["values"] = values
    return attribute


@open311_view("GET")
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    """The extra questions of a category, as Open311 attributes."""
    category = selectors.active_category(service_code)
    if category is None:
        return _errors(fmt, 404, f"Không có lĩnh vực (service_code) “{service_code}”.")
    data = {
        "service_code": category.code,
        "attributes": [_attribute(i, q) for i, q in enumerate(category.questions or [], start=1)],
    }
    return _render(fmt, data, root="service_definition")


# --- Reading requests -----------------------------------------------------------------------


# Only the columns the standard shows: the reporter's data and internal fields stay in the database.
_FIELDS = (
    "code",
    "status",
    "answer",
    "text_hidden",
    "description",
    "agency",
    "received_at",
    "updated_at",
    "due_at",
    "address",
    "latitude",
    "longitude",
    "category__name",
    "category__code",
)


def _rows(
    reports: Any, *, duplicates: bool = False, limit: int | None = None
) -> list[dict[str, Any]]:
    """The reports as plain rows with their first public photo, in one query.

    Plain rows instead of model instances, and the photo as a correlated subquery instead of a
    second look-up by a list of ids: a page of 1,000 is read at close to the speed of the
    hand-written query (docs/performance.md).
    """
    fields = (*_FIELDS, "duplicate_of__code") if duplicates else _FIELDS
    page = reports.select_related(None).values(*fields, photo_id=selectors.first_public_photo())
    return list(page[: limit or MAX_RESULTS])


def _media_url(request: HttpRequest, row: dict[str, Any]) -> str:
    if row["photo_id"] is None:
        return ""
    try:
        return request.build_absolute_uri(reverse("feedback:photo", args=[row["photo_id"]]))
    except NoReverseMatch:
        return ""


def _status_notes(row: dict[str, Any]) -> str:
    notes = str(Status(row["status"]).label)
    if row.get("duplicate_of__code"):
        notes += f" — theo dõi tại {row['duplicate_of__code']}"
    if row["answer"]:
        notes += f": {row['answer']}"
    return notes


def _request(request: HttpRequest, row: dict[str, Any]) -> dict[str, Any]:
    """One report as the standard's service request; never the reporter's personal data."""
    hidden = row["text_hidden"]
    return {
        "service_request_id": row["code"],
        "status": "open" if row["status"] in OPEN_STATUSES else "closed",
        "status_notes": _status_notes(row),
        "service_name": row["category__name"],
        "service_code": row["category__code"],
        "description": HIDDEN_TEXT if hidden else row["description"],
        "agency_responsible": row["agency"],
        "service_notice": "",
        "requested_datetime": _local(row["received_at"]),
        "updated_datetime": _local(row["updated_at"]),
        "expected_datetime": _local(row["due_at"]),
        # The address is the reporter's own text too: moderation hides it with the description.
        "address": "" if hidden else row["address"],
        "address_id": "",
        "zipcode": "",
        "lat": row["latitude"],
        "long": row["longitude"],
        "media_url": _media_url(request, row),
    }


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _instant(value: str, name: str, *, end: bool) -> dt.datetime:
    """An ISO 8601 instant; a bare date means the start of that day (for an end: its end)."""
    parsed: dt.datetime | None = None
    try:
        day = parse_date(value)
        if day is not None:
            parsed = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
        else:
            parsed = parse_datetime(value)
    except ValueError:
        pass
    if parsed is None:
        raise ValidationError(
            {name: f"“{value}” không phải ngày giờ ISO 8601 (ví dụ 2026-03-01T08:00:00+07:00)."}
        )
    if parsed.year not in YEARS:
        raise ValidationError(
            {name: f"“{value}”: chỉ tìm được từ năm {YEARS.start} đến năm {YEARS.stop - 1}."}
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _filtered(params: Any) -> Any:
    """Public reports matching the standard's filters, at most 90 days, newest first."""
    statuses = set(_csv(params.get("status", "").lower()))
    if statuses - {"open", "closed"}:
        raise ValidationError({"status": "Trạng thái (status) chỉ nhận open, closed."})
    start = params.get("start_date", "").strip()
    end = params.get("end_date", "").strip()
    since = _instant(start, "start_date", end=False) if start else None
    until = _instant(end, "end_date", end=True) if end else None
    if since is None and until is None:
        since = timezone.now() - WINDOW
    elif since is None:
        assert until is not None  # noqa: S101 - one of the two is set
        since = until - WINDOW
    elif until is None:
        until = since + WINDOW
    if until is not None:
        if until < since:
            raise ValidationError({"end_date": "Ngày kết thúc (end_date) trước ngày bắt đầu."})
        if until - since > WINDOW + dt.timedelta(days=1):
            raise ValidationError(
                {"end_date": "Khoảng thời gian tìm kiếm không được dài quá 90 ngày."}
            )
    return selectors.public_reports_filtered(
        categories=_csv(params.get("service_code", "")),
        state=statuses.pop() if len(statuses) == 1 else "",
        since=since,
        until=until,
    )


def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    codes = _csv(request.GET.get("service_request_id", ""))
    try:
        reports = selectors.reports_by_codes(codes) if codes else _filtered(request.GET)
    except ValidationError as error:
        return _validation_errors(fmt, error)
    data = [_request(request, row) for row in _rows(reports, duplicates=bool(codes))]
    return _render(fmt, data, root="service_requests", item="request")


@open311_view("GET")
def service_request(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    """One request, as a one-element list (as the standard says)."""
    rows = _rows(selectors.reports_by_codes([service_request_id]), duplicates=True, limit=1)
    if not rows:
        return _errors(fmt, 404, f"Không có phản ánh mã “{service_request_id}”.")
    return _render(fmt, [_request(request, rows[0])], root="service_requests", item="request")


# --- Posting a request ----------------------------------------------------------------------


def _post_limit() -> Limit:
    """At most ``OPEN311_POSTS_PER_MINUTE`` posts per client address per minute."""
    return Limit("open311_post", count=_posts_per_minute(), window_s=60)


def _api_user(request: HttpRequest) -> Any:
    """The user behind the request's ``api_key``: the same API token, checked by the same
    authentication as ``/api/v1/``, only carried in the standard's own field of the POST body
    (a key in the URL is refused before this: addresses end up in logs and histories)."""
    key = (request.POST.get("api_key") or "").strip()
    if not key:
        return None
    try:
        user, _token = TokenAuthentication().authenticate_credentials(key.encode())
    except (AuthenticationFailed, UnicodeError):
        return None
    return user


def _coordinate(value: str, name: str) -> float | None:
    if not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        raise ValidationError({name: f"“{value}” không phải là số (độ thập phân)."}) from None


def _answers(category: Category, data: Any) -> list[str]:
    """``attribute[code]`` answers as "question: answer" lines; unknown codes are ignored."""
    lines = []
    for question in category.questions or []:
        code = str(question.get("code", ""))
        values = [v.strip() for v in data.getlist(f"attribute[{code}][]") if v.strip()]
        single = (data.get(f"attribute[{code}]") or "").strip()
        values = values or ([single] if single else [])
        if not values:
            continue
        if question.get("type") == "boolean":
            names = {item["key"]: item["name"] for item in YES_NO}
            values = [names.get(v.lower(), v) for v in values]
        lines.append(f"{question.get('text', code)}: {', '.join(values)}")
    return lines


def _submit(request: HttpRequest, user: Any) -> Report:
    data = request.POST
    code = data.get("service_code", "").strip()
    category = selectors.active_category(code)
    if category is None:
        raise ValidationError({"service_code": f"Không có lĩnh vực (service_code) “{code}”."})
    latitude = _coordinate(data.get("lat", ""), "lat")
    longitude = _coordinate(data.get("long", ""), "long")
    if latitude is None or longitude is None:
        raise ValidationError(
            {
                "lat": "Cần tọa độ (lat, long) để chuyển phản ánh đến đúng xã, phường; "
                "chỉ có địa chỉ (address_string, address_id) là chưa đủ."
            }
        )
    email = check_email(data.get("email", ""))
    phone = check_phone(data.get("phone", ""), field="phone")
    description = check_text(data.get("description", ""), "description")
    answers = _answers(category, data)
    if answers:
        description += "\n\n" + "\n".join(answers)
    name = f"{data.get('last_name', '').strip()} {data.get('first_name', '').strip()}".strip()
    return report_submit(
        category=category,
        title="",
        description=description,
        latitude=latitude,
        longitude=longitude,
        channel=Channel.OPEN311,
        address=data.get("address_string", ""),
        reporter_name=name,
        reporter_email=email,
        reporter_phone=phone,
        photos=request.FILES.getlist("media"),
        actor=user,
    )


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    if _post_limit().check_and_hit(request):
        response = _errors(fmt, 429, "Gửi quá nhiều phản ánh trong một phút; thử lại sau.")
        response["Retry-After"] = "60"
        return response
    user = _api_user(request)
    if user is None:
        return _errors(
            fmt, 403, "Thiếu hoặc sai mã truy cập (api_key); xin cấp mã tại cơ quan quản lý."
        )
    try:
        report = _submit(request, user)
    except ValidationError as error:
        return _validation_errors(fmt, error)
    due = timezone.localtime(report.due_at).strftime("%d/%m/%Y")
    notice = (
        f"Đã tiếp nhận phản ánh {report.code}; {report.agency} xử lý, "
        f"hạn trả lời {due}. Tra cứu bằng mã {report.code}."
    )
    data = [{"service_request_id": report.code, "service_notice": notice, "account_id": None}]
    return _render(fmt, data, root="service_requests", item="request", status=201)


@csrf_exempt  # programs post here with an api_key, not a session: there is no CSRF token
@open311_view("GET", "POST")
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET: public requests matching the filters; POST: a new request (needs an api_key)."""
    if request.method == "POST":
        return _create(request, fmt)
    return _list(request, fmt)
