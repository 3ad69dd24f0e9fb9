"""``gandan report poverty``: the JSON keys the issue asks for, and the form's layout in xlsx/csv."""

import datetime as dt
import io
import json
import tempfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from gandan.geo import selectors as geo
from gandan.households.tests.factories import history, household
from gandan.households.tests.helpers import REPORT_KEYS

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    a = geo.unit_by_code("19789", as_of=dt.date(2026, 3, 2))
    history(household(a), {2025: "poor", 2026: "poor"})
    history(household(a), {2026: "near_poor"})
    household(a)
    return a


def run(*args, fmt="json"):
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/report.{fmt}"
        call_command(
            "report", "poverty", *args, "--format", fmt, "--output", path, stdout=StringIO()
        )
        with open(path, "rb") as handle:
            return handle.read()


def test_json_has_the_keys_and_rates_with_two_decimals(data):
    report = json.loads(run("--unit", "46", "--year", "2026"))
    assert REPORT_KEYS <= set(report)
    assert (report["households"], report["poor"], report["poor_rate"]) == (3, 1, 33.33)
    assert report["near_poor_rate"] == 33.33
    row = next(r for r in report["by_unit"] if r["unit"] == "19789")
    assert REPORT_KEYS - {
        "computed_at",
        "unit",
        "year",
        "as_of",
        "standard",
        "review",
        "by_unit",
    } <= set(row)


def test_xlsx_is_laid_out_as_the_province_summary_form(data):
    book = load_workbook(io.BytesIO(run("--unit", "46", "--year", "2026", fmt="xlsx")))
    assert book.sheetnames == ["Tổng hợp", "Biến động"]
    text = [str(c.value) for row in book["Tổng hợp"].iter_rows() for c in row if c.value]
    assert "Thành thị" in text and "Nông thôn" in text and "Hộ dân tộc thiểu số" in text


def test_csv_has_one_row_per_unit_and_a_total(data):
    text = run("--unit", "19789", "--year", "2026", fmt="csv").decode("utf-8-sig")
    assert len(text.strip().splitlines()) >= 2


def test_a_year_without_a_standard_is_refused():
    with pytest.raises(CommandError, match="Không có chuẩn nghèo"):
        call_command("report", "poverty", "--unit", "46", "--year", "2012", stdout=StringIO())
