"""The poverty report screen and its downloads, through HTTP, on households made by the services.

Commune A (Phường Thuận Hóa, 19789) and commune B (Phường Vỹ Dạ, 19777) get small histories
over the reviews of 2025–2027 in which every flow of 2027 happens at least once in A: a
household stays poor, one escapes, one falls back, a near-poor one becomes poor, one leaves
the registry, one moves to B while poor. Every figure on the screen and in the downloads
must be the selector's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from gandan.core.testing.personas import Personas
from gandan.geo.models import Lineage, Unit
from gandan.households import selectors, services
from gandan.households.charts import rate_step
from gandan.households.models import review_date
from gandan.households.tests.factories import assess, history, household

pytestmark = pytest.mark.django_db

HUE = ZoneInfo("Asia/Ho_Chi_Minh")
SVG_NUMBER_ATTRIBUTE = re.compile(r'\s(?:x|y|cx|cy|r|dx|dy|width|height)="([^"]*)"')
# The poor list's flows in the order of the report's waterfall and table.
POOR_FLOWS = ("poor_start", "escaped", "left", "moved_out", "fell_back", "newly_poor", "moved_in")


@pytest.fixture
def data(personas: Personas) -> dict[str, Any]:
    a, b = personas.commune_a, personas.commune_b
    ha, hb = personas.hamlet_a, personas.hamlet_b
    made = {
        "stays": household(a, hamlet=ha),
        "escapes": household(a, hamlet=ha),
        "near_to_poor": household(a, hamlet=ha),
        "falls_back": household(a, hamlet=ha),
        "near_stays": household(a, hamlet=ha),
        "urban_ethnic": household(a, hamlet=ha, area="urban", ethnic_minority=True),
        "never": household(a, hamlet=ha),
        "leaves": household(a, hamlet=ha),
        "mover": household(a, hamlet=ha),
        "b_poor": household(b, hamlet=hb),
        "b_never": household(b, hamlet=hb),
    }
    history(made["stays"], {2025: "poor", 2026: "poor", 2027: "poor"})
    history(made["escapes"], {2026: "poor", 2027: "not_poor"})
    history(made["near_to_poor"], {2026: "near_poor", 2027: "poor"})
    history(made["falls_back"], {2025: "poor", 2026: "near_poor", 2027: "poor"})
    history(made["near_stays"], {2026: "near_poor", 2027: "near_poor"})
    history(made["urban_ethnic"], {2027: "near_poor"})
    history(made["leaves"], {2026: "poor"})
    services.household_dissolve(
        household=made["leaves"], on=dt.date(2027, 5, 1), reason="Cả hộ chuyển ra nước ngoài"
    )
    history(made["mover"], {2026: "poor"})
    services.household_move(household=made["mover"], unit=b, hamlet=hb, on=dt.date(2027, 3, 1))
    assess(made["mover"], 2027, "poor")
    history(made["b_poor"], {2027: "poor"})
    return made


def _get(personas: Personas, persona: str, url: str) -> Any:
    response = personas.client(persona).get(url)
    assert response.status_code == 200, url
    return response


def _page(personas: Personas, persona: str, url: str) -> str:
    return _get(personas, persona, url).content.decode()


def _stat(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"><span class="num">([^<]*)</span>', page)
    assert match, element_id
    return match.group(1)


def _row(page: str, element_id: str) -> list[str]:
    """The cells of a table row, as text."""
    start = page.index(f'id="{element_id}"')
    row = page[start : page.index("</tr>", start)]
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
    ]


def _comma(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _chart_rows(page: str, caption: str) -> dict[str, list[str]]:
    """The table beside a chart: row header → cells."""
    start = page.index(f"<caption>Số liệu: {caption.lower()}</caption>")
    table = page[start : page.index("</table>", start)]
    rows = {}
    for header, cells in re.findall(
        r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', table, flags=re.S
    ):
        rows[header] = re.findall(r'<td class="num">([^<]*)</td>', cells)
    return rows


# --- The headline and the default unit and year ------------------------------------------------


def test_a_commune_official_sees_the_latest_year_of_their_commune_by_default(personas, data):
    report = selectors.poverty_report(personas.commune_a, 2027)
    assert (report["households"], report["poor"], report["near_poor"]) == (7, 3, 2)

    page = _page(personas, "official_a", "/households/")

    assert "Hộ nghèo, hộ cận nghèo năm 2027" in page
    assert "Phường Thuận Hóa" in page
    assert _stat(page, "stat-households") == "7"
    assert _stat(page, "stat-poor") == "3"
    assert _stat(page, "stat-near-poor") == "2"
    assert report["poor_rate"] == 42.86 and report["near_poor_rate"] == 28.57
    assert 'id="stat-poor-rate">42,86&nbsp;% số hộ' in page
    assert 'id="stat-near-poor-rate">28,57&nbsp;% số hộ' in page


def test_the_headline_names_the_standard_its_legal_basis_and_marks_it_provisional(personas, data):
    page = _page(personas, "viewer_a", "/households/?unit=19789&year=2027")
    assert "Nghị định 351/2025/NĐ-CP" in page
    assert 'id="provisional"' in page  # the 2027–2030 indicator list is provisional

    earlier = _page(personas, "viewer_a", "/households/?unit=19789&year=2025")
    assert "Nghị định 07/2021/NĐ-CP" in earlier
    assert 'id="provisional"' not in earlier


def test_the_province_leader_sees_the_province_by_default_with_every_commune(personas, data):
    report = selectors.poverty_report(personas.province, 2027)
    page = _page(personas, "leader", "/households/")

    assert "Thành phố Huế" in page
    assert _stat(page, "stat-households") == str(report["households"]) == "10"
    assert _stat(page, "stat-poor") == str(report["poor"]) == "5"
    communes = re.findall(r'<tr id="unit-(\d+)">', page)
    assert len(communes) == len(report["by_unit"]) == 40
    # Each commune links to its own report, for the same year.
    assert '<a href="/households/?unit=19789&amp;year=2027">Phường Thuận Hóa</a>' in page
    # Vỹ Dạ: its own poor household, its never-poor one and the poor one that moved in.
    assert _row(page, "unit-19777")[:4] == ["Phường Vỹ Dạ", "3", "2", "66,67"]


def test_a_commune_lists_its_villages_without_links(personas, data):
    page = _page(personas, "official_a", "/households/?unit=19789&year=2027")
    report = selectors.poverty_report(personas.commune_a, 2027)
    village = report["by_unit"][0]
    assert village["name"] == "Tổ dân phố 1" and village["level"] == "hamlet"
    cells = _row(page, f"unit-{village['unit']}")
    assert cells[:3] == ["Tổ dân phố 1", "7", "3"]
    assert "Theo thôn, tổ dân phố (1)" in page
    assert _row(page, "unit-total")[:3] == ["Tổng cộng", "7", "3"]


# --- Transitions -------------------------------------------------------------------------------


def test_the_poor_lists_transitions_are_the_selectors_as_a_waterfall_and_a_table(personas, data):
    report = selectors.poverty_report(personas.commune_a, 2027)
    flows = {k: report[k] for k in POOR_FLOWS}
    assert flows == {
        "poor_start": 4,
        "escaped": 1,
        "left": 1,
        "moved_out": 1,
        "fell_back": 1,
        "newly_poor": 1,
        "moved_in": 0,
    }
    page = _page(personas, "official_a", "/households/?unit=19789&year=2027")
    rows = _chart_rows(page, "Biến động hộ nghèo năm 2027")

    assert rows == {
        "Đầu kỳ (cuối năm 2026)": ["4", "4"],
        "Thoát nghèo": ["−1", "3"],
        "Xóa hộ, không còn trong sổ": ["−1", "2"],
        "Chuyển đi nơi khác": ["−1", "1"],
        "Tái nghèo": ["+1", "2"],
        "Nghèo phát sinh": ["+1", "3"],
        "Chuyển đến": ["0", "3"],
        "Cuối kỳ (cuối năm 2027)": ["3", "3"],
    }
    assert "<title>Thoát nghèo: −1\u00a0hộ</title>" in page
    # The largest running total (4) spans the plot; the escaped step runs from 3 to 4.
    chart = page[page.index('id="poor-flows"') : page.index('id="near-poor-flows"')]
    assert 'x="61.50%" y="62.00" width="20.50%"' in chart


def test_the_near_poor_lists_transitions_count_those_who_became_poor_as_escaped(personas, data):
    report = selectors.poverty_report(personas.commune_a, 2027)
    assert (report["near_poor_start"], report["near_poor_escaped"], report["newly_near_poor"]) == (
        3,
        2,
        1,
    )
    page = _page(personas, "official_a", "/households/?unit=19789&year=2027")
    rows = _chart_rows(page, "Biến động hộ cận nghèo năm 2027")
    assert rows["Đầu kỳ (cuối năm 2026)"] == ["3", "3"]
    assert rows["Thoát cận nghèo (kể cả sang hộ nghèo)"] == ["−2", "1"]
    assert rows["Cận nghèo phát sinh"] == ["+1", "2"]
    assert rows["Cuối kỳ (cuối năm 2027)"] == ["2", "2"]


def test_a_move_between_two_communes_is_out_of_one_and_into_the_other(personas, data):
    b = _chart_rows(
        _page(personas, "official_b", "/households/?unit=19777&year=2027"),
        "Biến động hộ nghèo năm 2027",
    )
    assert b["Nghèo phát sinh"] == ["+1", "1"]
    assert b["Chuyển đến"] == ["+1", "2"]
    province = selectors.poverty_report(personas.province, 2027)
    assert (province["moved_in"], province["moved_out"]) == (0, 0)


# --- Trend, map, breakdown ---------------------------------------------------------------------


def test_the_trend_shows_each_year_with_data_as_the_selector_counts_it(personas, data):
    trend = selectors.poverty_trend(personas.commune_a, [2025, 2026, 2027], as_of=review_date(2027))
    page = _page(personas, "official_a", "/households/?unit=19789&year=2027")
    rows = _chart_rows(page, "Tỉ lệ hộ nghèo, hộ cận nghèo qua các năm")

    assert list(rows) == ["2025", "2026", "2027"]
    for year in trend:
        poor, near = rows[str(year["year"])]
        assert (
            poor == f"{_comma(year['poor_rate'])}\u00a0% ({year['poor']}/{year['households']} hộ)"
        )
        assert near.startswith(f"{_comma(year['near_poor_rate'])}\u00a0%")
    assert trend[0]["poor"] == 2 and trend[0]["households"] == 9  # 2025: nobody had moved yet
    assert "2025 theo Nghị định 07/2021/NĐ-CP; 2026–2027 theo Nghị định 351/2025/NĐ-CP" in page


def test_the_map_colours_every_commune_of_the_province_and_links_to_its_report(personas, data):
    page = _page(personas, "leader", "/households/?unit=46&year=2027")
    svg = re.search(r'<svg class="rate-map".*?</svg>', page, flags=re.S)
    assert svg
    on_map = Unit.objects.valid_on(review_date(2027)).filter(
        parent=personas.province, latitude__isnull=False, longitude__isnull=False
    )
    assert svg.group(0).count("<circle") == on_map.count() == 40
    # Vỹ Dạ has the highest rate (2 of 3): classes of 20 % up to 80 %, Vỹ Dạ in the fourth.
    assert rate_step(66.67) == 20
    assert re.search(
        r'fill="#f03b20"><title>Phường Vỹ Dạ: 66,67\u00a0% hộ nghèo \(2/3 hộ\)</title>',
        svg.group(0),
    )
    assert re.search(r'fill="#fd8d3c"><title>Phường Thuận Hóa: 42,86\u00a0% hộ nghèo', svg.group(0))
    assert '<a href="/households/?unit=19777&amp;year=2027">' in svg.group(0)
    assert 'Chưa có số liệu hộ <span class="muted">(38)</span>' in page
    numbers = SVG_NUMBER_ATTRIBUTE.findall(svg.group(0))
    assert numbers and not [n for n in numbers if "," in n]


def test_a_communes_report_has_no_map_of_communes(personas, data):
    page = _page(personas, "official_a", "/households/?unit=19789&year=2027")
    assert 'class="rate-map"' not in page
    assert page.count('<svg class="bar-chart"') == 3  # two waterfalls and the trend


def test_the_breakdown_lists_total_urban_rural_and_ethnic_minority(personas, data):
    report = selectors.poverty_report(personas.commune_a, 2027)
    page = _page(personas, "official_a", "/households/?unit=19789&year=2027")

    def figures(source):
        return [
            str(source["households"]),
            str(source["poor"]),
            _comma(source["poor_rate"]),
            str(source["near_poor"]),
            _comma(source["near_poor_rate"]),
        ]

    assert _row(page, "breakdown-total")[1:] == figures(report)
    for key in ("urban", "rural", "ethnic_minority"):
        assert _row(page, f"breakdown-{key}")[1:] == figures(report["breakdown"][key])
    assert report["breakdown"]["urban"]["households"] == 1
    assert _row(page, "breakdown-ethnic_minority")[:2] == ["Trong đó: hộ dân tộc thiểu số", "1"]


# --- Review progress ---------------------------------------------------------------------------


def test_the_progress_of_an_undecided_year_counts_communes_at_each_step(personas, data):
    services.review_open(unit=personas.commune_a, year=2027, on=dt.date(2027, 9, 1))
    report = selectors.poverty_report(personas.province, 2027)
    assert report["review"]["listing"] == 1

    page = _page(personas, "leader", "/households/?unit=46&year=2027")
    assert "0/40 xã, phường đã có quyết định công nhận" in page
    assert re.search(r'id="progress-not-opened"><span>Chưa mở đợt rà soát</span><strong>39<', page)
    assert re.search(
        r'id="progress-step-1"><span>Bước 1\. Lập danh sách hộ cần rà soát</span><strong>1<', page
    )
    commune = _page(personas, "official_a", "/households/?unit=19789&year=2027")
    assert "0/1 xã, phường đã có quyết định công nhận" in commune


def test_a_past_year_without_reviews_shows_no_progress(personas, data):
    page = _page(personas, "leader", "/households/?unit=46&year=2025")
    assert 'id="progress"' not in page


# --- A year before the reform, as of a later date ----------------------------------------------


@pytest.fixture
def legacy_poor(personas: Personas) -> Any:
    """A poor household of a ward merged into Thuận Hóa, in the reviews of 2023 and 2024."""
    link = Lineage.objects.filter(successor=personas.commune_a, is_primary=True).first()
    assert link is not None
    old = household(link.predecessor)
    history(old, {2023: "poor", 2024: "poor"})
    return link.predecessor


def test_a_pre_reform_year_as_of_a_later_date_counts_under_the_successor(
    personas, data, legacy_poor
):
    as_of = dt.date(2026, 3, 2)
    report = selectors.poverty_report(personas.province, 2024, as_of=as_of)
    page = _page(personas, "leader", f"/households/?unit=46&year=2024&as_of={as_of}")

    row = {row["unit"]: row for row in report["by_unit"]}["19789"]
    assert (row["poor"], row["poor_start"]) == (1, 1)
    assert _row(page, "unit-19789")[:5] == [
        "Phường Thuận Hóa",
        str(row["households"]),
        "1",
        _comma(row["poor_rate"]),
        "1",
    ]
    assert 'id="day-note"' in page and "ngày 02/03/2026" in page
    assert "số hộ tính đến ngày 14/12/2024, theo đơn vị hành chính và hồ sơ ngày 02/03/2026" in page
    # Links keep the date, so the commune's report counts under the same units.
    assert '<a href="/households/?unit=19789&amp;year=2024&amp;as_of=2026-03-02">' in page


def test_a_pre_reform_year_on_its_review_day_shows_the_legacy_units(personas, data, legacy_poor):
    page = _page(personas, "leader", "/households/?unit=46&year=2024")
    report = selectors.poverty_report(Unit.objects.get(code="46", valid_to__isnull=False), 2024)
    assert "Huyện, quận, thị xã" in page  # before the reform the province had districts
    assert len(re.findall(r'<tr id="unit-(\d+)">', page)) == len(report["by_unit"])
    assert _stat(page, "stat-poor") == "1"


def test_a_commune_formed_by_the_reform_sees_an_earlier_year_under_todays_units(
    personas, data, legacy_poor
):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=HUE), tick=False):
        page = _page(personas, "official_a", "/households/?year=2024")
    assert "Phường Thuận Hóa chưa có vào ngày chốt số liệu năm 2024 (14/12/2024)" in page
    assert _stat(page, "stat-poor") == "1"
    assert 'value="2026-03-02"' in page  # the form keeps the date, so the next request agrees


def test_a_users_own_unit_missing_on_the_date_asked_for_gets_a_message_not_a_404(personas):
    response = personas.client("official_a").get("/households/?year=2024&as_of=2024-12-14")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phường Thuận Hóa (mã 19789) chưa có hoặc không còn vào ngày 14/12/2024" in page
    assert 'id="stat-poor"' not in page


def test_the_trend_of_a_legacy_ward_stops_where_the_ward_did(personas, data, legacy_poor):
    page = _page(personas, "official_a", f"/households/?unit={legacy_poor.code}&year=2024")
    assert legacy_poor.name in page
    assert list(_chart_rows(page, "Tỉ lệ hộ nghèo, hộ cận nghèo qua các năm")) == ["2023", "2024"]


# --- Scope -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/households/", "/households/export/"])
def test_commune_b_official_gets_404_for_commune_a_and_200_for_b(personas, data, path):
    client = personas.client("official_b")
    assert client.get(f"{path}?unit=19789&year=2027").status_code == 404
    assert client.get(f"{path}?unit=19777&year=2027").status_code == 200


@pytest.mark.parametrize("path", ["/households/", "/households/export/"])
def test_a_commune_official_gets_404_for_the_province(personas, path):
    assert personas.client("official_a").get(f"{path}?unit=46&year=2025").status_code == 404


@pytest.mark.parametrize("path", ["/households/", "/households/export/"])
def test_an_unknown_unit_code_is_a_404(personas, path):
    assert personas.client("leader").get(f"{path}?unit=99999&year=2025").status_code == 404


@pytest.mark.parametrize("path", ["/households/", "/households/export/"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(personas, path):
    response = personas.client("anonymous").get(f"{path}?unit=19789")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_unit_picker_offers_only_units_in_scope(personas, data):
    mine = _page(personas, "official_a", "/households/?year=2027")
    province = _page(personas, "leader", "/households/?year=2027")
    assert '<option value="19789" selected>' in mine
    assert 'value="19777"' not in mine and 'value="46"' not in mine
    assert '<option value="46" selected>' in province
    assert 'value="19777"' in province and 'value="19789"' in province
    assert re.findall(r'<option value="(\d{4})"', province) == ["2027", "2026", "2025"]
    assert re.findall(r'<option value="(\d+)"', province)[0] == "46"  # the province first


def test_on_a_phone_tables_scroll_and_charts_take_the_screens_width(personas, data):
    page = _page(personas, "leader", "/households/?unit=46&year=2027")
    for table in ("breakdown", "by-unit"):
        assert re.search(
            rf'<div class="table-scroll">\s*<table class="table[^"]*" id="{table}"', page
        )
    assert page.count('<svg class="bar-chart" width="100%"') == 3
    assert re.search(r'<svg class="rate-map" viewBox="0 0 640 \d+"', page)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page


def test_a_malformed_year_shows_the_latest_year_and_a_vietnamese_message(personas, data):
    page = _page(personas, "official_a", "/households/?unit=19789&year=hai-nghin")
    assert 'role="alert"' in page and "Năm không hợp lệ" in page
    assert _stat(page, "stat-poor") == "3"


def test_a_year_without_a_standard_says_so_and_shows_no_figures(personas):
    page = _page(personas, "leader", "/households/?unit=46&year=2012")
    assert "Không có chuẩn nghèo áp dụng cho kỳ rà soát năm 2012." in page
    assert 'id="stat-poor"' not in page


# --- Downloads ---------------------------------------------------------------------------------


def _cells(sheet) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _line(rows: list[list[Any]], label: str, column: int = 1) -> list[Any]:
    return next(row for row in rows if row[column] == label)


def test_the_excel_download_has_the_summary_forms_layout_and_the_selectors_figures(personas, data):
    report = selectors.poverty_report(personas.province, 2027)
    response = _get(personas, "leader", "/households/export/?unit=46&year=2027&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="ho-ngheo-46-2027.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Tổng hợp", "Biến động"]

    summary = _cells(workbook["Tổng hợp"])
    assert summary[0][0] == "BIỂU TỔNG HỢP KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2027"
    assert summary[1][0] == "Đơn vị: Thành phố Huế (mã 46)"
    assert summary[2][0].endswith("(Nghị định 351/2025/NĐ-CP); danh mục chỉ số tạm thời")
    assert summary[3][0] == "Số liệu tính đến ngày 14/12/2027"
    header = _line(summary, "Chỉ tiêu")
    assert header[:7] == [
        "STT",
        "Chỉ tiêu",
        "Tổng số hộ",
        "Số hộ nghèo",
        "Tỉ lệ hộ nghèo (%)",
        "Số hộ cận nghèo",
        "Tỉ lệ hộ cận nghèo (%)",
    ]
    keys = ["households", "poor", "poor_rate", "near_poor", "near_poor_rate"]
    assert _line(summary, "Tổng số")[2:7] == [report[k] for k in keys]
    assert _line(summary, "Thành thị")[2:7] == [report["breakdown"]["urban"][k] for k in keys]
    assert _line(summary, "Hộ dân tộc thiểu số")[2:7] == [
        report["breakdown"]["ethnic_minority"][k] for k in keys
    ]
    assert _line(summary, "Xã, phường")[-1] == "Mã đơn vị"
    thuan_hoa = _line(summary, "Phường Thuận Hóa")
    assert thuan_hoa[2:8] == [7, 3, 42.86, 2, 28.57, "19789"]
    assert len([row for row in summary if row[7] and str(row[7]).isdigit()]) == 40
    assert _line(summary, "Tổng cộng")[2:7] == [10, 5, 50.0, 2, 20.0]

    flows = _cells(workbook["Biến động"])
    assert flows[0][0] == "BIẾN ĐỘNG HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2027"
    poor_table = flows.index(next(row for row in flows if row[0] == "I. Hộ nghèo"))
    near_table = flows.index(next(row for row in flows if row[0] == "II. Hộ cận nghèo"))
    assert flows[poor_table + 1][2:] == [
        "Đầu kỳ",
        "Thoát",
        "Xóa hộ",
        "Chuyển đi",
        "Tái",
        "Phát sinh",
        "Chuyển đến",
        "Cuối kỳ",
    ]
    poor_rows = flows[poor_table:near_table]
    assert _line(poor_rows, "Phường Thuận Hóa")[2:] == [4, 1, 1, 1, 1, 1, 0, 3]
    assert _line(poor_rows, "Phường Vỹ Dạ")[2:] == [0, 0, 0, 0, 0, 1, 1, 2]
    assert _line(poor_rows, "Tổng cộng")[2:] == [report[k] for k in (*POOR_FLOWS, "poor")]
    near_rows = flows[near_table:]
    assert _line(near_rows, "Phường Thuận Hóa")[2:] == [3, 2, 0, 0, 0, 1, 0, 2]


def test_the_csv_download_has_a_row_per_unit_and_a_total(personas, data):
    report = selectors.poverty_report(personas.commune_a, 2027)
    response = _get(personas, "official_a", "/households/export/?unit=19789&year=2027&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:7] == [
        "Mã đơn vị",
        "Tên đơn vị",
        "Tổng số hộ",
        "Số hộ nghèo",
        "Tỉ lệ hộ nghèo (%)",
        "Số hộ cận nghèo",
        "Tỉ lệ hộ cận nghèo (%)",
    ]
    assert "Hộ nghèo: thoát" in rows[0] and "Hộ cận nghèo: phát sinh" in rows[0]
    assert len(rows) == 1 + len(report["by_unit"]) + 1
    assert rows[1][1:7] == ["Tổ dân phố 1", "7", "3", "42.86", "2", "28.57"]
    total = dict(zip(rows[0], rows[-1], strict=True))
    assert total["Tên đơn vị"] == "Tổng cộng: Phường Thuận Hóa"
    assert total["Hộ nghèo: đầu kỳ"] == "4" and total["Hộ nghèo: xóa hộ"] == "1"


def test_the_json_download_is_the_selectors_report(personas, data):
    report = selectors.poverty_report(personas.commune_a, 2027)
    response = _get(personas, "viewer_a", "/households/export/?unit=19789&year=2027&format=json")
    downloaded = json.loads(response.content)
    assert downloaded.pop("computed_at")  # when the figures were computed, as in the API
    assert downloaded == json.loads(json.dumps(report, default=str))
    api = _get(personas, "viewer_a", "/api/v1/reports/poverty/?unit=19789&year=2027")
    given = api.json()
    assert given.pop("computed_at")
    assert given == downloaded  # the API gives the same report


def test_the_downloads_keep_the_date_of_a_year_counted_under_later_units(
    personas, data, legacy_poor
):
    url = "/households/export/?unit=46&year=2024&as_of=2026-03-02&format=json"
    response = _get(personas, "leader", url)
    assert 'filename="ho-ngheo-46-2024-ngay-2026-03-02.json"' in response["Content-Disposition"]
    rows = {row["unit"]: row for row in json.loads(response.content)["by_unit"]}
    assert rows["19789"]["poor"] == 1
    xlsx = _get(personas, "leader", url.replace("format=json", "format=xlsx"))
    heading = _cells(load_workbook(io.BytesIO(xlsx.content))["Biến động"])[3][0]
    assert heading == (
        "Số hộ tính đến ngày 14/12/2024, theo đơn vị hành chính và hồ sơ ngày 02/03/2026"
    )
    page = _page(personas, "leader", "/households/?unit=46&year=2024&as_of=2026-03-02")
    assert (
        'href="/households/export/?unit=46&amp;year=2024&amp;as_of=2026-03-02&amp;format=xlsx"'
        in page
    )


def test_a_download_with_a_bad_parameter_is_refused_in_vietnamese(personas, data):
    client = personas.client("official_a")
    for query, message in [
        ("unit=19789&year=2027&format=pdf", "Định dạng không hỗ trợ"),
        ("unit=19789&year=hai-nghin", "Năm không hợp lệ"),
        ("unit=19789&year=2012", "Không có chuẩn nghèo"),
    ]:
        response = client.get(f"/households/export/?{query}")
        assert response.status_code == 400, query
        assert message in response.content.decode(), query


def test_a_village_named_like_a_formula_stays_text_in_every_download(personas, data):
    from gandan.geo.models import Hamlet

    formula = '=HYPERLINK("http://ke-gian.example/","Bấm để xem")'
    Hamlet.objects.filter(pk=personas.hamlet_a.pk).update(name=formula)
    base = "/households/export/?unit=19789&year=2027&format="
    rows = list(
        csv.reader(
            io.StringIO(_get(personas, "official_a", base + "csv").content.decode("utf-8-sig"))
        )
    )
    assert rows[1][1] == "'" + formula  # shown as text by spreadsheet programs
    book = load_workbook(io.BytesIO(_get(personas, "official_a", base + "xlsx").content))
    cells = [cell for row in book["Tổng hợp"].iter_rows() for cell in row if cell.value == formula]
    assert cells and all(cell.data_type == "s" for cell in cells)  # a string, not a formula
