"""The public pages of citizen reports, through HTTP: submit with photos, refuse bad input,
suggest duplicates, never show personal data, hide moderated content, let the reporter rate
and reopen once, and limit how fast one address can submit."""

from __future__ import annotations

import io
import math
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve
from django.utils import timezone
from PIL import Image

from gandan.core.models import Event
from gandan.feedback.models import Category, Channel, Photo, Report, Status
from gandan.feedback.services import (
    report_answer,
    report_merge,
    report_moderate,
    report_set_status,
    report_submit,
)
from gandan.geo.models import Unit
from gandan.geo.selectors import unit_by_code

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Hoàng Thị Riêng Tư", "rieng.tu@example.vn", "0905777888"
SECRET = [NAME, EMAIL, PHONE, "0905 777 888"]
HIDDEN = "Nội dung đã được ẩn do vi phạm quy định"
M_PER_DEGREE = 111_320


@pytest.fixture(autouse=True)
def _media_and_cache(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # the submission limit counts in the cache


def png(name: str = "o-ga.png", colour: str = "red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 9), colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def thuan_hoa() -> Unit:
    return unit_by_code("19789", as_of=timezone.localdate())


def north_of(unit: Unit, metres: float) -> tuple[float, float]:
    assert unit.latitude is not None and unit.longitude is not None
    return unit.latitude + metres / M_PER_DEGREE, unit.longitude


def east_of(unit: Unit, metres: float) -> tuple[float, float]:
    assert unit.latitude is not None and unit.longitude is not None
    return unit.latitude, unit.longitude + metres / (
        M_PER_DEGREE * math.cos(math.radians(unit.latitude))
    )


def filed(
    *,
    at: tuple[float, float],
    category: str = "roads",
    title: str = "Ổ gà sâu trước chợ",
    photos: list[SimpleUploadedFile] | None = None,
    personal: bool = True,
    address: str = "Kiệt 5 Lê Lợi",
) -> Report:
    return report_submit(
        category=Category.objects.get(code=category),
        title=title,
        description="Mặt đường sụt thành ổ gà sâu, xe máy đi qua rất dễ ngã.",
        latitude=at[0],
        longitude=at[1],
        channel=Channel.WEB,
        address=address,
        reporter_name=NAME if personal else "",
        reporter_email=EMAIL if personal else "",
        reporter_phone=PHONE if personal else "",
        photos=photos,
    )


def form_data(**overrides: Any) -> dict[str, Any]:
    unit = thuan_hoa()
    data: dict[str, Any] = {
        "category": "lighting",
        "title": "Đèn đường không sáng",
        "description": "Ba cột đèn liền nhau trên đường Lê Lợi không sáng từ tuần trước.",
        "latitude": f"{unit.latitude}",
        "longitude": f"{unit.longitude}",
        "address": "Đường Lê Lợi, gần cầu Trường Tiền",
        "reporter_name": NAME,
        "reporter_email": EMAIL,
        "reporter_phone": PHONE,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def page(response: Any) -> str:
    return response.content.decode()


# --- Submitting ---------------------------------------------------------------------------


def test_a_resident_submits_a_report_with_a_photo_and_it_goes_to_the_commune_where_it_happened():
    client = Client()
    response = client.post("/feedback/new/", form_data(photos=[png()]))
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/feedback/submitted/{report.code}/?t={report.reporter_token}"
    assert report.unit.code == "19789" and report.agency == "UBND Phường Thuận Hóa"
    assert report.channel == Channel.WEB and report.category.code == "lighting"
    assert report.reporter_email == EMAIL and report.address.startswith("Đường Lê Lợi")
    photo = report.photos.get()
    assert photo.image.read().startswith(b"\x89PNG")

    done = page(client.get(response["Location"]))
    assert report.code in done
    assert f"/feedback/r/{report.code}/?t={report.reporter_token}" in done
    assert not any(secret in done for secret in SECRET)


def test_a_resident_may_stay_anonymous_and_write_coordinates_with_a_decimal_comma():
    unit = thuan_hoa()
    response = Client().post(
        "/feedback/new/",
        form_data(
            reporter_name="",
            reporter_email="",
            reporter_phone="",
            latitude=f"{unit.latitude}".replace(".", ","),
            longitude=f"{unit.longitude}".replace(".", ","),
        ),
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.reporter_name, report.reporter_email, report.reporter_phone) == ("", "", "")
    assert report.unit.code == "19789"


def _text_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("o-ga.png", b"day khong phai la anh", content_type="image/png")


BAD_INPUT = {
    "no_location": (
        {"latitude": None, "longitude": None},
        "Cần vị trí: chọn trên bản đồ hoặc nhập tọa độ.",
    ),
    "outside_vietnam": (
        {"latitude": "48.8566", "longitude": "2.3522"},
        "nằm ngoài lãnh thổ Việt Nam",
    ),
    "text_too_long": ({"description": "Ổ gà. " * 700}, "vượt quá 4000 ký tự cho phép"),
    "html_in_text": (
        {"description": "Xem ảnh <img src=x onerror=alert(1)> ở đây"},
        "Nội dung không được chứa mã HTML.",
    ),
    "html_in_title": ({"title": "<b>Khẩn</b>"}, "Nội dung không được chứa mã HTML."),
    "not_an_image": (
        {"photos": "text"},
        "Tệp “o-ga.png” không phải ảnh JPEG, ảnh PNG hoặc ảnh WebP.",
    ),
    "six_photos": ({"photos": 6}, "Tối đa 5 ảnh cho một phản ánh."),
    "no_category": ({"category": ""}, "Hãy chọn lĩnh vực của phản ánh."),
    "bad_phone": ({"reporter_phone": "gọi tôi"}, "Số điện thoại không hợp lệ"),
    # Over the 254 characters an address may have (a server error on PostgreSQL before).
    "long_email": ({"reporter_email": "a" * 250 + "@hue.vn"}, "Địa chỉ thư điện tử không hợp lệ"),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_refused_with_a_vietnamese_message_and_nothing_is_saved(case, settings):
    overrides, message = BAD_INPUT[case]
    overrides = dict(overrides)
    if overrides.get("photos") == "text":
        overrides["photos"] = [_text_file()]
    elif overrides.get("photos") == 6:
        overrides["photos"] = [png(f"anh-{i}.png") for i in range(6)]
    response = Client().post("/feedback/new/", form_data(**overrides))
    assert response.status_code == 400
    assert message in page(response)
    assert "Phản ánh chưa được gửi" in page(response)
    assert not Report.objects.exists() and not Photo.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    assert not Event.objects.filter(kind="report.received").exists()


def test_the_form_page_offers_every_active_category_with_its_hint():
    html = page(Client().get("/feedback/new/"))
    lighting = Category.objects.get(code="lighting")
    assert f'value="lighting" data-hint="{lighting.hint}"' in html
    assert html.count("<option value=") == Category.objects.filter(active=True).count() + 1
    assert "để trống để phản ánh ẩn danh" in html.lower()
    # The map's projection, for the script that turns a tap into a position: plain decimals.
    for name in ("left", "top", "kx", "ky"):
        value = html.split(f'data-{name}="')[1].split('"')[0]
        assert float(value) > 0, name


# --- Duplicates ---------------------------------------------------------------------------


def test_an_open_report_of_the_same_category_20_m_away_is_suggested_but_not_one_200_m_away():
    unit = thuan_hoa()
    near = filed(at=north_of(unit, 20), title="Ổ gà gần")
    far = filed(at=east_of(unit, 200), title="Ổ gà xa")
    other_kind = filed(at=north_of(unit, 10), category="waste", title="Rác tồn đọng")
    closed = filed(at=north_of(unit, 15), title="Ổ gà đã vá")
    report_answer(report=closed, status=Status.FIXED, answer="Đã vá xong mặt đường.")

    fragment = page(
        Client().get(
            "/feedback/nearby/",
            {"category": "roads", "latitude": unit.latitude, "longitude": unit.longitude},
        )
    )
    assert near.code in fragment
    assert far.code not in fragment and other_kind.code not in fragment
    assert closed.code not in fragment
    assert "Theo dõi phản ánh này" in fragment
    assert 'name="confirm_new" value="1"' in fragment
    assert not any(secret in fragment for secret in SECRET)


def test_the_suggestion_is_empty_without_a_position_or_far_from_any_report():
    unit = thuan_hoa()
    filed(at=north_of(unit, 20))
    client = Client()
    assert page(client.get("/feedback/nearby/", {"category": "roads"})).strip() == ""
    lat, lon = east_of(unit, 500)
    response = client.get(
        "/feedback/nearby/", {"category": "roads", "latitude": lat, "longitude": lon}
    )
    assert response.status_code == 200 and page(response).strip() == ""


def test_submitting_next_to_an_open_report_asks_first_and_saves_only_when_confirmed():
    unit = thuan_hoa()
    existing = filed(at=north_of(unit, 20), category="lighting", title="Đèn hỏng ở Lê Lợi")
    client = Client()

    asked = client.post("/feedback/new/", form_data(photos=[png()]))
    html = page(asked)
    assert asked.status_code == 200
    assert Report.objects.count() == 1
    assert "Có thể vấn đề này đã được phản ánh" in html
    assert existing.code in html
    assert "Theo dõi phản ánh đã có" in html and "Vẫn gửi phản ánh mới" in html
    assert "hãy chọn lại ảnh" in html

    confirmed = client.post("/feedback/new/", form_data(confirm_new="1"))
    assert confirmed.status_code == 302
    assert Report.objects.count() == 2


def test_a_resident_follows_an_open_report_instead_of_filing_it_again():
    report = filed(at=north_of(thuan_hoa(), 5))
    client = Client()
    response = client.post(f"/feedback/{report.code}/follow/")
    assert response.status_code == 302 and response["Location"] == f"/feedback/{report.code}/"
    by_htmx = client.post(f"/feedback/{report.code}/follow/", headers={"HX-Request": "true"})
    assert "bạn cùng theo dõi phản ánh này" in page(by_htmx)
    report.refresh_from_db()
    assert report.followers == 2
    assert "<strong>2</strong> người khác cũng gặp vấn đề này" in page(
        client.get(f"/feedback/{report.code}/")
    )


def test_nobody_follows_a_closed_report():
    report = filed(at=north_of(thuan_hoa(), 5))
    report_answer(report=report, status=Status.FIXED, answer="Đã vá xong.")
    response = Client().post(f"/feedback/{report.code}/follow/", follow=True)
    assert "Chỉ theo dõi được phản ánh đang mở." in page(response)
    report.refresh_from_db()
    assert report.followers == 0


# --- What the public sees -----------------------------------------------------------------


def test_public_pages_never_show_the_reporters_name_email_or_phone():
    unit = thuan_hoa()
    report = filed(at=north_of(unit, 5), photos=[png()])
    report_answer(report=report, status=Status.FIXED, answer="Đã vá xong mặt đường.")
    open_one = filed(at=north_of(unit, 10))
    client = Client()
    urls = [
        "/feedback/",
        "/feedback/?unit=19789&category=roads&status=closed",
        f"/feedback/{report.code}/",
        f"/feedback/{open_one.code}/",
        "/feedback/stats/",
        "/feedback/stats/?unit=19789",
        f"/feedback/nearby/?category=roads&latitude={unit.latitude}&longitude={unit.longitude}",
        "/feedback/new/",
        # The reporter's own pages do not repeat it either: a leaked link leaks no identity.
        f"/feedback/r/{report.code}/?t={report.reporter_token}",
        f"/feedback/submitted/{report.code}/?t={report.reporter_token}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = page(response)
        for secret in SECRET:
            assert secret not in html, (url, secret)
        assert report.reporter_token not in html or "/r/" in url or "/submitted/" in url, url


def test_the_list_shows_each_report_with_its_status_place_and_answer_and_a_map():
    unit = thuan_hoa()
    answered = filed(at=north_of(unit, 5), title="Ổ gà trước trường")
    report_answer(report=answered, status=Status.FIXED, answer="UBND phường đã vá mặt đường.")
    waiting = filed(at=north_of(unit, 300), category="lighting", title="Đèn tối om")
    html = page(Client().get("/feedback/"))
    assert "Phản ánh, kiến nghị của người dân" in html
    for report in (answered, waiting):
        assert report.code in html and report.title in html
        assert f'href="/feedback/{report.code}/"' in html
    assert "Đã khắc phục" in html and "Đã tiếp nhận" in html
    assert "UBND Phường Thuận Hóa" in html
    assert "UBND phường đã vá mặt đường." in html
    assert '<svg viewBox="0 0 640' in html and 'class="open"' in html and 'class="closed"' in html
    assert "Bỏ qua bản đồ" in html
    # Coordinates in the SVG keep their decimal point in the Vietnamese locale.
    assert 'cx="' in html and not any("," in part.split('"')[0] for part in html.split('cx="')[1:])


def test_the_list_filters_by_commune_category_and_status():
    unit_a = thuan_hoa()
    unit_b = unit_by_code("19777", as_of=timezone.localdate())
    road_a = filed(at=north_of(unit_a, 5), title="Ổ gà ở Thuận Hóa")
    light_a = filed(at=north_of(unit_a, 300), category="lighting", title="Đèn ở Thuận Hóa")
    road_b = filed(at=north_of(unit_b, 5), title="Ổ gà ở Vỹ Dạ")
    report_answer(report=light_a, status=Status.FIXED, answer="Đã thay bóng.")
    client = Client()

    def codes(query: str) -> set[str]:
        html = page(client.get(f"/feedback/?{query}"))
        return {r.code for r in (road_a, light_a, road_b) if f'id="report-{r.code}"' in html}

    assert codes("") == {road_a.code, light_a.code, road_b.code}
    assert codes("unit=19789") == {road_a.code, light_a.code}
    assert codes("category=roads") == {road_a.code, road_b.code}
    assert codes("status=open") == {road_a.code, road_b.code}
    assert codes("status=closed&unit=19789") == {light_a.code}
    html = page(client.get("/feedback/?unit=99999"))
    assert "Lựa chọn không hợp lệ" in html
    # The current communes of Huế make the first group of the commune filter.
    first_group = html.index("<optgroup")
    assert html.index('<optgroup label="Xã, phường của thành phố Huế">') == first_group


def test_the_report_page_shows_public_fields_photos_steps_and_the_answer_in_the_units_name(
    personas,
):
    report = filed(at=north_of(thuan_hoa(), 5), photos=[png(), png("hai.png", "blue")])
    report_set_status(report=report, status=Status.IN_PROGRESS, actor=personas.official_a)
    report_answer(
        report=report, status=Status.FIXED, answer="Đã vá mặt đường.", actor=personas.official_a
    )
    html = page(Client().get(f"/feedback/{report.code}/"))
    assert report.title in html and report.description in html
    assert "Trả lời của UBND Phường Thuận Hóa" in html and "Đã vá mặt đường." in html
    for photo in report.photos.all():
        assert f'src="/feedback/photos/{photo.pk}/"' in html
    steps = html[html.index("Quá trình xử lý") :]
    assert "Tiếp nhận phản ánh" in steps and "Đang xử lý" in steps
    assert "Trả lời: đã khắc phục" in steps
    assert "official_a" not in html  # never who did it
    assert "Tôi cũng gặp vấn đề này" not in html  # closed: nothing to follow


def test_an_open_report_offers_to_follow_it():
    report = filed(at=north_of(thuan_hoa(), 5))
    html = page(Client().get(f"/feedback/{report.code}/"))
    assert "Tôi cũng gặp vấn đề này" in html and "Đã tiếp nhận" in html
    assert f"Tọa độ {report.latitude:.5f}, {report.longitude:.5f}." in html  # not 16,45560
    assert f'action="/feedback/{report.code}/follow/"' in html


def test_a_merged_duplicate_leads_to_the_report_it_was_merged_into():
    unit = thuan_hoa()
    original = filed(at=north_of(unit, 5))
    duplicate = filed(at=north_of(unit, 8))
    report_merge(report=duplicate, into=original)
    response = Client().get(f"/feedback/{duplicate.code}/")
    assert response.status_code == 302 and response["Location"] == f"/feedback/{original.code}/"
    assert duplicate.code not in page(Client().get("/feedback/"))


def test_an_unknown_code_is_404():
    assert Client().get("/feedback/PA-ZZZZ999/").status_code == 404


def test_the_staff_screens_are_not_taken_for_report_codes():
    assert resolve("/feedback/staff/").url_name != "detail"
    assert resolve("/feedback/PA-7KQ3XH9/").url_name == "detail"


# --- Moderation ---------------------------------------------------------------------------


def test_moderated_text_is_replaced_everywhere_in_public(personas):
    report = filed(at=north_of(thuan_hoa(), 5), title="Lời lẽ xúc phạm cán bộ")
    report_moderate(
        report=report, action="hide_text", reason="Ngôn từ xúc phạm", actor=personas.official_a
    )
    client = Client()
    for url in ("/feedback/", f"/feedback/{report.code}/"):
        html = page(client.get(url))
        assert HIDDEN in html, url
        assert "Lời lẽ xúc phạm cán bộ" not in html and report.description not in html, url
        assert "Kiệt 5 Lê Lợi" not in html, url


def test_a_photo_is_served_as_an_image_until_it_is_redacted(personas):
    report = filed(at=north_of(thuan_hoa(), 5), photos=[png(), png("hai.png", "blue")])
    first, second = report.photos.order_by("pk")
    client = Client()
    response = client.get(f"/feedback/photos/{first.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")

    report_moderate(
        report=report,
        action="redact_photo",
        reason="Lộ mặt người đi đường",
        photo=first,
        actor=personas.official_a,
    )
    assert client.get(f"/feedback/photos/{first.pk}/").status_code == 404
    html = page(client.get(f"/feedback/{report.code}/"))
    assert f"/feedback/photos/{first.pk}/" not in html
    assert f"/feedback/photos/{second.pk}/" in html
    assert client.get("/feedback/photos/999999/").status_code == 404


def test_a_photo_whose_file_is_gone_is_404_not_an_error():
    report = filed(at=north_of(thuan_hoa(), 5), photos=[png()])
    photo = report.photos.get()
    photo.image.storage.delete(photo.image.name)
    assert Client().get(f"/feedback/photos/{photo.pk}/").status_code == 404


# --- The reporter's page ------------------------------------------------------------------


def test_the_reporters_page_needs_the_right_token():
    report = filed(at=north_of(thuan_hoa(), 5))
    client = Client()
    assert client.get(f"/feedback/r/{report.code}/").status_code == 404
    assert client.get(f"/feedback/r/{report.code}/?t=sai-ma").status_code == 404
    assert client.get(f"/feedback/r/PA-KHONGCO/?t={report.reporter_token}").status_code == 404
    assert client.get(f"/feedback/submitted/{report.code}/?t=sai-ma").status_code == 404
    assert (
        client.post(f"/feedback/r/{report.code}/rate/", {"t": "sai", "satisfied": "no"}).status_code
        == 404
    )
    response = client.get(f"/feedback/r/{report.code}/?t={report.reporter_token}")
    assert response.status_code == 200
    assert "Phản ánh đang được xử lý" in page(response)
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_reporter_rates_once_and_reopens_once_only_when_dissatisfied():
    report = filed(at=north_of(thuan_hoa(), 5))
    client = Client()
    url = f"/feedback/r/{report.code}/?t={report.reporter_token}"
    rate = f"/feedback/r/{report.code}/rate/"
    reopen = f"/feedback/r/{report.code}/reopen/"
    token = report.reporter_token

    early = client.post(rate, {"t": token, "satisfied": "no"})
    assert early.status_code == 400 and "Phản ánh chưa được trả lời." in page(early)

    report_answer(report=report, status=Status.FIXED, answer="Đã vá mặt đường.")
    html = page(client.get(url))
    assert "Đã vá mặt đường." in html and "Hài lòng" in html and "Chưa hài lòng" in html
    assert "Mở lại phản ánh" not in html

    assert client.post(rate, {"t": token, "satisfied": "no"}).status_code == 302
    again = client.post(rate, {"t": token, "satisfied": "yes"})
    assert again.status_code == 400 and "Bạn đã đánh giá câu trả lời này." in page(again)
    report.refresh_from_db()
    assert report.satisfied is False

    assert "Mở lại phản ánh" in page(client.get(url))
    empty = client.post(reopen, {"t": token, "reason": ""})
    assert empty.status_code == 400 and "Hãy cho biết vì sao bạn chưa hài lòng." in page(empty)
    done = client.post(reopen, {"t": token, "reason": "Ổ gà vẫn còn, chỉ đổ tạm đất."}, follow=True)
    assert "Đã mở lại phản ánh" in page(done)
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS and report.reopened == 1

    # Answered again and still not satisfied: no second reopening.
    report_answer(report=report, status=Status.CLOSED_NOT_FIXED, answer="Chờ kinh phí năm sau.")
    assert client.post(rate, {"t": token, "satisfied": "no"}).status_code == 302
    html = page(client.get(url))
    assert "Mở lại phản ánh" not in html
    assert "không mở lại thêm được" in html
    refused = client.post(reopen, {"t": token, "reason": "Vẫn chưa sửa."})
    assert refused.status_code == 400 and "Phản ánh chỉ được mở lại một lần." in page(refused)
    report.refresh_from_db()
    assert report.reopened == 1 and report.status == Status.CLOSED_NOT_FIXED


def test_a_satisfied_reporter_cannot_reopen():
    report = filed(at=north_of(thuan_hoa(), 5))
    report_answer(report=report, status=Status.FIXED, answer="Đã vá.")
    client = Client()
    token = report.reporter_token
    assert (
        client.post(
            f"/feedback/r/{report.code}/rate/", {"t": token, "satisfied": "yes"}
        ).status_code
        == 302
    )
    refused = client.post(f"/feedback/r/{report.code}/reopen/", {"t": token, "reason": "Đổi ý."})
    assert refused.status_code == 400
    assert "Chỉ mở lại được khi bạn đã đánh giá chưa hài lòng." in page(refused)


def test_a_rating_must_be_one_of_the_two_buttons():
    report = filed(at=north_of(thuan_hoa(), 5))
    report_answer(report=report, status=Status.FIXED, answer="Đã vá.")
    response = Client().post(
        f"/feedback/r/{report.code}/rate/", {"t": report.reporter_token, "satisfied": "maybe"}
    )
    assert response.status_code == 400 and "Hãy chọn" in page(response)


# --- Limits -------------------------------------------------------------------------------


def test_one_address_submits_at_most_five_reports_in_ten_minutes():
    client = Client(REMOTE_ADDR="203.0.113.7")
    for i in range(5):
        lat, lon = north_of(thuan_hoa(), 100 * i)  # apart: no duplicate question
        response = client.post(
            "/feedback/new/", form_data(latitude=str(lat), longitude=str(lon), confirm_new="1")
        )
        assert response.status_code == 302, i
    sixth = client.post("/feedback/new/", form_data(confirm_new="1"))
    assert sixth.status_code == 429
    assert "tối đa 5 phản ánh trong 10 phút" in page(sixth)
    assert Report.objects.count() == 5
    # Another address is not held back.
    other = Client(REMOTE_ADDR="203.0.113.8").post("/feedback/new/", form_data(confirm_new="1"))
    assert other.status_code == 302


def test_refused_submissions_do_not_count_towards_the_limit():
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(6):
        assert client.post("/feedback/new/", form_data(description="")).status_code == 400
    assert client.post("/feedback/new/", form_data()).status_code == 302


# --- Statistics ---------------------------------------------------------------------------


def test_the_statistics_page_shows_the_feedback_report_for_huế_and_for_a_commune():
    unit = thuan_hoa()
    answered = filed(at=north_of(unit, 5))
    report_answer(report=answered, status=Status.FIXED, answer="Đã vá.")
    filed(at=north_of(unit, 300), category="lighting")
    client = Client()
    html = page(client.get("/feedback/stats/"))
    assert 'id="stat-received"><span class="num">2</span>' in html
    assert 'id="stat-answered"><span class="num">1</span>' in html
    assert "100,0&nbsp;%" in html  # on time, written the Vietnamese way
    assert "Giao thông, đường sá" in html and "Phường Thuận Hóa" in html
    assert 'class="bar-chart"' in html
    commune = page(client.get("/feedback/stats/?unit=19789"))
    assert (
        "Phường Thuận Hóa" in commune and 'id="stat-received"><span class="num">2</span>' in commune
    )
    empty = page(client.get("/feedback/stats/?unit=19777"))
    assert 'id="stat-received"><span class="num">0</span>' in empty


@pytest.mark.parametrize(
    "query, message",
    [
        ("from=hôm-qua", "Ngày không hợp lệ"),
        ("unit=99999", "Không tìm thấy đơn vị hành chính có mã '99999'"),
        ("from=2026-02-01&to=2026-01-01", "Ngày bắt đầu phải trước ngày kết thúc."),
    ],
)
def test_the_statistics_page_explains_bad_parameters(query, message):
    response = Client().get(f"/feedback/stats/?{query}")
    assert response.status_code == 400
    assert message in page(response).replace("&#x27;", "'")


def test_the_pages_name_the_province_the_installation_serves(settings, client):
    settings.GANDAN_PROVINCE = "48"
    form = client.get("/feedback/new/").content.decode()
    assert "Đà Nẵng" in form and "Huế" not in form
    stats = client.get("/feedback/stats/").content.decode()
    assert "Toàn thành phố Đà Nẵng" in stats
