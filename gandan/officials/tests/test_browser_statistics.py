"""In a real browser: the province leader opens the 2018 statistics of Huế, sees the cadre count
and the charts, and moves to the Party heads tab, on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from gandan.core.testing.browser import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_province_leader_reads_the_2018_statistics_and_opens_the_leaders_tab(
    browser_page,
    tmp_path,
):
    page = browser_page

    sign_in(page, "lanhdao.hue")

    # 1. The demo reproduces Huế's 1,597 cadres of 30 Jun 2018 at a tenth: 160.
    page.goto("/officials/?unit=46&as_of=2018-06-30")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thống kê cán bộ, công chức")
    expect(page.locator("#stat-cadres .num")).to_have_text("160")
    expect(page.locator(".report-meta")).to_contain_text("Thành phố Huế")
    education = page.get_by_role("img", name=re.compile("Theo trình độ chuyên môn"))
    expect(education).to_be_visible()
    box = education.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 60
    page.screenshot(path=tmp_path / "statistics-desktop.png", full_page=True)

    # 2. On a phone the cards and charts fit the screen: nothing wider than the viewport.
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#stat-cadres .num")).to_have_text("160")
    expect(page.get_by_role("img", name=re.compile("Theo độ tuổi"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=tmp_path / "statistics-phone.png", full_page=True)

    # 3. The leaders tab keeps the unit and the date and shows the Party heads.
    page.get_by_role("link", name="Bí thư, nhiệm kỳ", exact=True).click()
    expect(page).to_have_url(re.compile(r"/officials/leaders/\?unit=46&as_of=2018-06-30$"))
    expect(page.get_by_role("link", name="Bí thư, nhiệm kỳ", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    heads = page.locator("#party-heads")
    expect(heads).to_be_visible()
    expect(heads.locator("tbody tr").first).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("người địa phương"))).to_be_visible()
    page.screenshot(path=tmp_path / "leaders-phone.png", full_page=True)
