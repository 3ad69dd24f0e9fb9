"""``gandan report``: the same numbers as the screens and the API, in JSON, CSV and Excel."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def report(*args):
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_units_report_for_hue_before_and_after_the_reform():
    before = json.loads(
        report("units", "--unit", "46", "--as-of", "2025-06-30", "--format", "json")
    )
    assert before["unit"]["name"] == "Thành phố Huế"
    assert before["by_level"] == {"district": 9, "commune": 133}
    assert (
        before["by_type"]["phuong"] == 48
        and before["by_type"]["xa"] == 78
        and before["by_type"]["thi_tran"] == 7
    )
    assert before["thon"] == 0 and before["to_dan_pho"] == 0
    after = json.loads(report("units", "--unit", "46", "--as-of", "2025-07-01"))
    assert after["by_level"] == {"commune": 40}
    assert after["by_type"] == {"xa": 19, "phuong": 21}


def test_units_report_for_the_whole_country_by_year():
    data = json.loads(report("units", "--year", "2024"))
    assert data["as_of"] == "2024-12-31"
    assert data["by_level"]["commune"] == 10_035
    assert data["by_level"]["province"] == 63


def test_csv_and_xlsx_carry_the_same_numbers(tmp_path):
    csv_text = report("units", "--unit", "46", "--as-of", "2025-07-01", "--format", "csv")
    assert "by_type.phuong,21" in csv_text
    target = tmp_path / "units.xlsx"
    call_command(
        "report",
        "units",
        "--unit",
        "46",
        "--as-of",
        "2025-07-01",
        "--format",
        "xlsx",
        "--output",
        str(target),
        stderr=StringIO(),
    )
    rows = {row[0]: row[1] for row in load_workbook(target).active.iter_rows(values_only=True)}
    assert rows["by_level.commune"] == 40


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["units", "--unit", "99999"], "Không tìm thấy đơn vị"),
        (["units", "--as-of", "2025-02-30"], "Ngày không hợp lệ"),
        (["units", "--year", "hai nghìn"], "Năm không hợp lệ"),
        (["units", "--format", "pdfx"], "Định dạng không hỗ trợ"),
        (["nothing"], "Không có báo cáo"),
    ],
)
def test_bad_input_is_a_clear_vietnamese_error(args, message):
    with pytest.raises(CommandError, match=message):
        report(*args)
