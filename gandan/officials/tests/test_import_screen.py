"""The upload screen and the export download: scope, the Vietnamese report, nothing saved on error."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from gandan.accounts.models import Role
from gandan.accounts.services import membership_grant
from gandan.core.models import AccessLog
from gandan.core.testing.uploads import xlsx_upload
from gandan.officials import services
from gandan.officials.imports import COLUMNS
from gandan.officials.models import Official, Position, Posting, PostingKind, Qualification

pytestmark = pytest.mark.django_db
REFORM = dt.date(2025, 7, 1)
URL = "/officials/import/"

GOOD = {
    "citizen_id": "046080000001",
    "full_name": "Nguyễn Văn An",
    "birth_date": "17/05/1980",
    "sex": "nam",
    "unit_code": "19789",
    "position_code": "office_staff",
    "posting_kind": "recruited",
    "start_date": "01/07/2025",
    "education": "4",
    "education_date": "15/06/2003",
}


def upload(rows, name="can-bo.xlsx"):
    return xlsx_upload(COLUMNS, rows, name)


def counts():
    return Official.objects.count(), Posting.objects.count(), Qualification.objects.count()


def test_the_form_is_shown_to_a_commune_officer(personas):
    page = personas.client("official_a").get(URL).content.decode()
    assert "Nhập danh sách cán bộ, công chức" in page
    assert "Chỉ kiểm tra (không lưu)" in page
    assert 'enctype="multipart/form-data"' in page
    assert "citizen_id" in page and "salary_grade" in page


def test_a_good_file_is_saved_and_summarised(personas):
    response = personas.client("official_a").post(URL, {"file": upload([GOOD])}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(URL, 302)]
    assert "Đã nhập 1 dòng. Đã tạo: 1 người mới; 1 bằng cấp (trình độ); 1 vị trí công tác" in page
    assert counts() == (1, 1, 1)
    assert Posting.objects.get().created_by == personas.official_a


def test_a_dry_run_shows_what_would_be_created_and_saves_nothing(personas):
    response = personas.client("official_a").post(URL, {"file": upload([GOOD]), "dry_run": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kết quả kiểm tra" in page
    assert "Sẽ tạo nếu nhập thật" in page
    assert "Chỉ kiểm tra: chưa lưu gì" in page
    assert counts() == (0, 0, 0)


def test_errors_are_shown_row_by_row_in_vietnamese_and_nothing_is_saved(personas):
    rows = [GOOD, {**GOOD, "citizen_id": "046185000002", "birth_date": "31/02/1980"}]
    response = personas.client("official_a").post(URL, {"file": upload(rows)})
    page = response.content.decode()
    assert response.status_code == 400
    for heading in ("Dòng", "Cột", "Giá trị", "Lý do"):
        assert f'<th scope="col">{heading}</th>' in page
    assert '<td class="num">3</td>' in page
    assert "birth_date" in page and "31/02/1980" in page and "ngày không hợp lệ" in page
    assert "không có gì được lưu" in page
    assert counts() == (0, 0, 0)


def test_a_row_for_a_commune_outside_the_scope_is_an_error(personas):
    rows = [GOOD, {**GOOD, "citizen_id": "046185000002", "unit_code": "19777"}]
    response = personas.client("official_a").post(URL, {"file": upload(rows)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Đơn vị Phường Vỹ Dạ ngoài phạm vi của bạn" in page
    assert counts() == (0, 0, 0)


def test_a_legacy_ward_merged_into_the_users_commune_is_in_scope(personas):
    # 19789 in 2020 is Phường Phú Nhuận, one of the wards that became Phường Thuận Hóa.
    row = {**GOOD, "position_code": "office_statistics", "start_date": "01/01/2020"}
    response = personas.client("official_a").post(URL, {"file": upload([row])})
    assert response.status_code == 302
    assert Posting.objects.get().unit.name == "Phường Phú Nhuận"
    response = personas.client("official_b").post(URL, {"file": upload([row])})
    assert "ngoài phạm vi của bạn" in response.content.decode()


def test_a_file_over_ten_megabytes_is_refused_with_a_vietnamese_message(personas):
    big = SimpleUploadedFile("can-bo.csv", b"x" * (10 * 1024 * 1024 + 1))
    response = personas.client("official_a").post(URL, {"file": big})
    assert response.status_code == 400
    assert "Tệp quá lớn (10.0 MB): tối đa 10 MB" in response.content.decode()


def test_only_xlsx_and_csv_are_accepted(personas):
    response = personas.client("official_a").post(
        URL, {"file": SimpleUploadedFile("can-bo.pdf", b"%PDF-1.7")}
    )
    assert response.status_code == 400
    assert "Chỉ nhận tệp .xlsx hoặc .csv." in response.content.decode()


@pytest.mark.parametrize("persona", ["viewer_a", "leader"])
def test_users_without_a_write_role_cannot_upload(personas, persona):
    response = personas.client(persona).post(URL, {"file": upload([GOOD])})
    assert response.status_code == 404
    assert counts() == (0, 0, 0)


def test_anonymous_visitors_are_sent_to_sign_in(personas):
    response = personas.client("anonymous").post(URL, {"file": upload([GOOD])})
    assert response["Location"].startswith("/accounts/login/")
    assert counts() == (0, 0, 0)


# --- Export -------------------------------------------------------------------------------


def _holder(personas):
    person = services.official_create(
        full_name="Nguyễn Văn An",
        birth_date=dt.date(1980, 5, 17),
        sex="male",
        citizen_id="046080000001",
        province_code="46",
    )
    services.posting_start(
        official=person,
        position=Position.objects.get(code="committee_chair", valid_from=REFORM),
        unit=personas.commune_a,
        kind=PostingKind.ELECTED,
        valid_from=REFORM,
    )
    return person


def _ids(response):
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_export_is_an_xlsx_attachment_with_masked_citizen_ids(personas):
    _holder(personas)
    response = personas.client("official_a").get("/officials/export/?unit=19789&as_of=2026-03-02")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="can-bo-19789-2026-03-02.xlsx"'
    )
    assert _ids(response) == ["046•••••0001"]
    assert not AccessLog.objects.exists()


def test_a_commune_leader_exports_full_citizen_ids_and_it_is_logged(personas):
    person = _holder(personas)
    chair = membership_grant(
        username="chutich_a",
        role=Role.COMMUNE_LEADER,
        unit=personas.commune_a,
        password="gandan-test-2026",  # noqa: S106 - a test account
    ).user
    client = personas.client("anonymous")
    client.force_login(chair)
    response = client.get("/officials/export/?unit=19789&as_of=2026-03-02")
    assert _ids(response) == ["046080000001"]
    log = AccessLog.objects.get()
    assert (log.user, log.subject_id, log.what) == (chair, str(person.pk), "citizen_id_export")


def test_the_export_of_another_commune_or_an_unknown_unit_is_not_found(personas):
    _holder(personas)
    client = personas.client("official_b")
    assert client.get("/officials/export/?unit=19789").status_code == 404
    assert client.get("/officials/export/?unit=99999").status_code == 404
    assert client.get("/officials/export/").status_code == 400
    assert client.get("/officials/export/?unit=19777&as_of=hôm qua").status_code == 400


def test_a_large_upload_kept_in_a_temporary_file_is_read_the_same_way(personas, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # Django spools every upload to disk
    header = ",".join(COLUMNS)
    line = ",".join(GOOD.get(column, "") for column in COLUMNS)
    csv_file = SimpleUploadedFile("can-bo.csv", f"{header}\r\n{line}\r\n".encode())
    response = personas.client("official_a").post(URL, {"file": csv_file, "dry_run": "on"})
    assert response.status_code == 200
    assert "Nếu nhập thật sẽ tạo: 1 người mới" in response.content.decode()
