"""The five report screens of the officials registry, through HTTP, on officials made by the services.

Commune A (Phường Thuận Hóa) gets four people from 1 Jul 2025: two cadres with a university
degree, two civil servants (one with a college degree, one with only an intermediate one,
so below standard). Every figure on screen must be the report's figure, the one the CLI
and the API give.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from gandan.accounts.models import Role
from gandan.accounts.services import membership_grant
from gandan.core import charts
from gandan.core.testing.personas import PASSWORD, Personas
from gandan.core.text import source_text
from gandan.geo.models import Unit
from gandan.officials.models import Education, Grade, Politics, Position, Sex
from gandan.officials.services import (
    evaluation_record,
    official_create,
    posting_start,
    qualification_add,
)
from gandan.reports.registry import build_request, run_report

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 3, 2)
REFORM = dt.date(2025, 7, 1)
SCREENS = ["/officials/", "/officials/standards/", "/officials/staffing/", "/officials/leaders/"]
ALL_SCREENS = [*SCREENS, "/officials/evaluations/"]
# Numbers in the SVG attributes the charts write.
SVG_NUMBER_ATTRIBUTE = re.compile(r'\s(?:x|y|x1|x2|y1|y2|dx|width|height)="([^"]*)"')


def _person(
    name: str,
    *,
    citizen_id: str,
    sex: str,
    home: Unit | None,
    position: str,
    unit: Unit,
    education: int,
    politics: int = Politics.NONE,
    ethnicity: str = "Kinh",
) -> Any:
    official = official_create(
        full_name=name,
        birth_date=dt.date(1980, 5, 17),
        sex=sex,
        citizen_id=citizen_id,
        province_code="46",
        ethnicity=ethnicity,
        home_unit=home,
    )
    qualification_add(
        official=official, kind="education", level=education, awarded_on=dt.date(2003, 6, 30)
    )
    if politics:
        qualification_add(
            official=official, kind="politics", level=politics, awarded_on=dt.date(2010, 6, 30)
        )
    posting_start(
        official=official,
        position=Position.objects.get(code=position, valid_from=REFORM),
        unit=unit,
        kind="elected" if position.startswith(("party", "committee")) else "recruited",
        valid_from=REFORM,
    )
    return official


@pytest.fixture
def officials(personas: Personas) -> dict[str, Any]:
    a = personas.commune_a
    people = {
        "secretary": _person(
            "Nguyễn Văn An",
            citizen_id="046080000001",
            sex=Sex.MALE,
            home=a,
            position="party_secretary",
            unit=a,
            education=Education.UNIVERSITY,
            politics=Politics.ADVANCED,
        ),
        "chair": _person(
            "Trần Thị Bình",
            citizen_id="046180000002",
            sex=Sex.FEMALE,
            home=personas.commune_b,
            position="committee_chair",
            unit=a,
            education=Education.MASTER,
            politics=Politics.INTERMEDIATE,
        ),
        "clerk": _person(
            "Lê Văn Cường",
            citizen_id="046080000003",
            sex=Sex.MALE,
            home=a,
            position="office_staff",
            unit=a,
            education=Education.COLLEGE,
        ),
        "below": _person(
            "Phạm Thị Dung",
            citizen_id="046180000004",
            sex=Sex.FEMALE,
            home=a,
            position="economic_staff",
            unit=a,
            education=Education.INTERMEDIATE,
            ethnicity="Tà Ôi",
        ),
    }
    for key, grade in [
        ("secretary", Grade.EXCELLENT),
        ("chair", Grade.EXCELLENT),
        ("clerk", Grade.GOOD),
        ("below", Grade.COMPLETED),
    ]:
        evaluation_record(official=people[key], unit=a, year=2025, grade=grade)
    return people


def _page(personas: Personas, persona: str, url: str) -> str:
    response = personas.client(persona).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _stat(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"><span class="num">([^<]*)</span>', page)
    assert match, element_id
    return match.group(1)


def _report(name: str, **params: Any) -> dict[str, Any]:
    return run_report(name, build_request(unit_code="19789", **params))


# --- Statistics ---------------------------------------------------------------------------------


def test_the_statistics_screen_shows_the_report_counts_of_hand_made_officials(personas, officials):
    report = _report("officials", as_of=AS_OF.isoformat())
    assert (report["cadres"]["count"], report["civil_servants"]["count"]) == (2, 2)

    page = _page(personas, "official_a", f"/officials/?unit=19789&as_of={AS_OF}")

    assert "Thống kê cán bộ, công chức" in page
    assert "Phường Thuận Hóa" in page
    assert _stat(page, "stat-cadres") == str(report["cadres"]["count"]) == "2"
    assert _stat(page, "stat-civil-servants") == str(report["civil_servants"]["count"]) == "2"
    assert _stat(page, "stat-part-time") == str(report["part_time"]["count"]) == "0"


def test_the_statistics_screen_shows_the_report_percentages_with_a_decimal_comma(
    personas, officials
):
    report = _report("officials", as_of=AS_OF.isoformat())
    # Both cadres have a university degree and intermediate political theory or more; of the
    # two civil servants one has a college degree and neither has political theory.
    assert report["cadres"]["university_pct"] == 100.0
    assert report["civil_servants"]["college_pct"] == 50.0
    assert report["civil_servants"]["politics_intermediate_plus_pct"] == 0.0

    page = _page(personas, "viewer_a", f"/officials/?unit=19789&as_of={AS_OF}")
    cadres = page[page.index('id="levels-cadres"') : page.index('id="levels-civil-servants"')]
    civil = page[page.index('id="levels-civil-servants"') :]

    assert "<dt>Đại học trở lên</dt><dd><b>100,0&nbsp;%</b> · 2 người</dd>" in cadres
    assert (
        "<dt>Lý luận chính trị trung cấp trở lên</dt><dd><b>100,0&nbsp;%</b> · 2 người</dd>"
        in cadres
    )
    assert "<dt>Cao đẳng</dt><dd><b>50,0&nbsp;%</b> · 1 người</dd>" in civil
    assert (
        "<dt>Lý luận chính trị trung cấp trở lên</dt><dd><b>0,0&nbsp;%</b> · 0 người</dd>" in civil
    )


def test_the_statistics_screen_draws_each_breakdown_of_the_report(personas, officials):
    report = _report("officials", as_of=AS_OF.isoformat())
    page = _page(personas, "official_a", f"/officials/?unit=19789&as_of={AS_OF}")

    for title in ("trình độ chuyên môn", "lý luận chính trị", "độ tuổi", "giới tính", "dân tộc"):
        assert f"Theo {title}" in page
    assert page.count('<svg class="bar-chart"') == 7  # levels + six breakdowns
    assert page.count('role="img"') == 7
    # The breakdowns count each person once: a bar per person group, a segment per label.
    assert report["by_ethnicity"]["civil_servant"] == {"Kinh": 1, "Tà Ôi": 1}
    assert "<title>Công chức — Tà Ôi: 1</title>" in page
    assert report["by_origin"]["cadre"] == {"Người địa phương": 1, "Không phải người địa phương": 1}
    assert "<title>Cán bộ — Không phải người địa phương: 1</title>" in page
    assert "<title>Cán bộ — Đại học: 1</title>" in page
    assert "<title>Cán bộ — Thạc sĩ: 1</title>" in page


def test_the_charts_write_svg_numbers_with_a_decimal_point_in_vietnamese(personas, officials):
    page = _page(personas, "official_a", f"/officials/?unit=19789&as_of={AS_OF}")
    svg = "".join(re.findall(r"<svg class=\"bar-chart\".*?</svg>", page, flags=re.S))
    numbers = SVG_NUMBER_ATTRIBUTE.findall(svg)

    assert numbers, "the charts have bars"
    assert not [n for n in numbers if "," in n]
    assert any(re.fullmatch(r"\d+\.\d+%?", n) for n in numbers)
    # The levels chart: 50 % of civil servants have a college degree, drawn as 41 % of the width.
    assert 'width="41.00%"' in svg


def test_the_statistics_screen_links_to_the_same_report_as_json(personas, officials):
    page = _page(personas, "official_a", f"/officials/?unit=19789&as_of={AS_OF}")
    link = f"/api/v1/reports/officials/?unit=19789&amp;as_of={AS_OF}"
    assert f'href="{link}"' in page

    api = personas.client("official_a").get(link.replace("&amp;", "&"))
    assert api.status_code == 200
    assert api.json() == _report("officials", as_of=AS_OF.isoformat())


def test_the_statistics_screen_defaults_to_the_users_own_commune_and_today(personas, officials):
    page = _page(personas, "official_a", "/officials/")
    assert "Phường Thuận Hóa" in page
    assert _stat(page, "stat-cadres") == "2"


def test_the_province_leader_sees_the_province_by_default_and_counts_commune_a(personas, officials):
    page = _page(personas, "leader", f"/officials/?as_of={AS_OF}")
    assert "Thành phố Huế" in page
    assert _stat(page, "stat-cadres") == "2"
    page = _page(personas, "leader", f"/officials/?unit=46&as_of={AS_OF}")
    assert _stat(page, "stat-cadres") == "2"


def test_a_malformed_date_shows_todays_figures_and_a_vietnamese_message(personas, officials):
    page = _page(personas, "official_a", "/officials/?unit=19789&as_of=2026-13-45")
    assert 'role="alert"' in page
    assert "Ngày không hợp lệ" in page
    assert _stat(page, "stat-cadres") == "2"


def test_a_users_own_unit_missing_on_the_date_asks_for_another_instead_of_404(personas):
    # A role on a ward that was merged away: its code names nothing today.
    current_codes = Unit.objects.filter(valid_to__isnull=True).values("code")
    ward = (
        Unit.objects.filter(level="commune", valid_to__isnull=False, parent__parent__code="46")
        .exclude(code__in=current_codes)
        .order_by("code")
        .first()
    )
    assert ward is not None
    user = membership_grant(
        username="old_ward", role=Role.COMMUNE_OFFICER, unit=ward, password=PASSWORD
    ).user
    client = Client()
    client.force_login(user)

    response = client.get(f"/officials/?as_of={AS_OF}")

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Đơn vị mã {ward.code} của bạn chưa có vào ngày 02/03/2026" in page
    assert 'id="stat-cadres"' not in page


def test_a_malformed_year_shows_last_years_evaluations_and_a_vietnamese_message(personas):
    page = _page(personas, "official_a", "/officials/evaluations/?unit=19789&year=hai-nghin")
    assert "Năm không hợp lệ" in page


# --- Scope --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ALL_SCREENS)
def test_commune_b_official_gets_404_for_commune_a_and_200_for_b(personas, url):
    client = personas.client("official_b")
    assert client.get(f"{url}?unit=19789").status_code == 404
    assert client.get(f"{url}?unit=19777").status_code == 200


@pytest.mark.parametrize("url", ALL_SCREENS)
def test_a_commune_official_gets_404_for_the_whole_province(personas, url):
    assert personas.client("official_a").get(f"{url}?unit=46").status_code == 404


@pytest.mark.parametrize("url", ALL_SCREENS)
def test_an_unknown_unit_code_is_a_vietnamese_404(personas, url):
    response = personas.client("leader").get(f"{url}?unit=99999")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


@pytest.mark.parametrize("url", ALL_SCREENS)
def test_an_anonymous_visitor_is_sent_to_the_login_page(personas, url):
    response = personas.client("anonymous").get(f"{url}?unit=19789")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_quick_links_offer_only_the_units_in_the_users_scope(personas):
    mine = _page(personas, "official_a", f"/officials/?unit=19789&as_of={AS_OF}")
    province = _page(personas, "leader", f"/officials/?unit=19789&as_of={AS_OF}")

    link_b = f'href="?unit=19777&amp;as_of={AS_OF}">Phường Vỹ Dạ</a>'
    assert f'href="?unit=19789&amp;as_of={AS_OF}">Phường Thuận Hóa</a>' in mine
    assert link_b not in mine
    assert link_b in province
    assert f'href="?unit=46&amp;as_of={AS_OF}">Thành phố Huế</a>' in province


def test_the_tabs_keep_the_unit_and_the_date(personas):
    page = _page(personas, "official_a", f"/officials/staffing/?unit=19789&as_of={AS_OF}")
    assert 'href="/officials/leaders/?unit=19789&amp;as_of=2026-03-02"' in page
    assert 'href="/officials/evaluations/?unit=19789&amp;year=2025"' in page
    assert 'href="/officials/staffing/?unit=19789&amp;as_of=2026-03-02" aria-current="page"' in page


# --- Standards, staffing, leaders, evaluations ------------------------------------------------


def test_the_standards_screen_lists_the_civil_servants_without_a_degree(personas, officials):
    report = _report("officials_standards", as_of=AS_OF.isoformat())
    gaps = {row["name"]: row for row in report["below_standard"]}
    assert set(gaps) == {"Lê Văn Cường", "Phạm Thị Dung"}  # civil servants need a university degree

    page = _page(personas, "official_a", f"/officials/standards/?unit=19789&as_of={AS_OF}")

    assert _stat(page, "stat-below-standard") == "2"
    row = page[page.index("Phạm Thị Dung") :]
    row = row[: row.index("</tr>")]
    gap = gaps["Phạm Thị Dung"]
    assert gap["position"] in row
    assert "Phường Thuận Hóa" in row
    assert "trình độ chuyên môn: cần đại học, có trung cấp" in row
    assert "chưa quy định" in row  # no deadline after the reform
    assert '<a href="#source-1"' in row
    assert f'<li id="source-1">{source_text(gap["source"])}</li>' in page
    assert "Nguyễn Văn An" not in page


def test_the_standards_screen_shows_deadlines_day_first(personas):
    # A legacy ward on a day when Decree 33/2023's deadline (1 Aug 2028) applied.
    day = dt.date(2024, 6, 30)
    ward = Unit.objects.get(code="19789", valid_to__isnull=False)
    official = official_create(
        full_name="Hồ Văn Em",
        birth_date=dt.date(1985, 1, 1),
        sex=Sex.MALE,
        citizen_id="046085000005",
        province_code="46",
    )
    posting_start(
        official=official,
        position=Position.objects.get(code="office_statistics", valid_from=None),
        unit=ward,
        kind="recruited",
        valid_from=dt.date(2024, 1, 1),
    )
    page = _page(personas, "leader", f"/officials/standards/?unit=46&as_of={day}")
    assert "Hồ Văn Em" in page
    assert "01/08/2028" in page


def test_the_staffing_screen_says_there_is_no_quota_after_the_reform(personas, officials):
    report = _report("officials_staffing", as_of=AS_OF.isoformat())
    assert [
        (row["quota"], row["filled"]) for row in report["communes"] if row["group"] == "cbcc"
    ] == [(None, 4)]
    # The village titles keep their cap of three per village after the reform.
    assert [
        (row["quota"], row["filled"])
        for row in report["communes"]
        if row["group"] == "hamlet_paid_titles"
    ] == [(3, 0)]

    page = _page(personas, "official_a", f"/officials/staffing/?unit=19789&as_of={AS_OF}")

    assert "Không có định mức" in page
    assert "<title>Phường Thuận Hóa: 4\u00a0người; không có định mức</title>" in page
    assert '<svg class="bar-chart"' in page


def test_the_leaders_screen_counts_local_and_non_local_party_heads(personas, officials):
    report = _report("officials_leaders", as_of=AS_OF.isoformat())
    assert (report["party_heads"], report["local"], report["non_local"]) == (1, 1, 0)

    page = _page(personas, "official_a", f"/officials/leaders/?unit=19789&as_of={AS_OF}")

    assert _stat(page, "stat-party-heads") == "1"
    assert _stat(page, "stat-local") == "1"
    assert _stat(page, "stat-non-local") == "0"
    assert "<title>Người địa phương: 1\u00a0người</title>" in page
    heads = page[page.index('id="party-heads"') :]
    assert "Nguyễn Văn An" in heads[: heads.index("</table>")]
    assert "Không có ai giữ cùng một chức vụ quá hai nhiệm kỳ liên tiếp" in page


def test_the_evaluations_screen_flags_a_commune_over_the_excellent_cap(personas, officials):
    report = _report("officials_evaluations", year=2025)
    (row,) = report["communes"]
    assert (row["excellent"], row["excellent_allowed"], row["over_cap"]) == (2, 0, True)

    page = _page(personas, "official_a", "/officials/evaluations/?unit=19789&year=2025")

    assert 'id="over-cap"' in page
    assert "1 xã, phường vượt tỉ lệ" in page
    table = page[page.index('id="evaluations"') :]
    assert re.search(
        r'<tr class="warn"><th scope="row">Phường Thuận Hóa</th><td class="num">4</td>'
        r'<td class="num">2</td><td class="num">1</td><td class="num">1</td><td class="num">0</td>',
        table,
    )
    assert "Phường Thuận Hóa ⚠" in page  # the chart's label


def test_the_evaluations_screen_defaults_to_last_year(personas, officials):
    page = _page(personas, "official_a", "/officials/evaluations/?unit=19789")
    year = timezone.localdate().year - 1
    assert f"Đánh giá, xếp loại năm {year}" in page


# --- The chart helper ---------------------------------------------------------------------------


def test_chart_numbers_stay_with_a_decimal_point_while_labels_follow_the_language():
    with translation.override("vi"):
        chart = charts.grouped_bar_chart(
            {"Đại học trở lên": {"a": 59.4, "b": 1057}},
            series=[("a", "Cán bộ"), ("b", "Công chức")],
            title="Thử",
            label_header="Chỉ tiêu",
        )
    first, second = chart.bars
    assert first.width == f"{82 * 59.4 / 1057:.2f}"
    assert "," not in first.width + first.x + first.y + chart.height
    assert first.text == "59,4"
    assert second.text == "1.057"  # thousands grouped as Vietnamese writes them
    assert chart.table.rows == [("Đại học trở lên", ["59,4", "1.057"], False)]


def test_a_stacked_chart_spans_the_width_and_keeps_the_given_order():
    chart = charts.stacked_bar_chart(
        {"Cán bộ": {"Nữ": 1, "Nam": 3}},
        segments=["Nam", "Nữ"],
        title="Theo giới tính",
        segment_header="Giới tính",
    )
    assert [(bar.x, bar.width) for bar in chart.bars] == [("0.00", "75.00"), ("75.00", "25.00")]
    assert [item.label for item in chart.legend] == ["Nam", "Nữ"]
    assert chart.table.rows == [("Nam", ["3"], False), ("Nữ", ["1"], False)]


def test_chart_text_is_escaped_in_the_page(personas):
    from django.template.loader import render_to_string

    chart = charts.bar_chart(
        {"<script>alert(1)</script>": 1}, title="T", label_header="L", value_header="V"
    )
    html = render_to_string("core/_bar_chart.html", {"chart": chart})
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_a_superuser_without_a_role_opens_on_the_province_the_installation_serves(
    personas: Personas, settings, django_user_model
):
    settings.GANDAN_PROVINCE = "48"
    admin = django_user_model.objects.create_superuser("root", password=PASSWORD)
    client = Client()
    client.force_login(admin)
    page = client.get("/officials/").content.decode()
    assert "unit=48" in page and "unit=46" not in page
