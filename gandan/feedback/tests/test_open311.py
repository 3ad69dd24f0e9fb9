"""Open311 GeoReport v2: every endpoint in JSON and XML, posting with an api_key, the filters,
the status mapping, errors in the standard's format, privacy and moderation, the rate limit.

No Open311 client library is installed, so ``GeoReportClient`` below calls the API the way such
clients do: discovery, then ``services.json``, a form-encoded POST to ``requests.json`` with
``api_key``, then GETs of ``requests/{id}.json``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own responses in tests
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse
from PIL import Image

from gandan.accounts.models import User
from gandan.accounts.services import token_renew
from gandan.feedback.models import HIDDEN_TEXT, Category, Channel, Photo, Report, Status
from gandan.feedback.services import (
    report_answer,
    report_merge,
    report_moderate,
    report_set_status,
    report_submit,
)
from gandan.geo.selectors import unit_by_code

pytestmark = pytest.mark.django_db

HUE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=HUE)
FORMATS = ["json", "xml"]
BASE = "/open311/v2"
FORM = "application/x-www-form-urlencoded"
REPORTER = {"name": "Nguyễn Thị Bí Mật", "email": "bimat@example.vn", "phone": "0905123456"}
LIST_TAGS = {"services", "service_requests", "errors", "attributes", "values", "endpoints"}
LIST_TAGS |= {"formats"}


# --- Fixtures and helpers -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _frozen_time() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _own_cache(settings: Any) -> Any:
    # The rate limit counts in the cache: a fresh local-memory one for each test.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "open311-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def app_user() -> User:
    return User.objects.create_user(username="ung_dung_hue_s", password=None)


@pytest.fixture
def api_key(app_user: User) -> str:
    return token_renew(user=app_user)


@pytest.fixture
def staff() -> User:
    return User.objects.create_user(username="can_bo_kiem_duyet", password=None)


def centre() -> tuple[float, float]:
    """The centre of Phường Thuận Hóa (19789): reports there route to it."""
    unit = unit_by_code("19789", as_of=NOW.date())
    assert unit.latitude is not None and unit.longitude is not None
    return unit.latitude, unit.longitude


def make_report(
    text: str = "Ổ gà lớn giữa đường Lê Lợi",
    *,
    category: str = "roads",
    days_ago: float = 1,
    address: str = "12 Lê Lợi",
    photo: bool = False,
) -> Report:
    lat, lon = centre()
    return report_submit(
        category=Category.objects.get(code=category),
        title="",
        description=text,
        latitude=lat,
        longitude=lon,
        channel=Channel.WEB,
        address=address,
        reporter_name=REPORTER["name"],
        reporter_email=REPORTER["email"],
        reporter_phone=REPORTER["phone"],
        photos=[SimpleUploadedFile("o-ga.png", png().getvalue())] if photo else None,
        received_at=NOW - dt.timedelta(days=days_ago),
    )


def png(name: str = "o-ga.png") -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def _xml_value(element: ET.Element) -> Any:
    if element.tag in LIST_TAGS:
        return [_xml_value(child) for child in element]
    children = list(element)
    if not children:
        return element.text or ""
    return {child.tag: _xml_value(child) for child in children}


def parse(response: Any) -> Any:
    """The body as Python data: JSON as is; XML as lists and dicts of strings."""
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content)
    assert response["Content-Type"].startswith("text/xml")
    return _xml_value(ET.fromstring(response.content))  # noqa: S314 - our own output


def text(value: Any) -> str:
    """A JSON value as it reads in XML (true/false, empty for null)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def get(path: str, fmt: str, **params: str) -> Any:
    query = f"?{urlencode(params)}" if params else ""
    return Client().get(f"{BASE}/{path}.{fmt}{query}")


def post(fmt: str, data: dict[str, Any], *, multipart: bool = False, **extra: Any) -> Any:
    url = f"{BASE}/requests.{fmt}"
    if multipart:
        return Client().post(url, data, **extra)
    return Client().post(url, urlencode(data, doseq=True), content_type=FORM, **extra)


def good_post(key: str, /, **overrides: Any) -> dict[str, Any]:
    lat, lon = centre()
    data = {
        "api_key": key,
        "service_code": "roads",
        "lat": str(lat),
        "long": str(lon),
        "address_string": "Trước nhà 12 Lê Lợi",
        "description": "Mặt đường bị sụt lún, xe máy dễ ngã",
        "email": "dan@example.vn",
        "first_name": "An",
        "last_name": "Trần Văn",
        "phone": "0914000111",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def assert_errors(response: Any, status: int, *words: str) -> list[Any]:
    assert response.status_code == status, response.content.decode()
    errors = parse(response)
    assert isinstance(errors, list) and errors
    for error in errors:
        assert text(error["code"]) == str(status)
        assert error["description"]
    joined = " ".join(e["description"] for e in errors)
    for word in words:
        assert word in joined
    return errors


def photo_url(photo: Photo) -> str:
    try:
        return "http://testserver" + reverse("feedback:photo", args=[photo.pk])
    except NoReverseMatch:
        return ""


# --- Discovery and services -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_names_the_endpoint_and_both_formats(fmt):
    response = get("discovery", fmt)
    assert response.status_code == 200
    endpoint = parse(response)["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_lists_every_active_category_with_its_metadata_flag(fmt):
    Category.objects.filter(code="other").update(active=False)
    response = get("services", fmt)
    assert response.status_code == 200
    services = {s["service_code"]: s for s in parse(response)}
    assert len(services) == Category.objects.filter(active=True).count() == 20
    assert "other" not in services
    roads = services["roads"]
    assert roads["service_name"] == "Giao thông, đường sá"
    assert roads["description"] == "Ổ gà, hư hỏng mặt đường, cầu, biển báo"
    assert roads["group"] == "Hạ tầng"
    assert "o ga" in roads["keywords"]
    assert text(roads["type"]) == "realtime"
    assert text(roads["metadata"]) == "true"
    assert text(services["drainage"]["metadata"]) == "false"


def test_services_json_keeps_booleans_and_vietnamese_as_json():
    response = get("services", "json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Giao thông" in response.content.decode()  # not \\u escapes
    assert parse(response)[0]["metadata"] is True


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_service_definition_turns_the_categorys_questions_into_attributes(fmt):
    response = get("services/roads", fmt)
    assert response.status_code == 200
    definition = parse(response)
    assert definition["service_code"] == "roads"
    [danger] = definition["attributes"]
    assert text(danger["variable"]) == "true"
    assert danger["code"] == "danger"
    assert danger["datatype"] == "singlevaluelist"
    assert text(danger["required"]) == "false"
    assert text(danger["order"]) == "1"
    assert danger["description"] == "Có nguy hiểm cho người đi đường không?"
    assert [v["key"] for v in danger["values"]] == ["yes", "no"]
    [pole] = parse(get("services/lighting", fmt))["attributes"]
    assert pole["datatype"] == "text" and pole["code"] == "pole_number"
    assert parse(get("services/drainage", fmt))["attributes"] == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_service_code_is_a_404_in_the_standards_error_format(fmt):
    assert_errors(get("services/khong_co", fmt), 404, "khong_co")


def test_an_xml_error_is_an_errors_element_with_code_and_description():
    response = get("services/khong_co", "xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == "errors"
    assert [child.tag for child in root[0]] == ["code", "description"]
    assert root[0].findtext("code") == "404"


@pytest.mark.parametrize(
    "path", ["services.csv", "services/roads.html", "requests.txt", "requests/PA-AAAAAAA.yaml"]
)
def test_an_unknown_format_suffix_is_a_404(path):
    response = Client().get(f"{BASE}/{path}")
    assert_errors(response, 404, "định dạng")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_foreign_jurisdiction_is_refused_and_our_own_is_accepted(fmt):
    assert_errors(get("services", fmt, jurisdiction_id="sf.gov"), 404, "sf.gov")
    assert get("services", fmt, jurisdiction_id="hue.gov.vn").status_code == 200


def test_other_methods_are_refused_in_the_standards_format():
    response = Client().put(f"{BASE}/requests.json")
    assert_errors(response, 405, "PUT")
    assert "POST" in response["Allow"]
    assert_errors(Client().post(f"{BASE}/services.json"), 405)


# --- Posting a request ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_form_encoded_post_with_an_api_key_files_a_routed_report(fmt, api_key, app_user):
    response = post(fmt, good_post(api_key, **{"attribute[danger]": "yes"}))
    assert response.status_code == 201, response.content.decode()
    [receipt] = parse(response)
    report = Report.objects.get(code=receipt["service_request_id"])
    assert text(receipt["account_id"]) == ""
    assert report.code in receipt["service_notice"] and "UBND" in receipt["service_notice"]
    assert report.channel == Channel.OPEN311
    assert report.unit.code == "19789" and report.category.code == "roads"
    assert report.created_by == app_user
    assert report.address == "Trước nhà 12 Lê Lợi"
    assert (report.reporter_name, report.reporter_email, report.reporter_phone) == (
        "Trần Văn An",
        "dan@example.vn",
        "0914000111",
    )
    assert report.description == (
        "Mặt đường bị sụt lún, xe máy dễ ngã\n\nCó nguy hiểm cho người đi đường không?: Có"
    )
    assert report.received_at == NOW


def test_the_json_receipt_has_exactly_the_standards_fields(api_key):
    [receipt] = parse(post("json", good_post(api_key)))
    assert set(receipt) == {"service_request_id", "service_notice", "account_id"}
    assert receipt["account_id"] is None


def test_unknown_attributes_are_ignored_and_text_answers_are_kept(api_key):
    data = good_post(
        api_key,
        service_code="lighting",
        **{"attribute[pole_number]": "HL-112", "attribute[khong_co]": "x"},
    )
    [receipt] = parse(post("json", data))
    report = Report.objects.get(code=receipt["service_request_id"])
    assert report.description.endswith("Số hiệu cột đèn (nếu có): HL-112")
    assert "khong_co" not in report.description


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_multipart_post_with_a_media_photo_stores_the_photo(fmt, api_key):
    response = post(fmt, {**good_post(api_key), "media": png()}, multipart=True)
    assert response.status_code == 201, response.content.decode()
    [receipt] = parse(response)
    report = Report.objects.get(code=receipt["service_request_id"])
    [photo] = report.photos.all()
    [shown] = parse(get(f"requests/{report.code}", fmt))
    assert shown["media_url"] == photo_url(photo)


def test_programs_post_without_a_csrf_token(api_key):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"{BASE}/requests.json", urlencode(good_post(api_key)), content_type=FORM
    )
    assert response.status_code == 201


def test_a_signed_in_session_is_no_substitute_for_an_api_key(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    data = good_post("")
    response = client.post(f"{BASE}/requests.json", urlencode(data), content_type=FORM)
    assert_errors(response, 403, "api_key")
    assert not Report.objects.exists()


def _inactive_key(app_user: User, api_key: str) -> str:
    app_user.is_active = False
    app_user.save()
    return api_key


BAD_POSTS: dict[str, tuple[dict[str, Any], int, str]] = {
    "missing api_key": ({"api_key": None}, 403, "api_key"),
    "invalid api_key": ({"api_key": "khong-dung"}, 403, "api_key"),
    "unknown service code": ({"service_code": "khong_co"}, 400, "service_code"),
    "outside Việt Nam": ({"lat": "48.85", "long": "2.35"}, 400, "ngoài lãnh thổ Việt Nam"),
    "address only": ({"lat": None, "long": None}, 400, "Cần tọa độ"),
    "latitude not a number": ({"lat": "mười sáu"}, 400, "lat"),
    "text over 4000 chars": ({"description": "a" * 4001}, 400, "vượt quá 4000"),
    "HTML in the text": ({"description": "Xem <script>alert(1)</script>"}, 400, "HTML"),
    "empty text": ({"description": "  "}, 400, "description"),
    "HTML in an answer": ({"attribute[danger]": "<b>có</b>"}, 400, "HTML"),
    "bad email": ({"email": "khong-phai-email"}, 400, "email"),
    # PostgreSQL: longer than the column, or a NUL it cannot store (both once a server error).
    "long email": ({"email": "a" * 245 + "@example.vn"}, 400, "email: Địa chỉ thư điện tử"),
    "nul in the text": ({"description": "Đèn\x00 hỏng"}, 400, "description: Không được chứa"),
    "nul in a name": ({"last_name": "Trần\x00"}, 400, "last_name: Không được chứa"),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", list(BAD_POSTS))
def test_a_bad_post_is_refused_in_the_standards_format_and_stores_nothing(fmt, case, api_key):
    overrides, status, words = BAD_POSTS[case]
    before = Report.objects.count(), Photo.objects.count()
    assert_errors(post(fmt, good_post(api_key, **overrides)), status, words)
    assert (Report.objects.count(), Photo.objects.count()) == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_media_file_that_is_not_an_image_is_refused_and_nothing_is_stored(fmt, api_key):
    fake = io.BytesIO(b"%PDF-1.4 not a photo")
    fake.name = "o-ga.png"
    response = post(fmt, {**good_post(api_key), "media": fake}, multipart=True)
    assert_errors(response, 400, "media", "không phải ảnh JPEG, ảnh PNG hoặc ảnh WebP")
    assert not Report.objects.exists() and not Photo.objects.exists()


def test_a_disabled_accounts_key_is_refused(app_user, api_key):
    _inactive_key(app_user, api_key)
    assert_errors(post("json", good_post(api_key)), 403, "api_key")
    assert not Report.objects.exists()


def test_an_inactive_category_takes_no_new_requests(api_key):
    Category.objects.filter(code="roads").update(active=False)
    assert_errors(post("json", good_post(api_key)), 400, "service_code")


@pytest.mark.parametrize("fmt", FORMATS)
def test_posts_are_limited_to_ten_a_minute_per_client_address(fmt, api_key):
    for _ in range(9):
        assert post(fmt, good_post("sai")).status_code == 403
    assert post(fmt, good_post(api_key)).status_code == 201
    assert_errors(post(fmt, good_post(api_key)), 429, "quá nhiều")
    assert Report.objects.count() == 1
    # Another client is not held back, and the next minute this one may post again.
    assert post(fmt, good_post(api_key), REMOTE_ADDR="10.0.0.2").status_code == 201
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        assert post(fmt, good_post(api_key)).status_code == 201


# --- Reading requests -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_request_is_a_one_element_list_with_every_standard_field(fmt):
    report = make_report()
    response = get(f"requests/{report.code}", fmt)
    assert response.status_code == 200
    [shown] = parse(response)
    assert list(shown) == [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    ]
    assert shown["service_request_id"] == report.code
    assert shown["status"] == "open"
    assert shown["status_notes"] == "Đã tiếp nhận"
    assert shown["service_code"] == "roads"
    assert shown["service_name"] == "Giao thông, đường sá"
    assert shown["description"] == "Ổ gà lớn giữa đường Lê Lợi"
    assert shown["agency_responsible"] == report.agency == "UBND Phường Thuận Hóa"
    assert shown["address"] == "12 Lê Lợi"
    assert shown["requested_datetime"] == "2026-03-01T09:00:00+07:00"
    assert shown["updated_datetime"] == "2026-03-02T09:00:00+07:00"
    assert shown["expected_datetime"].endswith("+07:00")
    assert dt.datetime.fromisoformat(shown["expected_datetime"]) == report.due_at
    assert float(shown["lat"]) == report.latitude
    assert float(shown["long"]) == report.longitude
    assert shown["media_url"] == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_request_id_is_a_404_in_the_standards_format(fmt):
    assert_errors(get("requests/PA-AAAAAAA", fmt), 404, "PA-AAAAAAA")


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_list_defaults_to_the_last_90_days_newest_first(fmt):
    older = make_report("Cũ hơn", days_ago=30)
    newer = make_report("Mới hơn", days_ago=2)
    make_report("Quá 90 ngày", days_ago=91)
    response = get("requests", fmt)
    assert response.status_code == 200
    assert [r["service_request_id"] for r in parse(response)] == [newer.code, older.code]


def test_an_empty_list_is_an_empty_array_or_element():
    assert parse(get("requests", "json")) == []
    assert get("requests", "xml").content.decode().endswith("<service_requests />")


@pytest.mark.parametrize("fmt", FORMATS)
def test_asking_by_ids_ignores_the_other_filters(fmt):
    old = make_report("Quá 90 ngày", days_ago=120)
    recent = make_report("Đèn hỏng", category="lighting")
    make_report("Không hỏi đến")
    response = get(
        "requests",
        fmt,
        service_request_id=f"{old.code}, {recent.code}",
        service_code="waste",
        status="closed",
    )
    assert {r["service_request_id"] for r in parse(response)} == {old.code, recent.code}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_list_filters_by_service_code_and_dates(fmt):
    roads = make_report(category="roads", days_ago=10)
    lighting = make_report(category="lighting", days_ago=20)
    make_report(category="waste", days_ago=5)
    codes = parse(get("requests", fmt, service_code="roads,lighting"))
    assert [r["service_request_id"] for r in codes] == [roads.code, lighting.code]
    between = parse(
        get(
            "requests",
            fmt,
            start_date="2026-02-08T00:00:00+07:00",
            end_date="2026-02-15T00:00:00+07:00",
        )
    )
    assert [r["service_request_id"] for r in between] == [lighting.code]
    since = parse(get("requests", fmt, start_date="2026-02-15T00:00:00Z"))
    assert len(since) == 2
    by_day = parse(get("requests", fmt, start_date="2026-02-10", end_date="2026-02-10"))
    assert [r["service_request_id"] for r in by_day] == [lighting.code]


def test_an_end_date_alone_looks_90_days_back():
    recent = make_report(days_ago=1)
    make_report(days_ago=95)
    found = parse(get("requests", "json", end_date="2026-03-02T23:59:59+07:00"))
    assert [r["service_request_id"] for r in found] == [recent.code]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "params,words",
    [
        ({"start_date": "hôm qua"}, "start_date"),
        ({"end_date": "2026-13-45T00:00:00"}, "end_date"),
        ({"start_date": "2026-03-01", "end_date": "2026-02-01"}, "trước ngày bắt đầu"),
        ({"start_date": "2025-01-01", "end_date": "2026-01-01"}, "90 ngày"),
        ({"status": "pending"}, "open, closed"),
        # Beyond what a date can hold once moved to another time zone or by 90 days.
        ({"start_date": "9999-12-31"}, "start_date"),
        ({"start_date": "0001-01-01"}, "năm 1900"),
        ({"end_date": "0001-01-01T00:00:00+14:00"}, "end_date"),
        ({"end_date": "9999-12-31T23:59:59-12:00"}, "năm 2999"),
        ({"service_request_id": "PA-\x00"}, "service_request_id: Không được chứa ký tự NUL"),
        ({"service_code": "roads\x00"}, "service_code: Không được chứa ký tự NUL"),
    ],
)
def test_malformed_filters_are_a_400(fmt, params, words):
    assert_errors(get("requests", fmt, **params), 400, words)


@pytest.mark.parametrize("fmt", FORMATS)
def test_internal_statuses_map_to_open_and_closed_with_vietnamese_notes(fmt, staff):
    received = make_report("Một")
    in_progress = report_set_status(
        report=make_report("Hai"), status=Status.IN_PROGRESS, actor=staff
    )
    fixed = report_answer(
        report=make_report("Ba"), status=Status.FIXED, answer="Đã vá ổ gà.", actor=staff
    )
    not_competent = report_answer(
        report=make_report("Bốn"),
        status=Status.NOT_COMPETENT,
        answer="Thuộc Sở Giao thông.",
        actor=staff,
    )
    shown = {r["service_request_id"]: r for r in parse(get("requests", fmt))}
    assert shown[received.code]["status"] == "open"
    assert shown[in_progress.code]["status"] == "open"
    assert shown[in_progress.code]["status_notes"] == "Đang xử lý"
    assert shown[fixed.code]["status"] == "closed"
    assert shown[fixed.code]["status_notes"] == "Đã khắc phục: Đã vá ổ gà."
    assert shown[not_competent.code]["status"] == "closed"
    assert shown[not_competent.code]["status_notes"].startswith("Không thuộc thẩm quyền")
    open_only = parse(get("requests", fmt, status="open"))
    assert {r["service_request_id"] for r in open_only} == {received.code, in_progress.code}
    closed_only = parse(get("requests", fmt, status="closed"))
    assert {r["service_request_id"] for r in closed_only} == {fixed.code, not_competent.code}
    assert len(parse(get("requests", fmt, status="open,closed"))) == 4


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_merged_duplicate_is_left_out_of_the_list_but_its_id_still_answers(fmt, staff):
    original = make_report("Ổ gà trước chợ")
    duplicate = report_merge(report=make_report("Ổ gà trước chợ nữa"), into=original)
    listed = [r["service_request_id"] for r in parse(get("requests", fmt))]
    assert listed == [original.code]
    [shown] = parse(get(f"requests/{duplicate.code}", fmt))
    assert shown["status"] == "closed"
    assert original.code in shown["status_notes"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_get_response_reveals_the_reporters_name_email_or_phone(fmt, api_key):
    report = make_report()
    posted = parse(post(fmt, good_post(api_key)))[0]["service_request_id"]
    bodies = [
        get("requests", fmt).content.decode(),
        get(f"requests/{report.code}", fmt).content.decode(),
        get(f"requests/{posted}", fmt).content.decode(),
        get("requests", fmt, service_request_id=f"{report.code},{posted}").content.decode(),
    ]
    for body in bodies:
        assert report.code in body or posted in body
        for secret in [*REPORTER.values(), "Trần Văn", "dan@example.vn", "0914000111"]:
            assert secret not in body
        assert report.reporter_token not in body


@pytest.mark.parametrize("fmt", FORMATS)
def test_moderated_text_is_replaced_by_the_notice(fmt, staff):
    report = make_report("Lời lẽ xúc phạm cán bộ phường", address="Nhà ông Tư nói bậy")
    report_moderate(report=report, action="hide_text", reason="Xúc phạm", actor=staff)
    for response in (get("requests", fmt), get(f"requests/{report.code}", fmt)):
        body = response.content.decode()
        assert "xúc phạm cán bộ" not in body and "nói bậy" not in body
        [shown] = parse(response)
        assert shown["description"] == HIDDEN_TEXT
        assert shown["address"] == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_redacted_photo_is_never_the_media_url(fmt, staff):
    report = make_report(photo=True)
    photo = report.photos.get()
    [shown] = parse(get(f"requests/{report.code}", fmt))
    assert shown["media_url"] == photo_url(photo)
    report_moderate(
        report=report, action="redact_photo", reason="Lộ biển số", actor=staff, photo=photo
    )
    [shown] = parse(get(f"requests/{report.code}", fmt))
    assert shown["media_url"] == ""


def test_the_list_stops_at_1000_requests(monkeypatch):
    monkeypatch.setattr("gandan.feedback.open311.MAX_RESULTS", 2)
    for days in (1, 2, 3):
        make_report(days_ago=days)
    assert len(parse(get("requests", "json"))) == 2


# --- As an Open311 client calls it ----------------------------------------------------------


class GeoReportClient:
    """What Open311 client libraries do: find the endpoint, list services, post form-encoded
    with an api_key, then follow the request by id — always through ``.json`` URLs."""

    def __init__(self, discovery_url: str, api_key: str) -> None:
        self.http = Client()
        self.api_key = api_key
        response = self.http.get(discovery_url)
        endpoint = json.loads(response.content)["endpoints"][0]
        self.base = endpoint["url"].removeprefix("http://testserver")

    def _get(self, path: str, **params: str) -> Any:
        response = self.http.get(f"{self.base}/{path}.json", params)
        assert response.status_code == 200, response.content
        return json.loads(response.content)

    def services(self) -> list[dict[str, Any]]:
        return list(self._get("services"))

    def service_definition(self, code: str) -> dict[str, Any]:
        return dict(self._get(f"services/{code}"))

    def post_request(self, **fields: Any) -> list[dict[str, Any]]:
        body = urlencode({"api_key": self.api_key, **fields})
        response = self.http.post(f"{self.base}/requests.json", body, content_type=FORM)
        assert response.status_code in (200, 201), response.content
        return list(json.loads(response.content))

    def get_request(self, service_request_id: str) -> dict[str, Any]:
        [found] = self._get(f"requests/{service_request_id}")
        return dict(found)

    def get_requests(self, **params: str) -> list[dict[str, Any]]:
        return list(self._get("requests", **params))


def test_an_open311_client_finds_posts_and_follows_a_request(api_key):
    client = GeoReportClient(f"{BASE}/discovery.json", api_key)
    lighting = next(s for s in client.services() if s["service_code"] == "lighting")
    assert lighting["metadata"] is True
    [attribute] = client.service_definition("lighting")["attributes"]
    lat, lon = centre()
    [receipt] = client.post_request(
        service_code="lighting",
        lat=lat,
        long=lon,
        description="Đèn đường tắt cả tuần",
        **{f"attribute[{attribute['code']}]": "HL-07"},
    )
    found = client.get_request(receipt["service_request_id"])
    assert found["status"] == "open"
    assert found["description"] == "Đèn đường tắt cả tuần\n\nSố hiệu cột đèn (nếu có): HL-07"
    mine = client.get_requests(service_request_id=receipt["service_request_id"])
    assert [r["service_request_id"] for r in mine] == [receipt["service_request_id"]]
    assert receipt["service_request_id"] in [r["service_request_id"] for r in client.get_requests()]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_post_with_a_phone_number_the_public_form_refuses_is_refused(fmt, api_key):
    assert_errors(post(fmt, good_post(api_key, phone="gọi tôi")), 400, "Số điện thoại")
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_photo_declaring_a_huge_picture_is_refused_not_a_server_error(fmt, api_key):
    from gandan.core.tests.test_uploads import png_claiming

    bomb = io.BytesIO(png_claiming(40_000, 40_000))
    bomb.name = "bom.png"
    response = post(fmt, {**good_post(api_key), "media": bomb}, multipart=True)
    assert_errors(response, 400, "media", "quá nhiều điểm ảnh")
    assert not Report.objects.exists()


def test_a_stored_photo_keeps_no_gps_position_or_device(api_key):
    from gandan.core.tests.test_uploads import photo_with_gps

    photo = io.BytesIO(photo_with_gps())
    photo.name = "o-ga.jpg"
    response = post("json", {**good_post(api_key), "media": photo}, multipart=True)
    assert response.status_code == 201, response.content.decode()
    [stored] = Report.objects.get(code=parse(response)[0]["service_request_id"]).photos.all()
    served = Client().get(photo_url(stored))
    assert served["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as image:
        assert not image.getexif() and "exif" not in image.info


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_api_key_in_the_address_is_refused_and_stores_nothing(method, api_key):
    before = Report.objects.count()
    url = f"{BASE}/requests.json?api_key={api_key}"
    if method == "post":
        response = Client().post(url, urlencode(good_post(api_key)), content_type=FORM)
    else:
        response = Client().get(url)
    assert_errors(response, 400, "thân yêu cầu POST")
    assert Report.objects.count() == before
