"""The households import screen: who may use it, the Vietnamese report, figures, scope."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gandan.accounts.models import Role
from gandan.accounts.services import membership_grant
from gandan.core.testing.personas import PASSWORD
from gandan.core.testing.uploads import csv_upload, xlsx_upload
from gandan.households.imports import COLUMNS
from gandan.households.models import Assessment, Household, Placement
from gandan.households.tests.import_rows import row

pytestmark = pytest.mark.django_db
URL = "/households/import/"


def xlsx(rows, name="ho.xlsx"):
    return xlsx_upload(COLUMNS, rows, name)


def csv_file(rows, name="ho.csv"):
    return csv_upload(COLUMNS, rows, name)


def counts():
    return Household.objects.count(), Placement.objects.count(), Assessment.objects.count()


def test_the_form_shows_the_layout_the_indicator_codes_and_the_village_codes(personas):
    page = personas.client("official_a").get(URL).content.decode()
    assert "Nhập kết quả rà soát hộ nghèo, hộ cận nghèo" in page
    assert "Chỉ kiểm tra (không lưu)" in page
    assert 'enctype="multipart/form-data"' in page
    assert "household_code" in page and "head_name" in page
    assert "information_access" in page  # an indicator of Decree 07/2021
    assert "Phường Thuận Hóa" in page and f">{personas.hamlet_a.pk}</span> Tổ dân phố 1" in page
    assert "Phường Vỹ Dạ" not in page  # commune B is not official A's


@pytest.mark.parametrize("persona", ["viewer_a", "leader"])
def test_users_who_write_nowhere_do_not_get_the_screen(personas, persona):
    client = personas.client(persona)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"file": xlsx([row()])}).status_code == 404
    assert counts() == (0, 0, 0)


def test_a_village_head_does_not_import_for_the_commune(personas):
    head = membership_grant(
        username="truong_thon",
        role=Role.VILLAGE_HEAD,
        unit=personas.commune_a,
        hamlet=personas.hamlet_a,
        password=PASSWORD,
    ).user
    client = personas.client("anonymous")
    client.force_login(head)
    assert client.get(URL).status_code == 404


def test_anonymous_is_sent_to_sign_in(personas):
    response = personas.client("anonymous").post(URL, {"file": xlsx([row()])})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert counts() == (0, 0, 0)


def test_a_good_xlsx_is_saved_and_summarised_with_its_figures(personas):
    rows = [row(), row(household_code="H002", deprived="water")]
    response = personas.client("official_a").post(URL, {"file": xlsx(rows)}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(URL, 302)]
    assert "Đã nhập 2 dòng. Đã tạo: 2 hộ mới; 2 kết quả rà soát" in page
    assert "Số liệu: Năm 2025: 2 hộ, 1 hộ nghèo, 1 hộ cận nghèo" in page
    assert counts() == (2, 2, 2)
    assert Assessment.objects.filter(created_by=personas.official_a).count() == 2


def test_a_good_csv_is_saved(personas):
    response = personas.client("official_a").post(URL, {"file": csv_file([row()])})
    assert response.status_code == 302
    assert counts() == (1, 1, 1)


def test_a_dry_run_shows_the_figures_by_year_and_saves_nothing(personas):
    rows = [row(), row(household_code="H002", year="2026", income_per_capita="3000000")]
    response = personas.client("official_a").post(URL, {"file": xlsx(rows), "dry_run": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kết quả kiểm tra tệp ho.xlsx" in page
    assert "Sẽ tạo nếu nhập thật" in page
    assert "Chỉ kiểm tra: chưa lưu gì" in page
    assert 'id="figures"' in page
    assert '<th scope="row">Năm 2025</th><td class="num">1</td><td class="num">1</td>' in page
    assert '<th scope="row">Năm 2026</th><td class="num">1</td><td class="num">0</td>' in page
    assert counts() == (0, 0, 0)


def test_errors_are_listed_by_row_column_value_and_reason_and_nothing_is_saved(personas):
    rows = [row(), row(household_code="H002", income_per_capita="-5", deprived="water;cable")]
    response = personas.client("official_a").post(URL, {"file": xlsx(rows)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "không có gì được lưu" in page
    assert (
        '<td class="num">3</td><td class="column"><span class="code">income_per_capita</span>'
        in page
    )
    assert (
        '<td class="value">-5</td><td class="reason">thu nhập bình quân không được âm</td>' in page
    )
    assert "Chỉ số cable không có trong chuẩn Nghị định 07/2021/NĐ-CP" in page
    assert counts() == (0, 0, 0)


def test_commune_b_official_cannot_import_into_commune_a(personas):
    response = personas.client("official_b").post(URL, {"file": xlsx([row()])})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Đơn vị Phường Thuận Hóa ngoài phạm vi của bạn" in page
    assert counts() == (0, 0, 0)


def test_commune_b_official_imports_into_commune_b(personas):
    response = personas.client("official_b").post(
        URL, {"file": xlsx([row(commune_code="19777", hamlet_code=str(personas.hamlet_b.pk))])}
    )
    assert response.status_code == 302
    assert Assessment.objects.get().unit == personas.commune_b


def test_a_file_that_is_not_a_spreadsheet_is_refused_before_reading(personas):
    upload = SimpleUploadedFile("ho.pdf", b"%PDF-1.4")
    response = personas.client("official_a").post(URL, {"file": upload})
    assert response.status_code == 400
    assert "Chỉ nhận tệp .xlsx hoặc .csv." in response.content.decode()


def test_a_broken_xlsx_is_reported(personas):
    upload = SimpleUploadedFile("ho.xlsx", b"not a zip")
    response = personas.client("official_a").post(URL, {"file": upload})
    assert response.status_code == 400
    assert "không đọc được tệp Excel" in response.content.decode()


def test_a_cell_written_as_a_formula_is_refused_with_its_row_and_column(personas):
    formula = '=HYPERLINK("http://ke-gian.example/","x")'
    rows = [row(), row(household_code="H002", head_name=formula)]
    response = personas.client("official_a").post(URL, {"file": csv_file(rows)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "head_name" in page and "không nhập công thức" in page
    assert counts() == (0, 0, 0)
