"""In a real browser: a commune's desk officer receives a birth registration at the counter,
forwards it through its steps, records the result and hands it back; the dossier page then
shows "Đã trả kết quả" (and, where the rating kiosk exists, the kiosk page opens for it).

The officer is granted in the live server's database through ``python -m gandan shell`` with
the real service (``membership_grant``), for the last commune of Đà Nẵng (48), which neither
the Huế demo nor the other browser tests use.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from gandan.core.testing.browser import DEMO_PASSWORD, live_shell, sign_in
from gandan.onestop.models import RATING_CRITERIA

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
OFFICER = "motcua.danang"
CHAIR = "chutich.danang"

SETUP = f"""
import json
from django.utils import timezone
from gandan.accounts.services import membership_grant
from gandan.geo.models import Level, Unit

today = timezone.localdate()
unit = Unit.objects.filter(province_code="48", level=Level.COMMUNE).valid_on(today).order_by("code").last()
membership_grant(username={OFFICER!r}, role="commune_officer", unit=unit,
                 password={DEMO_PASSWORD!r}, full_name="Võ Thị Hồng")
membership_grant(username={CHAIR!r}, role="commune_leader", unit=unit,
                 password={DEMO_PASSWORD!r}, full_name="Lê Văn Bình")
print(json.dumps({{"unit": unit.name, "code": unit.code}}))
"""


def _act(page: Any, name: str) -> None:
    page.locator(f"#act-{name} summary").click()
    page.locator(f"#act-{name} button[type=submit]").click()


def test_a_dossier_goes_from_the_counter_to_its_return(browser_page, live_gandan_env) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    made = live_shell(live_gandan_env, SETUP)
    sign_in(page, OFFICER)

    # 1. Counter receipt: the procedure first, its time limit and documents, then the applicant.
    # The menu's "Một cửa" group opens on a click, then its entry.
    page.locator(".nav-group summary", has_text="Một cửa").click()
    page.get_by_role("link", name="Tiếp nhận hồ sơ", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/onestop/receive/$"))
    page.get_by_label("Thủ tục hành chính").select_option(label="Đăng ký khai sinh (1.001193)")
    page.get_by_role("button", name="Chọn thủ tục").click()
    expect(page.locator("#time-limit")).to_contain_text("Trong ngày")
    expect(page.get_by_label("Đơn vị tiếp nhận")).to_contain_text(made["unit"])
    page.get_by_label("Họ và tên người nộp").fill("Phan Thị Mai")
    page.get_by_label("Số định danh cá nhân (12 chữ số)").fill("048190004321")
    page.get_by_label("Số điện thoại").fill("0935111222")
    for code in ("to_khai", "giay_chung_sinh", "giay_to_tuy_than"):
        page.locator(f"#doc_{code}").check()
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()

    # 2. The dossier page: its code, due time, masked applicant and the receipt slip's link.
    expect(page).to_have_url(re.compile(r"/onestop/\d+/$"))
    code = page.locator("#dossier-code").inner_text()
    assert re.fullmatch(rf"{made['code']}-\d{{6}}-0001", code)
    expect(page.locator(".messages")).to_contain_text(f"Đã tiếp nhận hồ sơ {code}")
    expect(page.locator("#status")).to_have_text("Đã tiếp nhận")
    expect(page.locator("#due")).to_contain_text("/")
    expect(page.locator("#citizen-id")).to_have_text("048•••••4321")
    expect(page.locator("#form-links")).to_contain_text("Mẫu 01")
    dossier_url = page.url

    # 3. Through the steps: to the civil-status officer, to the chair, the result, the return.
    _act(page, "forward")
    expect(page.locator("#status")).to_have_text("Đang xử lý")
    expect(page.locator("#current-step")).to_contain_text("2. Công chức tư pháp")
    _act(page, "forward")
    expect(page.locator("#current-step")).to_contain_text("3. Chủ tịch UBND")
    expect(page.locator("#act-finish")).to_have_count(0)  # the chair's step, not the officer's
    sign_in(page, CHAIR)
    page.goto(dossier_url)
    page.locator("#act-finish summary").click()
    page.locator("#act-finish").get_by_label("Kết quả giải quyết").fill("Đã cấp Giấy khai sinh")
    page.locator("#act-finish button[type=submit]").click()
    expect(page.locator("#status")).to_have_text("Đã có kết quả")
    sign_in(page, OFFICER)
    page.goto(dossier_url)
    _act(page, "return")
    expect(page.locator("#status")).to_have_text("Đã trả kết quả")
    expect(page.locator("#timeline")).to_contain_text("Đã trả kết quả")
    expect(page.locator("#tracking-sheet tbody tr")).to_have_count(4)

    # 4. On a phone: the list and the dossier fit the screen's width (tables scroll inside).
    page.set_viewport_size(PHONE)
    for url in ("/onestop/", dossier_url):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (url, width)
    expect(page.locator("#dossiers")).to_have_count(0)  # the last page was the dossier
    page.goto("/onestop/")
    expect(page.locator("#dossiers")).to_contain_text(code)

    # 5. The applicant rates the desk on the kiosk: nine criteria, a level each.
    kiosk = reverse("onestop:rate_kiosk", args=[int(dossier_url.rstrip("/").split("/")[-1])])
    response = page.goto(kiosk)
    assert response is not None and response.status == 200
    for index, (criterion, _label) in enumerate(RATING_CRITERIA):
        page.locator(f"label[for='{criterion}-{4 if index == 2 else 5}']").click()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator("h1")).to_contain_text("Cảm ơn")
    # The rating is on the dossier's record (the live server has its own database).
    page.goto(dossier_url)
    expect(page.locator("#timeline")).to_contain_text("đánh giá")
