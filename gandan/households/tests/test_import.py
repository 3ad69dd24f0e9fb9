"""Importing households' yearly results from .csv and .xlsx: all or nothing, each bad value
reported by row and column, registrations that follow the rows (moves, the 2025 reform)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from openpyxl import Workbook

from gandan.core.imports import run_import
from gandan.core.models import Event
from gandan.geo.models import HamletKind, Lineage
from gandan.geo.selectors import unit_by_code
from gandan.geo.services import hamlet_create
from gandan.households import selectors, services
from gandan.households.imports import COLUMNS
from gandan.households.models import Assessment, Household, Placement, review_date
from gandan.households.tests.factories import POOR, assess, decided_review, household
from gandan.households.tests.import_rows import as_csv, row, run

pytestmark = pytest.mark.django_db
REFORM = dt.date(2025, 7, 1)


def as_xlsx(rows: list[list[object]]) -> BytesIO:
    book = Workbook()
    book.active.append(list(COLUMNS))
    for values in rows:
        book.active.append(values)
    buffer = BytesIO()
    book.save(buffer)
    return buffer


def saved() -> tuple[int, int, int, int]:
    return (
        Household.objects.count(),
        Placement.objects.count(),
        Assessment.objects.count(),
        Event.objects.count(),
    )


def errors(report) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.reason) for e in report.errors]


def places(code: str) -> list[tuple[str, dt.date | None, dt.date | None, str]]:
    return [
        (p.unit.code, p.valid_from, p.valid_to, p.reason)
        for p in Placement.objects.filter(household__code=code)
        .select_related("unit")
        .order_by(F("valid_from").asc(nulls_first=True))
    ]


def unit(code: str, on: dt.date = dt.date(2026, 3, 2)):
    return unit_by_code(code, as_of=on)


# --- A good file ---------------------------------------------------------------------------


def test_a_good_file_creates_households_their_registrations_and_classified_results():
    report = run(
        [
            row(),
            row(household_code="H002", income_per_capita="1500000", deprived="water"),
            row(household_code="H003", income_per_capita="5.000.000", deprived="", members="2"),
        ]
    )
    assert report.ok, report.lines()
    assert report.created == {
        "households": 3,
        "assessments": 3,
        "moves": 0,
        "reform": 0,
        "households_updated": 0,
    }
    standings = dict(Assessment.objects.values_list("household__code", "standing"))
    # Decree 07/2021, urban: income ≤ 2,000,000 with 3 deprivations is poor, with 1 near-poor.
    assert standings == {"H001": "poor", "H002": "near_poor", "H003": "not_poor"}
    first = Assessment.objects.get(household__code="H001")
    assert (first.unit.code, first.area, first.members, first.deprived) == (
        "19789",
        "urban",
        4,
        "water;latrine;telecom",
    )
    assert first.deprivation_count == 3
    assert first.recorded_on == review_date(2025)
    assert first.standard.code == "nd-07-2021"
    # Registered from the first day of the year of their first row, or of the commune (the
    # current communes began on 1 July 2025), "imported".
    assert places("H001") == [("19789", REFORM, None, "imported")]
    assert run([row(household_code="H004", year="2026")]).ok
    assert places("H004") == [("19789", dt.date(2026, 1, 1), None, "imported")]
    assert Household.objects.get(code="H001").province_code == "46"


def test_the_report_gives_each_years_figures():
    report = run(
        [
            row(),
            row(household_code="H002", year="2026", income_per_capita="2000000", deprived="water"),
            row(household_code="H003", year="2026", income_per_capita="900000"),
        ]
    )
    assert report.ok, report.lines()
    assert [(f.label, f.values) for f in report.figures] == [
        ("Năm 2025", (("hộ", 1), ("hộ nghèo", 1), ("hộ cận nghèo", 0))),
        ("Năm 2026", (("hộ", 2), ("hộ nghèo", 1), ("hộ cận nghèo", 1))),
    ]
    assert "Số liệu: Năm 2025: 1 hộ, 1 hộ nghèo, 0 hộ cận nghèo; Năm 2026: 2 hộ" in (
        report.summary()
    )


def test_an_xlsx_file_with_number_cells_is_read_like_text():
    file = as_xlsx(
        [
            ["H001", 19789, None, 2025, "urban", 1_200_000, "water;latrine;telecom", 0, 4, "An"],
            ["H002", "19789", "", "2025", "Thành thị", 2_500_000.0, None, 1, 3.0, "Bình"],
        ]
    )
    report = run_import("households", file, filename="ho.xlsx")
    assert report.ok, report.lines()
    assert dict(Assessment.objects.values_list("household__code", "standing")) == {
        "H001": "poor",
        "H002": "not_poor",
    }
    second = Assessment.objects.get(household__code="H002")
    assert (second.area, second.ethnic_minority, second.members) == ("urban", True, 3)
    assert Household.objects.get(code="H002").ethnic_minority is True


def test_a_csv_saved_by_excel_in_vietnamese_with_semicolons_is_read():
    file = as_csv([row(), row(household_code="H002")], delimiter=";")
    report = run_import("households", file, filename="ho.csv")
    assert report.ok, report.lines()
    assert Assessment.objects.count() == 2


def test_a_village_given_by_its_id_is_recorded_on_the_result_and_the_registration(personas):
    report = run([row(hamlet_code=str(personas.hamlet_a.pk))])
    assert report.ok, report.lines()
    assert Assessment.objects.get().hamlet == personas.hamlet_a
    assert Placement.objects.get().hamlet == personas.hamlet_a


def test_the_import_writes_one_summary_event_not_one_per_row():
    report = run([row(household_code=f"H{n:03d}") for n in range(5)])
    assert report.ok, report.lines()
    events = Event.objects.all()
    assert [e.kind for e in events] == ["households.imported"]
    event = events.get()
    assert event.subject_type == "geo.unit" and event.province_code == "46"
    assert event.data["rows"] == 5 and event.data["households"] == 5
    assert event.data["years"] == {"2025": {"rows": 5, "poor": 5, "near_poor": 0}}


# --- Bad input: reported by row and column, nothing saved --------------------------------


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"income_per_capita": "-1"}, "income_per_capita", "thu nhập bình quân không được âm"),
        ({"income_per_capita": "một triệu"}, "income_per_capita", "phải là số nguyên"),
        ({"income_per_capita": "1200000.5"}, "income_per_capita", "phải là số nguyên"),
        ({"income_per_capita": ""}, "income_per_capita", "không được để trống"),
        ({"deprived": "water;cable_tv"}, "deprived", "Chỉ số cable_tv không có trong chuẩn"),
        ({"deprived": "water;water"}, "deprived", "ghi hai lần"),
        # An indicator of the 2016–2020 standard only, in a 2025 row.
        ({"deprived": "information_assets"}, "deprived", "Nghị định 07/2021/NĐ-CP"),
        ({"year": "2014"}, "year", "không có chuẩn nghèo áp dụng cho kỳ rà soát năm 2014"),
        ({"year": "25"}, "year", "năm rà soát phải là số có 4 chữ số"),
        ({"area": "city"}, "area", "khu vực phải là urban (thành thị) hoặc rural (nông thôn)"),
        ({"ethnic_minority": "2"}, "ethnic_minority", "phải là 1 (hộ dân tộc thiểu số) hoặc 0"),
        ({"ethnic_minority": "có"}, "ethnic_minority", "phải là 1 (hộ dân tộc thiểu số) hoặc 0"),
        ({"members": "0"}, "members", "số nhân khẩu phải là số nguyên từ 1 đến 99"),
        ({"members": "ba"}, "members", "số nhân khẩu phải là số nguyên từ 1 đến 99"),
        ({"members": "100"}, "members", "số nhân khẩu phải là số nguyên từ 1 đến 99"),
        ({"head_name": ""}, "head_name", "không được để trống"),
        ({"household_code": "H" * 33}, "household_code", "mã hộ dài quá 32 ký tự"),
        ({"commune_code": "99999"}, "commune_code", "không có đơn vị hành chính mã 99999"),
        ({"commune_code": "46"}, "commune_code", "không phải đơn vị cấp xã"),
        ({"hamlet_code": "abc"}, "hamlet_code", "mã thôn, tổ dân phố là một số"),
    ],
)
def test_each_bad_value_is_reported_by_row_and_column_and_nothing_is_saved(changes, column, reason):
    before = saved()
    report = run([row(household_code="H000"), row(**changes)])
    assert not report.ok
    assert len(report.errors) == 1, report.lines()
    error = report.errors[0]
    assert (error.row, error.column) == (3, column)
    assert reason in error.reason, error.reason
    assert saved() == before


def test_a_commune_that_did_not_exist_that_year_is_named_with_its_period():
    # Phường Phú Hội (19786) ended on 30 June 2025 with the reform.
    report = run([row(commune_code="19786", year="2025")])
    assert errors(report) == [
        (
            2,
            "commune_code",
            "không có đơn vị hành chính mã 19786 vào ngày 14/12/2025 (ngày rà soát năm 2025): "
            "mã này là của Phường Phú Hội, đến hết ngày 30/06/2025",
        )
    ]
    # …and Thuận Hóa's code was Phú Nhuận's before it: a 2024 row means the legacy ward.
    assert run([row(year="2024")]).ok
    assert Placement.objects.get(reason="imported").unit.name == "Phường Phú Nhuận"


def test_a_village_of_another_commune_is_refused(personas):
    report = run([row(hamlet_code=str(personas.hamlet_b.pk))])
    assert errors(report) == [
        (
            2,
            "hamlet_code",
            f"Phường Thuận Hóa không có thôn, tổ dân phố mã {personas.hamlet_b.pk}",
        )
    ]


def test_a_village_that_did_not_exist_on_the_review_day_is_refused(personas):
    later = hamlet_create(
        commune=personas.commune_a,
        name="Tổ dân phố 9",
        kind=HamletKind.TO_DAN_PHO,
        valid_from=dt.date(2026, 1, 1),
    )
    report = run([row(hamlet_code=str(later.pk))])
    assert errors(report) == [
        (
            2,
            "hamlet_code",
            f"Tổ dân phố 9 (mã {later.pk}) không tồn tại vào ngày 14/12/2025 "
            "(ngày rà soát năm 2025)",
        )
    ]


def test_a_household_twice_in_one_year_of_the_file_is_refused_naming_the_first_row():
    report = run([row(), row(household_code="H002"), row(head_name="Lê Văn Cường")])
    assert errors(report) == [
        (4, "household_code", "hộ H001 đã có ở dòng 2 cho năm 2025 (mỗi hộ một dòng mỗi năm)")
    ]
    assert saved() == (0, 0, 0, 0)


def test_a_household_already_assessed_that_year_in_the_database_is_refused():
    registered = household(unit("19789"), code="H001")
    assess(registered, 2025, "near_poor")
    before = saved()
    report = run([row(), row(year="2026")])
    assert errors(report) == [
        (
            2,
            "household_code",
            "hộ H001 đã có kết quả rà soát năm 2025 trong hệ thống (mỗi hộ một kết quả mỗi "
            "năm; sửa kết quả thì ghi đính chính có ngày)",
        )
    ]
    assert saved() == before


def test_every_error_of_the_file_is_reported_at_once():
    report = run(
        [
            row(income_per_capita="-5", members="0"),
            row(household_code="H002"),
            row(household_code="H003", year="2014", area="phố"),
        ]
    )
    assert errors(report) == [
        (2, "income_per_capita", "thu nhập bình quân không được âm"),
        (2, "members", "số nhân khẩu phải là số nguyên từ 1 đến 99"),
        (4, "year", "không có chuẩn nghèo áp dụng cho kỳ rà soát năm 2014"),
        (4, "area", "khu vực phải là urban (thành thị) hoặc rural (nông thôn)"),
    ]
    assert "Tệp có 4 lỗi ở 2 trên 3 dòng dữ liệu: không có gì được lưu." in report.summary()


def test_a_wrong_header_is_reported_before_any_row():
    file = BytesIO(b"household_code,commune_code,year\nH001,19789,2025\n")
    report = run_import("households", file, filename="ho.csv")
    assert len(report.errors) == 1
    assert report.errors[0].row == 1
    assert "thiếu cột hamlet_code, area" in report.errors[0].reason


# --- Dry run ------------------------------------------------------------------------------


def test_a_dry_run_reports_what_would_be_created_and_the_figures_and_saves_nothing():
    report = run(
        [row(), row(household_code="H002", deprived="water"), row(year="2026")], dry_run=True
    )
    assert report.ok, report.lines()
    assert report.dry_run
    assert report.would_create["households"] == 2
    assert report.would_create["assessments"] == 3
    assert report.created == {}
    assert [(f.label, f.values[1:]) for f in report.figures] == [
        ("Năm 2025", (("hộ nghèo", 1), ("hộ cận nghèo", 1))),
        ("Năm 2026", (("hộ nghèo", 1), ("hộ cận nghèo", 0))),
    ]
    assert "(Chỉ kiểm tra: chưa lưu gì.)" in report.summary()
    assert saved() == (0, 0, 0, 0)


def test_a_dry_run_of_a_bad_file_reports_the_same_errors():
    rows = [row(), row(income_per_capita="-1")]
    assert errors(run(rows, dry_run=True)) == errors(run(rows))


# --- Years, moves and the 2025 reform -------------------------------------------------------


def test_a_household_followed_over_three_years_moves_when_its_commune_changes():
    report = run(
        [
            row(year="2025"),
            row(year="2026", commune_code="19777", income_per_capita="1800000", deprived=""),
            row(year="2027", commune_code="19777", income_per_capita="4000000", deprived=""),
        ]
    )
    assert report.ok, report.lines()
    assert report.created["households"] == 1 and report.created["moves"] == 1
    assert places("H001") == [
        ("19789", REFORM, dt.date(2025, 12, 31), "imported"),
        ("19777", dt.date(2026, 1, 1), None, "moved"),
    ]
    results = Assessment.objects.order_by("year").values_list("year", "unit__code", "standing")
    assert list(results) == [
        (2025, "19789", "poor"),
        (2026, "19777", "near_poor"),
        (2027, "19777", "not_poor"),
    ]
    # The reports see the move: poor in A in 2025, on B's near-poor list in 2026.
    a, b = unit("19789"), unit("19777")
    assert selectors.poverty_report(a, 2026)["escaped"] == 0
    assert selectors.poverty_report(a, 2026)["moved_out"] == 1
    assert selectors.poverty_report(b, 2026)["near_poor"] == 1
    assert selectors.poverty_report(b, 2026)["households"] == 1


def test_the_rows_of_a_household_may_come_in_any_order_of_years():
    rows = [
        row(year="2027", commune_code="19777"),
        row(year="2025"),
        row(year="2026", commune_code="19777"),
    ]
    assert run(rows).ok
    assert places("H001") == [
        ("19789", REFORM, dt.date(2025, 12, 31), "imported"),
        ("19777", dt.date(2026, 1, 1), None, "moved"),
    ]


def test_the_household_takes_the_head_and_ethnicity_of_its_latest_year():
    rows = [
        row(year="2025", head_name="Nguyễn Văn An"),
        row(year="2026", head_name="Nguyễn Thị Bình", ethnic_minority="1"),
        row(household_code="H002", year="2026", head_name="Lê Thị Hoa", ethnic_minority="1"),
        row(household_code="H002", year="2025", head_name="Lê Văn Nam"),
    ]
    report = run(rows)
    assert report.ok, report.lines()
    heads = Household.objects.values_list("code", "head_name", "ethnic_minority")
    assert list(heads) == [("H001", "Nguyễn Thị Bình", True), ("H002", "Lê Thị Hoa", True)]
    assert report.created["households_updated"] == 1  # H002 was created from its latest row
    # Each year's result keeps its own row's value.
    assert list(
        Assessment.objects.order_by("household__code", "year").values_list(
            "year", "ethnic_minority"
        )
    ) == [(2025, False), (2026, True), (2025, False), (2026, True)]


def test_a_registered_household_moves_from_january_of_the_rows_year():
    registered = household(unit("19789"), code="H001", area="urban")
    assess(registered, 2025, "poor")
    report = run([row(year="2026", commune_code="19777")])
    assert report.ok, report.lines()
    assert report.created["households"] == 0 and report.created["moves"] == 1
    assert places("H001") == [
        ("19789", None, dt.date(2025, 12, 31), "formed"),
        ("19777", dt.date(2026, 1, 1), None, "moved"),
    ]
    assert Household.objects.count() == 1


def test_a_registered_household_in_the_same_commune_is_not_moved():
    registered = household(unit("19789"), code="H001")
    report = run([row(year="2026")])
    assert report.ok, report.lines()
    assert report.created["moves"] == 0
    assert places("H001") == [("19789", None, None, "formed")]
    assert Assessment.objects.get().household == registered


def test_a_village_left_empty_keeps_the_registered_village(personas):
    household(personas.commune_a, hamlet=personas.hamlet_a, code="H001")
    assert run([row(year="2026")]).ok
    assert Assessment.objects.get().hamlet == personas.hamlet_a
    assert Placement.objects.get().hamlet == personas.hamlet_a


def test_another_village_of_the_same_commune_is_a_move(personas):
    household(personas.commune_a, code="H001")
    report = run([row(year="2026", hamlet_code=str(personas.hamlet_a.pk))])
    assert report.ok, report.lines()
    assert report.created["moves"] == 1
    moved = Placement.objects.get(valid_from=dt.date(2026, 1, 1))
    assert (moved.unit, moved.hamlet, moved.reason) == (
        personas.commune_a,
        personas.hamlet_a,
        "moved",
    )


def test_no_move_is_written_for_a_year_before_the_households_latest_result():
    registered = household(unit("19789"), code="H001")
    assess(registered, 2026, "poor")
    before = saved()
    report = run([row(year="2025", commune_code="19777")])
    assert errors(report) == [
        (
            2,
            "commune_code",
            "hộ đã có kết quả rà soát năm 2026 tại nơi đăng ký hiện có: không ghi chuyển nơi "
            "cư trú cho năm 2025 trước đó",
        )
    ]
    assert saved() == before


def test_a_dissolved_household_gets_no_result_after_it_ended():
    registered = household(unit("19789"), code="H001")
    services.household_dissolve(household=registered, on=dt.date(2025, 3, 1), reason="Chuyển đi")
    report = run([row(year="2025")])
    assert errors(report) == [
        (2, "commune_code", "hộ đã bị xóa từ ngày 01/03/2025, không có kết quả năm 2025")
    ]


def test_a_legacy_ward_in_2024_then_its_successor_in_2025_is_the_reform():
    # Phú Hội (19786) became part of Thuận Hóa (19789) on 1 July 2025.
    report = run([row(year="2024", commune_code="19786"), row(year="2025", commune_code="19789")])
    assert report.ok, report.lines()
    assert report.created["reform"] == 1 and report.created["moves"] == 0
    assert places("H001") == [
        ("19786", dt.date(2024, 1, 1), dt.date(2025, 6, 30), "imported"),
        ("19789", REFORM, None, "reform"),
    ]
    assert list(Assessment.objects.order_by("year").values_list("year", "unit__name")) == [
        (2024, "Phường Phú Hội"),
        (2025, "Phường Thuận Hóa"),
    ]
    # The 2024 result counts under Thuận Hóa in a report as of today.
    report_2025 = selectors.poverty_report(unit("19789"), 2025)
    assert report_2025["poor_start"] == 1 and report_2025["poor"] == 1


def test_a_household_last_seen_before_the_reform_is_carried_to_the_successor():
    assert run([row(year="2024", commune_code="19786")]).ok
    assert places("H001") == [
        ("19786", dt.date(2024, 1, 1), dt.date(2025, 6, 30), "imported"),
        ("19789", REFORM, None, "reform"),
    ]
    # As the reform's own carry-over would: running it now changes nothing.
    assert services.households_carry_over() == 0


def test_a_household_in_another_commune_than_its_wards_successor_moved_at_the_reform():
    report = run([row(year="2024", commune_code="19786"), row(year="2025", commune_code="19777")])
    assert report.ok, report.lines()
    assert report.created["reform"] == 0 and report.created["moves"] == 1
    assert places("H001") == [
        ("19786", dt.date(2024, 1, 1), dt.date(2025, 6, 30), "imported"),
        ("19777", REFORM, None, "moved"),
    ]


def test_a_registered_household_of_a_legacy_ward_carried_over_then_found_in_its_successor():
    registered = household(unit("19786", dt.date(2024, 6, 1)), code="H001")
    assess(registered, 2024, "poor")
    assert services.households_carry_over() == 1
    report = run([row(year="2025", commune_code="19789")])
    assert report.ok, report.lines()
    assert report.created == {
        "households": 0,
        "assessments": 1,
        "moves": 0,
        "reform": 0,
        "households_updated": 0,
    }
    assert places("H001") == [
        ("19786", None, dt.date(2025, 6, 30), "formed"),
        ("19789", REFORM, None, "reform"),
    ]


def test_a_registered_household_of_a_legacy_ward_not_carried_over_is_registered_at_the_reform():
    registered = household(unit("19786", dt.date(2024, 6, 1)), code="H001")
    report = run([row(year="2026", commune_code="19777")])
    assert report.ok, report.lines()
    assert places("H001") == [
        ("19786", None, dt.date(2025, 6, 30), "formed"),
        ("19789", REFORM, dt.date(2025, 12, 31), "reform"),
        ("19777", dt.date(2026, 1, 1), None, "moved"),
    ]
    assert Assessment.objects.get().household == registered


# --- Locked years and scope ---------------------------------------------------------------


def decide(personas, year: int = 2025):
    """Commune A's review of ``year`` through to the chair's decision: the year is locked."""
    listed = household(personas.commune_a, hamlet=personas.hamlet_a, code="LISTED")
    return decided_review(personas.commune_a, personas.hamlet_a, year, {listed: POOR})


def test_rows_of_a_decided_year_are_refused_as_locked(personas):
    decide(personas, 2025)
    before = saved()
    report = run([row(), row(household_code="H002", year="2026")])
    assert errors(report) == [
        (
            2,
            "commune_code",
            "năm 2025 của Phường Thuận Hóa đã có quyết định công nhận: dữ liệu đã khóa",
        )
    ]
    assert saved() == before
    assert run([row(household_code="H002", year="2026")]).ok


def test_a_registration_is_not_changed_across_a_decided_year(personas):
    decide(personas, 2025)
    registered = household(personas.commune_a, code="H001")
    report = run([row(year="2024", commune_code="19777")])
    assert not report.ok
    assert report.errors[0].reason.startswith("năm 2025 của Phường Thuận Hóa đã có quyết định")
    assert "đã khóa" in report.errors[0].reason
    assert places(registered.code) == [("19789", None, None, "formed")]


def test_an_official_imports_only_into_communes_in_scope(personas):
    report = run([row(commune_code="19777"), row(household_code="H002")], user=personas.official_a)
    assert errors(report) == [(2, "commune_code", "Đơn vị Phường Vỹ Dạ ngoài phạm vi của bạn")]
    assert saved()[:3] == (0, 0, 0)


def test_commune_b_official_cannot_import_into_commune_a_nor_its_legacy_wards(personas):
    report = run(
        [row(), row(household_code="H002", year="2024", commune_code="19786")],
        user=personas.official_b,
    )
    assert errors(report) == [
        (2, "commune_code", "Đơn vị Phường Thuận Hóa ngoài phạm vi của bạn"),
        (3, "commune_code", "Đơn vị Phường Phú Hội ngoài phạm vi của bạn"),
    ]
    assert saved()[:3] == (0, 0, 0)


def test_an_official_cannot_move_in_a_household_registered_outside_their_scope(personas):
    household(personas.commune_b, code="H001")
    report = run([row(year="2026")], user=personas.official_a)
    assert errors(report) == [
        (
            2,
            "commune_code",
            "hộ đang đăng ký tại Phường Vỹ Dạ: đơn vị Phường Vỹ Dạ ngoài phạm vi của bạn",
        )
    ]
    assert places("H001") == [("19777", None, None, "formed")]


def test_an_officials_import_records_them_as_the_author(personas):
    report = run([row()], user=personas.official_a)
    assert report.ok, report.lines()
    assert Household.objects.get().created_by == personas.official_a
    assert Assessment.objects.get().created_by == personas.official_a
    assert Event.objects.get(kind="households.imported").actor == personas.official_a


def test_the_unit_option_restricts_rows_to_that_unit():
    report = run([row(commune_code="19777")], unit=unit("19789"))
    assert errors(report) == [
        (
            2,
            "commune_code",
            "Đơn vị Phường Vỹ Dạ không thuộc Phường Thuận Hóa (mã 19789)",
        )
    ]


# --- The command ----------------------------------------------------------------------------


def test_the_command_prints_the_figures_and_saves(tmp_path):
    path = tmp_path / "ho.csv"
    path.write_bytes(as_csv([row(), row(household_code="H002", deprived="")]).getvalue())
    out = StringIO()
    call_command("import", "households", str(path), "--dry-run", stdout=out)
    assert "Số liệu: Năm 2025: 2 hộ, 1 hộ nghèo, 1 hộ cận nghèo" in out.getvalue()
    assert "hộ mới: 2" in out.getvalue()
    assert saved() == (0, 0, 0, 0)
    call_command("import", "households", str(path), stdout=StringIO())
    assert Assessment.objects.count() == 2


def test_the_command_fails_with_the_errors_of_a_bad_file(tmp_path):
    path = tmp_path / "ho.csv"
    path.write_bytes(as_csv([row(income_per_capita="-1")]).getvalue())
    out = StringIO()
    with pytest.raises(CommandError, match="không có gì được lưu"):
        call_command("import", "households", str(path), stdout=out)
    assert (
        "Dòng 2, cột income_per_capita, giá trị '-1': thu nhập bình quân không được âm"
        in out.getvalue()
    )


# --- The benchmark's file -------------------------------------------------------------------


def test_the_benchmark_generator_writes_a_file_that_imports_cleanly(tmp_path):
    from bench.households_file import write_households_file

    path = write_households_file(tmp_path / "ho.xlsx", 300, move_share=0.2, seed=3)
    report = run_import("households", path)
    assert report.ok, report.lines()
    assert report.created["households"] == 100 and report.created["assessments"] == 300
    # A household found in 2025 in its 2024 ward's successor went there with the reform; the
    # others moved (the generator moves a fifth of them once).
    edges = set(Lineage.objects.values_list("predecessor_id", "successor_id"))
    communes: dict[int, dict[int, int]] = {}
    for household_id, year, unit_id in Assessment.objects.values_list(
        "household_id", "year", "unit_id"
    ):
        communes.setdefault(household_id, {})[year] = unit_id
    followed = sum((c[2024], c[2025]) in edges for c in communes.values())
    assert 0 < followed < 100
    assert report.created["reform"] == followed
    assert report.created["moves"] >= 100 - followed
    assert [(f.label, f.values[0]) for f in report.figures] == [
        ("Năm 2024", ("hộ", 100)),
        ("Năm 2025", ("hộ", 100)),
        ("Năm 2026", ("hộ", 100)),
    ]
    assert Placement.objects.valid_on(review_date(2026)).count() == 100
