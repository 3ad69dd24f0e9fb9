"""Importing officials from .xlsx and .csv, all or nothing, and exporting them in the same layout."""

from __future__ import annotations

import csv
import datetime as dt
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from gandan.core.crypto import mask_citizen_id
from gandan.core.imports import RowError, run_import
from gandan.geo.models import HamletKind
from gandan.geo.selectors import unit_by_code
from gandan.geo.services import hamlet_create
from gandan.officials import services
from gandan.officials.imports import COLUMNS, export_officials
from gandan.officials.models import Official, Position, Posting, PostingKind, Qualification

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
REFORM = dt.date(2025, 7, 1)

GOOD = {
    "citizen_id": "046080000001",
    "full_name": "Nguyễn Văn An",
    "birth_date": "17/05/1980",
    "sex": "nam",
    "ethnicity": "",
    "home_commune_code": "19789",
    "unit_code": "19789",
    "hamlet_name": "",
    "position_code": "committee_chair",
    "posting_kind": "elected",
    "start_date": "01/07/2025",
    "end_date": "",
    "education": "4",
    "education_date": "15/06/2003",
    "politics": "3",
    "politics_date": "2010-11-20",
    "salary_grade": "",
}


def row(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def person_b(**changes: str) -> dict[str, str]:
    base = {
        "citizen_id": "046185000002",
        "full_name": "Trần Thị Bình",
        "birth_date": "1985-03-08",
        "sex": "nữ",
        "position_code": "office_staff",
        "posting_kind": "Tuyển dụng",
        "education": "Đại học",
        "education_date": "30/06/2007",
        "politics": "",
        "politics_date": "",
        "salary_grade": "01.003 bậc 4",
    }
    return row(**{**base, **changes})


def write_xlsx(path, rows, header=COLUMNS):
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for values in rows:
        sheet.append([values.get(column, "") for column in header])
    book.save(path)
    return path


def write_csv(path, rows, header=COLUMNS, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        for values in rows:
            writer.writerow([values.get(column, "") for column in header])
    return path


def counts():
    return Official.objects.count(), Posting.objects.count(), Qualification.objects.count()


def import_rows(tmp_path, rows, **options):
    return run_import("officials", write_xlsx(tmp_path / "can-bo.xlsx", rows), **options)


def only_error(report) -> RowError:
    assert len(report.errors) == 1, [str(e) for e in report.errors]
    return report.errors[0]


@pytest.fixture
def hamlet(thuan_hoa):
    return hamlet_create(commune=thuan_hoa, name="Tổ dân phố 7", kind=HamletKind.TO_DAN_PHO)


# --- A good file ----------------------------------------------------------------------------


def test_a_good_file_creates_people_postings_and_qualifications(tmp_path, thuan_hoa, hamlet):
    rows = [
        row(),
        row(position_code="party_deputy"),  # the same person, a second posting
        person_b(),
        row(
            citizen_id="046075000003",
            full_name="Lê Văn Cường",
            birth_date="02/01/1975",
            position_code="hamlet_head",
            hamlet_name="tổ dân phố 7",
            education="2",
            education_date="01/01/2000",
            politics="",
            politics_date="",
            start_date="15/08/2025",
        ),
    ]
    report = import_rows(tmp_path, rows)

    assert report.ok, [str(e) for e in report.errors]
    assert (report.rows_read, report.rows_ok) == (4, 4)
    assert report.created == {
        "officials": 3,
        "qualifications": 4,
        "postings": 4,
        "postings_present": 0,
    }
    assert counts() == (3, 4, 4)
    an = Official.objects.get(full_name="Nguyễn Văn An")
    assert an.citizen_id == "046080000001"
    assert an.birth_date == dt.date(1980, 5, 17) and an.sex == "male" and an.ethnicity == "Kinh"
    assert an.home_unit == thuan_hoa
    assert sorted(an.postings.values_list("position__code", flat=True)) == [
        "committee_chair",
        "party_deputy",
    ]
    assert {(q.kind, q.level, q.awarded_on) for q in an.qualifications.all()} == {
        ("education", 4, dt.date(2003, 6, 15)),
        ("politics", 3, dt.date(2010, 11, 20)),
    }
    binh = Posting.objects.get(official__full_name="Trần Thị Bình")
    assert binh.kind == PostingKind.RECRUITED and binh.salary_grade == "01.003 bậc 4"
    assert binh.official.sex == "female"
    assert Posting.objects.get(position__code="hamlet_head").hamlet == hamlet


def test_an_existing_official_gets_a_new_posting_not_a_second_record(tmp_path, thuan_hoa):
    existing = services.official_create(
        full_name="Nguyễn Văn An",
        birth_date=dt.date(1980, 5, 17),
        sex="male",
        citizen_id="046080000001",
        province_code="46",
    )
    report = import_rows(tmp_path, [row(education="", education_date="")])
    assert report.ok
    assert report.created["officials"] == 0 and report.created["postings"] == 1
    assert Official.objects.count() == 1
    assert existing.postings.get().position.code == "committee_chair"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path):
    rows = [row(), person_b()]
    assert import_rows(tmp_path, rows).ok
    before = counts()
    again = import_rows(tmp_path, rows)
    assert again.ok
    assert again.created == {
        "officials": 0,
        "qualifications": 0,
        "postings": 0,
        "postings_present": 2,
    }
    assert counts() == before


def test_a_citizen_id_typed_as_a_number_gets_its_leading_zero_back(tmp_path):
    report = import_rows(tmp_path, [row(citizen_id=46080000001)])
    assert report.ok, [str(e) for e in report.errors]
    assert Official.objects.get().citizen_id == "046080000001"


def test_csv_works_too_with_commas_or_semicolons(tmp_path):
    path = write_csv(tmp_path / "can-bo.csv", [row(), person_b()])
    report = run_import("officials", path)
    assert report.ok, [str(e) for e in report.errors]
    assert counts() == (2, 2, 3)

    path = write_csv(
        tmp_path / "excel.csv",
        [
            person_b(
                citizen_id="046190000009", full_name="Hồ Thị Cúc", position_code="economic_staff"
            )
        ],
        delimiter=";",
    )
    report = run_import("officials", path)
    assert report.ok, [str(e) for e in report.errors]
    assert Official.objects.filter(full_name="Hồ Thị Cúc").exists()


# --- Bad input: the right row, column and reason, and nothing saved ---------------------------


BAD_ROWS = [
    pytest.param(
        {"start_date": "01/07/2025", "end_date": "30/06/2025"},
        "end_date",
        "ngày kết thúc phải sau ngày bắt đầu",
        id="dates-in-the-wrong-order",
    ),
    pytest.param(
        {"unit_code": "19750", "start_date": "01/01/2026"},
        "unit_code",
        "không có đơn vị hành chính mã 19750 vào ngày 01/01/2026",
        id="legacy-commune-after-the-reform",
    ),
    pytest.param(
        {"unit_code": "19750", "position_code": "office_staff", "start_date": "01/01/2018"},
        "position_code",
        "không có vào ngày 01/01/2018",
        id="current-position-before-the-reform",
    ),
    pytest.param(
        {"unit_code": "46"},
        "unit_code",
        "không phải đơn vị cấp xã",
        id="a-province-is-not-a-commune",
    ),
    pytest.param(
        {"education": "9"},
        "education",
        "mã trình độ không có trong danh mục (0 = Chưa qua đào tạo",
        id="unknown-education-level",
    ),
    pytest.param(
        {"politics": "Tiến sĩ"},
        "politics",
        "mã trình độ không có trong danh mục",
        id="unknown-politics-label",
    ),
    pytest.param(
        {"education_date": ""},
        "education_date",
        "cần ngày cấp bằng",
        id="degree-without-date",
    ),
    pytest.param(
        {"citizen_id": "12345"},
        "citizen_id",
        "Số định danh cá nhân phải gồm đúng 12 chữ số.",
        id="short-citizen-id",
    ),
    pytest.param(
        {"citizen_id": "999080000001"},
        "citizen_id",
        "Mã nơi đăng ký khai sinh 999 không hợp lệ",
        id="citizen-id-with-no-such-birthplace",
    ),
    pytest.param(
        {"citizen_id": "046•••••0001"},
        "citizen_id",
        "số định danh đã bị che",
        id="masked-citizen-id",
    ),
    pytest.param(
        {"birth_date": "31/02/1980"}, "birth_date", "ngày không hợp lệ", id="no-such-date"
    ),
    pytest.param(
        {"start_date": "July 1st"},
        "start_date",
        "ngày không hợp lệ (dạng dd/mm/yyyy hoặc yyyy-mm-dd)",
        id="unreadable-date",
    ),
    pytest.param({"sex": "x"}, "sex", "giới tính phải là nam hoặc nữ", id="bad-sex"),
    pytest.param({"full_name": ""}, "full_name", "không được để trống", id="no-name"),
    pytest.param(
        {"position_code": "sheriff"},
        "position_code",
        "mã chức danh không có trong danh mục",
        id="unknown-position",
    ),
    pytest.param(
        {"posting_kind": "tự phong"},
        "posting_kind",
        "hình thức không có trong danh mục",
        id="unknown-posting-kind",
    ),
    pytest.param(
        {"position_code": "hamlet_head", "hamlet_name": "Thôn Không Có"},
        "hamlet_name",
        "Phường Thuận Hóa không có thôn, tổ dân phố tên Thôn Không Có",
        id="no-such-hamlet",
    ),
    pytest.param(
        {"birth_date": "01/01/2010", "education": "", "education_date": ""}
        | {"politics": "", "politics_date": ""},
        "start_date",
        "Người giữ chức danh phải đủ 18 tuổi.",
        id="too-young-caught-by-the-service",
    ),
]


@pytest.mark.parametrize(("changes", "column", "reason"), BAD_ROWS)
def test_a_bad_row_is_reported_with_row_column_and_reason_and_nothing_is_saved(
    tmp_path, changes, column, reason
):
    before = counts()
    report = import_rows(tmp_path, [person_b(), row(**changes)])
    error = only_error(report)
    assert (error.row, error.column) == (3, column)
    assert reason in error.reason
    assert error.value == row(**changes)[column]
    assert not report.ok and report.created == {}
    assert counts() == before


def test_the_error_line_reads_as_the_operator_expects(tmp_path):
    report = import_rows(tmp_path, [row()] * 5 + [row(birth_date="31/02/1980")])
    assert [str(e) for e in report.errors] == [
        "Dòng 7, cột birth_date, giá trị '31/02/1980': ngày không hợp lệ"
    ]


def test_every_error_of_every_row_is_collected(tmp_path):
    rows = [
        row(birth_date="31/02/1980", sex="?"),
        person_b(),
        person_b(citizen_id="1", unit_code="00000"),
    ]
    report = import_rows(tmp_path, rows)
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "birth_date"),
        (2, "sex"),
        (4, "citizen_id"),
        (4, "unit_code"),
    ]
    assert (report.rows_read, report.rows_ok) == (3, 1)
    assert counts() == (0, 0, 0)


def test_one_person_on_two_rows_must_keep_the_same_name_and_birth_date(tmp_path):
    report = import_rows(
        tmp_path,
        [
            row(),
            row(position_code="party_deputy", full_name="Nguyễn Văn Bảy", birth_date="18/05/1980"),
        ],
    )
    assert [(e.row, e.column) for e in report.errors] == [(3, "full_name"), (3, "birth_date")]
    assert "cùng số định danh với dòng 2" in report.errors[0].reason
    assert counts() == (0, 0, 0)


def test_a_registered_citizen_id_with_another_name_is_refused(tmp_path):
    services.official_create(
        full_name="Phạm Văn Dũng",
        birth_date=dt.date(1980, 5, 17),
        sex="male",
        citizen_id="046080000001",
        province_code="46",
    )
    before = counts()
    error = only_error(import_rows(tmp_path, [row()]))
    assert (error.row, error.column) == (2, "full_name")
    assert "người đã có trong hệ thống" in error.reason
    assert counts() == before


def test_two_holders_of_a_single_holder_position_in_one_file_are_refused(tmp_path):
    rows = [row(), person_b(position_code="committee_chair", posting_kind="elected")]
    error = only_error(import_rows(tmp_path, rows))
    assert (error.row, error.column) == (3, "position_code")
    assert "chỉ có một người giữ; Nguyễn Văn An đang giữ từ 01/07/2025" in error.reason
    assert counts() == (0, 0, 0)


def test_a_row_against_an_existing_holder_is_refused(tmp_path, thuan_hoa):
    holder = services.official_create(
        full_name="Võ Văn Em",
        birth_date=dt.date(1970, 1, 1),
        sex="male",
        citizen_id="046070000099",
        province_code="46",
    )
    services.posting_start(
        official=holder,
        position=Position.objects.get(code="committee_chair", valid_from=REFORM),
        unit=thuan_hoa,
        kind=PostingKind.ELECTED,
        valid_from=REFORM,
    )
    before = counts()
    error = only_error(import_rows(tmp_path, [row(start_date="01/01/2026")]))
    assert (error.row, error.column, error.value) == (2, "position_code", "committee_chair")
    assert "Võ Văn Em đang giữ" in error.reason
    assert counts() == before


def test_one_bad_row_among_many_good_ones_rolls_everything_back(tmp_path):
    rows = [person_b(citizen_id=f"0461850{n:05d}", full_name=f"Người Số {n}") for n in range(1, 30)]
    rows.insert(20, row())
    rows.insert(
        25,
        person_b(
            full_name="Người Giữ Chức",
            citizen_id="046185099999",
            position_code="committee_chair",
            posting_kind="elected",
        ),
    )
    report = import_rows(tmp_path, rows)
    error = only_error(report)
    assert (error.row, error.column) == (27, "position_code")  # header + 25 rows before it
    assert report.rows_read == 31 and report.rows_ok == 30
    assert counts() == (0, 0, 0)


# --- The file as a whole ------------------------------------------------------------------------


def test_a_missing_column_is_one_clear_error(tmp_path):
    header = [c for c in COLUMNS if c != "birth_date"] + ["birthday"]
    report = run_import("officials", write_xlsx(tmp_path / "x.xlsx", [row()], header=header))
    error = only_error(report)
    assert error.row == 1
    assert "thiếu cột birth_date" in error.reason
    assert "cột không có trong mẫu: birthday" in error.reason
    assert counts() == (0, 0, 0)


def test_columns_may_come_in_any_order_and_in_capitals(tmp_path):
    header = [c.upper() for c in reversed(COLUMNS)]
    book = Workbook()
    book.active.append(header)
    book.active.append([row()[c.lower()] for c in header])
    book.save(tmp_path / "x.xlsx")
    assert run_import("officials", tmp_path / "x.xlsx").ok


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "tệp trống"),
        (",".join(COLUMNS).encode() + b"\r\n", "không có dòng dữ liệu"),
        (b"citizen_id\r\n\xe9\xff", "UTF-8"),
    ],
    ids=["empty", "header-only", "not-utf8"],
)
def test_an_empty_or_unreadable_csv_is_an_error(tmp_path, content, reason):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    error = only_error(run_import("officials", path))
    assert reason in error.reason


def test_a_file_that_is_not_a_spreadsheet_is_an_error(tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"not a zip")
    assert (
        "không đọc được tệp Excel"
        in only_error(run_import("officials", tmp_path / "x.xlsx")).reason
    )
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    assert (
        "chỉ nhận tệp .xlsx hoặc .csv"
        in only_error(run_import("officials", tmp_path / "x.pdf")).reason
    )


# --- Dry run and scope ------------------------------------------------------------------------


def test_a_dry_run_saves_nothing_but_reports_what_would_be_created(tmp_path):
    report = import_rows(
        tmp_path, [row(), row(position_code="party_deputy"), person_b()], dry_run=True
    )
    assert report.ok and report.dry_run
    assert report.would_create == {
        "officials": 2,
        "qualifications": 3,
        "postings": 3,
        "postings_present": 0,
    }
    assert report.created == {}
    assert "Nếu nhập thật sẽ tạo: 2 người mới" in report.summary()
    assert counts() == (0, 0, 0)


def test_a_dry_run_also_finds_what_only_the_services_refuse(tmp_path):
    report = import_rows(tmp_path, [row(), person_b(position_code="committee_chair")], dry_run=True)
    assert only_error(report).column == "position_code"
    assert report.would_create == {}


def test_a_unit_restriction_refuses_rows_of_other_units(tmp_path):
    vy_da = unit_by_code("19777", as_of=TODAY)
    report = import_rows(tmp_path, [person_b(unit_code="19777"), row()], unit=vy_da)
    error = only_error(report)
    assert (error.row, error.column) == (3, "unit_code")
    assert error.reason == "Đơn vị Phường Thuận Hóa không thuộc Phường Vỹ Dạ (mã 19777)"
    assert counts() == (0, 0, 0)


# --- The command ----------------------------------------------------------------------------------


def test_the_command_imports_and_prints_a_summary(tmp_path):
    out = StringIO()
    call_command("import", "officials", str(write_xlsx(tmp_path / "a.xlsx", [row()])), stdout=out)
    assert "Đã nhập 1 dòng" in out.getvalue()
    assert counts() == (1, 1, 2)


def test_the_command_prints_each_error_and_fails_saving_nothing(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [row()] * 5 + [row(birth_date="31/02/1980")])
    out = StringIO()
    with pytest.raises(CommandError, match="không có gì được lưu"):
        call_command("import", "officials", str(path), stdout=out)
    assert "Dòng 7, cột birth_date, giá trị '31/02/1980': ngày không hợp lệ" in out.getvalue()
    assert counts() == (0, 0, 0)


def test_the_command_dry_run_and_unit_options(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [row()])
    out = StringIO()
    call_command("import", "officials", str(path), "--dry-run", stdout=out)
    assert "Chỉ kiểm tra: chưa lưu gì" in out.getvalue()
    assert counts() == (0, 0, 0)
    with pytest.raises(CommandError):
        call_command("import", "officials", str(path), "--unit", "19777", stdout=StringIO())
    with pytest.raises(CommandError, match="Không có kiểu nhập"):
        call_command("import", "ho_so_khong_co", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import", "officials", str(tmp_path / "none.xlsx"), stdout=StringIO())


# --- Export, and the round trip ------------------------------------------------------------------


def _registry(thuan_hoa, hamlet):
    """A few people as the services record them: current, past, village, two posts at once."""
    an = services.official_create(
        full_name="Nguyễn Văn An",
        birth_date=dt.date(1980, 5, 17),
        sex="male",
        citizen_id="046080000001",
        province_code="46",
        home_unit=thuan_hoa,
    )
    binh = services.official_create(
        full_name="Trần Thị Bình",
        birth_date=dt.date(1985, 3, 8),
        sex="female",
        citizen_id="046185000002",
        province_code="46",
        ethnicity="Tà Ôi",
    )
    services.qualification_add(
        official=an, kind="education", level=3, awarded_on=dt.date(2001, 6, 1)
    )
    services.qualification_add(
        official=an, kind="education", level=4, awarded_on=dt.date(2005, 6, 1)
    )
    services.qualification_add(
        official=an, kind="politics", level=3, awarded_on=dt.date(2012, 1, 9)
    )
    services.qualification_add(
        official=binh, kind="education", level=5, awarded_on=dt.date(2011, 9, 1)
    )

    def post(
        person, code, *, unit=thuan_hoa, start=REFORM, end=None, kind=PostingKind.ELECTED, **extra
    ):
        position = next(p for p in Position.objects.filter(code=code) if p.is_valid_on(start))
        return services.posting_start(
            official=person,
            position=position,
            unit=unit,
            kind=kind,
            valid_from=start,
            valid_to=end,
            **extra,
        )

    post(an, "committee_chair")
    post(an, "party_deputy", start=dt.date(2025, 9, 1))
    post(binh, "office_staff", kind=PostingKind.RECRUITED, salary_grade="01.003 bậc 4")
    post(binh, "hamlet_head", hamlet=hamlet, start=dt.date(2025, 8, 1), end=dt.date(2027, 12, 31))
    # Not valid on the export date: left out of the file.
    post(
        an,
        "council_chair",
        start=dt.date(2020, 1, 1),
        unit=unit_by_code("19789", as_of=dt.date(2020, 1, 1)),
    )


def _snapshot():
    people = {
        o.citizen_id: (o.full_name, o.birth_date, o.sex, o.ethnicity, o.home_unit_id)
        for o in Official.objects.all()
    }
    postings = sorted(
        (
            p.official.citizen_id,
            p.position_id,
            p.unit_id,
            p.hamlet_id,
            p.kind,
            p.valid_from,
            p.valid_to,
            p.salary_grade,
        )
        for p in Posting.objects.filter(valid_from__gte=REFORM).select_related("official")
    )
    return people, postings


def test_an_operator_export_imported_into_an_empty_registry_gives_the_same_people_and_postings(
    tmp_path, thuan_hoa, hamlet
):
    _registry(thuan_hoa, hamlet)
    people, postings = _snapshot()
    content = export_officials(unit_by_code("46", as_of=TODAY), TODAY)
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet.max_row == 1 + 4

    Posting.objects.all().delete()
    Qualification.objects.all().delete()
    Official.objects.all().delete()
    (tmp_path / "export.xlsx").write_bytes(content)
    report = run_import("officials", tmp_path / "export.xlsx")

    assert report.ok, [str(e) for e in report.errors]
    assert _snapshot() == (people, postings)
    an = Official.objects.get(full_name="Nguyễn Văn An")
    # The highest degree held on the export date travels with the person.
    assert {(q.kind, q.level) for q in an.qualifications.all()} == {
        ("education", 4),
        ("politics", 3),
    }


def test_the_export_masks_citizen_ids_for_users_who_may_not_see_them(personas, thuan_hoa):
    _registry(thuan_hoa, personas.hamlet_a)
    sheet = load_workbook(
        BytesIO(export_officials(thuan_hoa, TODAY, user=personas.official_a))
    ).worksheets[0]
    ids = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert ids == {mask_citizen_id("046080000001"), mask_citizen_id("046185000002")}
    # Exported masked, it cannot be imported back.
    assert all("•" in value for value in ids)
