"""In a real browser: an official logs in, browses the unit tree and searches without diacritics."""

import re

import pytest
from playwright.sync_api import expect

from gandan.core.testing.browser import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_an_official_logs_in_opens_the_tree_and_finds_thuan_hoa_without_diacritics(
    browser_page,
    tmp_path,
):
    page = browser_page

    # 1. The Vietnamese login form takes a commune officer to the staff page.
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Đăng nhập", exact=True)).to_be_visible()
    page.get_by_label("Tên đăng nhập", exact=True).fill("congchuc.thuanhoa")
    page.get_by_label("Mật khẩu", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    expect(page.get_by_role("main")).to_contain_text("Phường Thuận Hóa")

    # 2. Opening a province in the tree loads its communes into it.
    page.goto("/units/")
    tree = page.locator("#unit-tree")
    hue_summary = tree.locator("summary").filter(
        has=page.locator(".node-name", has_text=re.compile(r"^\s*Thành phố Huế\s*$"))
    )
    expect(hue_summary).to_have_count(1)
    hue = hue_summary.locator("xpath=..")  # its <details>
    hue_summary.locator(".node-name").click()
    expect(hue).to_have_attribute("open", "")
    children = hue.locator("ul")
    expect(children.get_by_role("link", name="Phường Thuận Hóa", exact=True)).to_be_visible()
    expect(children.get_by_role("link", name="Phường Vỹ Dạ", exact=True)).to_be_visible()

    # 3. Searching without diacritics finds the ward; its page shows its name and a map.
    page.get_by_role("searchbox", name="Tìm đơn vị").press_sequentially("thuan hoa", delay=20)
    result = page.locator("#search-results").get_by_role(
        "link", name="Phường Thuận Hóa", exact=True
    )
    expect(result).to_be_visible()
    result.click()
    expect(page).to_have_url(re.compile(r"/units/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phường Thuận Hóa")
    expect(page.locator("main svg").first).to_be_visible()

    page.screenshot(path=tmp_path / "thuan-hoa.png", full_page=True)
