"""In a real browser: a commune official walks a small periodic review of this year — opens it,
enters a household's survey, records the village meeting, posts the results (the review page on a
phone as well) — and the commune leader decides; the locked page then shows the frozen figures.

The commune, its village, two households (one poor in last year's review) and the two accounts
are made in the live server's database through ``python -m gandan shell`` with the real
services (``membership_grant`` for the accounts). The commune is Phường Hải Vân of Đà Nẵng
(20194), which the Huế demo leaves empty, so the review lists exactly one household.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from gandan.core.testing.browser import DEMO_PASSWORD, live_shell, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
COMMUNE = "20194"  # Phường Hải Vân, Thành phố Đà Nẵng
OFFICER = "congchuc.haivan"
CHAIR = "chutich.haivan"

SETUP = f"""
import datetime as dt, json
from django.utils import timezone
from gandan.accounts.services import membership_grant
from gandan.geo.models import HamletKind
from gandan.geo.selectors import unit_by_code
from gandan.geo.services import hamlet_create
from gandan.households import services
from gandan.households.models import Placement, Review

today = timezone.localdate()
unit = unit_by_code({COMMUNE!r}, as_of=today)
assert not Placement.objects.filter(unit=unit).exists(), "the commune already has households"
assert not Review.objects.filter(unit=unit).exists(), "the commune already has a review"
village = hamlet_create(commune=unit, name="Thôn Xuân Dương", kind=HamletKind.THON)
poor = services.household_create(
    code="DN-HV-001", unit=unit, hamlet=village, area="rural", head_name="Nguyễn Thị Hạnh"
)
services.household_create(
    code="DN-HV-002", unit=unit, hamlet=village, area="rural", head_name="Trần Văn Lực"
)
services.assessment_record(
    household=poor,
    year=today.year - 1,
    survey=services.Survey(
        income_per_capita=600_000, deprived=["water", "latrine", "telecom"], members=4
    ),
    recorded_on=dt.date(today.year - 1, 12, 1),
)
membership_grant(username={OFFICER!r}, role="commune_officer", unit=unit,
                 password={DEMO_PASSWORD!r}, full_name="Lê Thị Thu")
membership_grant(username={CHAIR!r}, role="commune_leader", unit=unit,
                 password={DEMO_PASSWORD!r}, full_name="Phạm Văn Quang")
print(json.dumps({{"unit": unit.name, "today": today.isoformat()}}))
"""


def test_a_commune_official_walks_a_small_review_and_the_leader_locks_it(
    browser_page, live_gandan_env, tmp_path
):
    page = browser_page
    made = live_shell(live_gandan_env, SETUP)
    commune = made["unit"]
    today = dt.date.fromisoformat(made["today"])  # the server's date (Asia/Ho_Chi_Minh)
    year = today.year

    # 1. Open this year's review of the commune: one household (poor last year) on the list.
    sign_in(page, OFFICER)
    page.goto("/households/reviews/")
    expect(page.locator("#window")).to_contain_text(
        f"Kỳ rà soát định kỳ năm {year}: từ 01/09/{year} đến 14/12/{year}"
    )
    page.get_by_label("Xã, phường").select_option(label=f"{commune} ({COMMUNE})")
    page.get_by_role("button", name=f"Mở đợt rà soát năm {year}").click()
    expect(page).to_have_url(re.compile(r"/households/reviews/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"năm {year} — {commune}")
    expect(page.locator(".messages")).to_contain_text("1 hộ trong danh sách")
    expect(page.locator("#steps li[aria-current=step]")).to_contain_text("Lập danh sách")
    review_url = page.url

    # 2. The survey: income and three indicators of the year's standard → poor, with the reason.
    page.get_by_role("link", name="Nhập phiếu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nguyễn Thị Hạnh")
    page.get_by_label("Thu nhập bình quân đầu người/tháng (đồng)").fill("800000")
    page.get_by_label("Số nhân khẩu").fill("4")
    for indicator in ("Nguồn nước sinh hoạt", "Nhà tiêu hợp vệ sinh", "Bảo hiểm y tế"):
        page.get_by_label(indicator, exact=True).check()
    page.get_by_role("button", name="Lưu phiếu và phân loại").click()
    expect(page.locator("#standing")).to_have_text("Hộ nghèo")
    expect(page.locator("#explanation")).to_contain_text("thiếu hụt 3/12 chỉ số")
    page.screenshot(path=tmp_path / "1-survey.png", full_page=True)

    # 3. The village meeting: 15 of 20 agree → adopted.
    page.goto(review_url)
    page.get_by_text("Ghi kết quả họp thôn, tổ dân phố").click()
    page.get_by_label("Ngày họp").fill(today.isoformat())
    page.get_by_label("Người chủ trì (trưởng thôn, tổ trưởng)").fill("Hồ Văn Bảy")
    page.get_by_label("Đại diện Mặt trận Tổ quốc giám sát").fill("Đặng Thị Sen")
    page.get_by_label("Số người dự họp").fill("20")
    page.get_by_label("Số người đồng ý với kết quả").fill("15")
    page.get_by_role("button", name="Ghi kết quả họp").click()
    expect(page.locator(".meetings")).to_contain_text("15/20 người dự họp đồng ý — thông qua")

    # 4. Public posting from today, for the legal number of working days.
    page.get_by_text("Niêm yết công khai kết quả").click()
    page.get_by_label("Niêm yết từ ngày").fill(today.isoformat())
    page.get_by_role("button", name="Niêm yết", exact=True).click()
    posting = page.locator("#posting")
    expect(posting).to_contain_text(f"từ {today:%d/%m/%Y} đến hết")
    day, month, last_year = (int(n) for n in posting.inner_text().split("đến hết ")[1].split("/"))
    posting_to = dt.date(last_year, month, day)
    expect(page.locator("#steps li[aria-current=step]")).to_contain_text("Niêm yết công khai")
    expect(page.locator("#decide-note")).to_be_visible()  # the officer does not sign

    # On a phone the review page fits the screen; wide tables scroll inside their box.
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=tmp_path / "2-review-phone.png", full_page=True)

    # 5. The commune leader decides after the posting period: the year is locked.
    sign_in(page, CHAIR)
    page.goto(review_url)
    page.get_by_label("Số quyết định").fill("45/QĐ-UBND")
    page.get_by_label("Ngày ký quyết định").fill((posting_to + dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Ghi quyết định và khóa số liệu").click()
    expect(page.locator("#locked")).to_contain_text("Đã khóa")
    expect(page.locator("#decision")).to_contain_text("số 45/QĐ-UBND")
    # The frozen figures: two households in the commune, one poor (50 %), none near-poor.
    expect(page.locator("#frozen-households .num")).to_have_text("2")
    expect(page.locator("#frozen-poor .num")).to_have_text("1")
    expect(page.locator("#frozen-poor")).to_contain_text("50,0")
    expect(page.locator("#frozen-near-poor .num")).to_have_text("0")
    expect(page.locator("#frozen-villages")).to_contain_text("Thôn Xuân Dương")
    expect(page.locator("input[name=action]")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=tmp_path / "3-locked-phone.png", full_page=True)

    # 6. The year's poverty report of the commune shows the same figures, with its charts.
    page.goto(f"/households/?unit={COMMUNE}&year={year}")
    expect(page.locator("h1")).to_contain_text(f"năm {year}")
    expect(page.locator("#stat-households .num")).to_have_text("2")
    expect(page.locator("#stat-poor .num")).to_have_text("1")
    expect(page.locator("#stat-poor-rate")).to_contain_text("50,00")
    expect(page.locator("#poor-flows svg.bar-chart")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=tmp_path / "4-report-phone.png", full_page=True)
