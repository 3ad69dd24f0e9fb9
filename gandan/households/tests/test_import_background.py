"""A large import through the screen runs as a background job: the screen returns at once,
follows the job's progress and then shows the same row-by-row report; all rows or none."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from gandan.core.imports import background
from gandan.core.models import Job, JobStatus
from gandan.core.testing.uploads import xlsx_upload
from gandan.households.imports import COLUMNS
from gandan.households.models import Assessment, Household, Placement
from gandan.households.tests.import_rows import row

pytestmark = pytest.mark.django_db
URL = "/households/import/"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def two_rows_is_large(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(background, "BACKGROUND_ROWS", 1)
    settings.MEDIA_ROOT = str(tmp_path)


def counts():
    return Household.objects.count(), Placement.objects.count(), Assessment.objects.count()


def good_file():
    return xlsx_upload(COLUMNS, [row(), row(household_code="H002", deprived="water")], "lon.xlsx")


def test_a_large_file_is_imported_by_a_job_and_its_report_shown(personas, settings):
    settings.TASKS = IMMEDIATE  # the job runs as soon as it is asked for
    client = personas.client("official_a")
    response = client.post(URL, {"file": good_file()})
    job = Job.objects.get(kind=background.IMPORT_JOB)
    assert response.status_code == 302 and response["Location"] == f"{URL}?job={job.pk}"
    assert (job.status, job.created_by, job.label) == (
        JobStatus.DONE,
        personas.official_a,
        "Nhập tệp lon.xlsx",
    )
    assert (job.done, job.total) == (2, 2)  # two rows, in one pass of batches
    assert counts() == (2, 2, 2)
    page = client.get(response["Location"]).content.decode()
    assert "Kết quả nhập tệp lon.xlsx" in page
    assert "Đã nhập 2 dòng. Đã tạo: 2 hộ mới; 2 kết quả rà soát" in page
    assert not any(background.upload_dir().iterdir())  # the kept file is gone


def test_while_the_job_waits_the_screen_shows_its_progress_and_only_to_its_owner(
    personas, settings
):
    settings.TASKS = DATABASE  # no worker: the job waits
    client = personas.client("official_a")
    location = client.post(URL, {"file": good_file(), "dry_run": "on"})["Location"]
    assert DBTaskResult.objects.count() == 1 and counts() == (0, 0, 0)
    page = client.get(location).content.decode()
    assert "Kiểm tra tệp lon.xlsx" in page and 'id="import-job"' in page
    assert 'hx-trigger="every 1s"' in page
    partial = client.get(location, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert personas.client("official_b").get(location).status_code == 404
    assert client.get(f"{URL}?job=abc").status_code == 404


def test_a_large_file_with_errors_saves_nothing_and_lists_them(personas, settings):
    settings.TASKS = IMMEDIATE
    rows = [row(), row(household_code="H002", income_per_capita="-5")]
    client = personas.client("official_a")
    location = client.post(URL, {"file": xlsx_upload(COLUMNS, rows, "loi.xlsx")})["Location"]
    response = client.get(location)
    page = response.content.decode()
    assert response.status_code == 400
    assert "thu nhập bình quân không được âm" in page and "không có gì được lưu" in page
    assert counts() == (0, 0, 0)


def test_a_finished_job_asks_the_page_to_reload_with_its_report(personas, settings):
    settings.TASKS = IMMEDIATE
    client = personas.client("official_a")
    location = client.post(URL, {"file": good_file()})["Location"]
    partial = client.get(location, headers={"HX-Request": "true"})
    assert partial["HX-Refresh"] == "true"


def test_the_rows_of_a_file_are_estimated_without_reading_them():
    from gandan.core.imports import estimate_rows
    from gandan.core.testing.uploads import csv_upload

    rows = [row(household_code=f"H{n:03}") for n in range(5)]
    assert estimate_rows(xlsx_upload(COLUMNS, rows, "a.xlsx").file, "xlsx") == 5
    assert estimate_rows(csv_upload(COLUMNS, rows, "a.csv").file, "csv") == 5
    upload = csv_upload(COLUMNS, rows, "a.csv").file
    upload.read(10)
    estimate_rows(upload, "csv")
    assert upload.tell() == 0  # left ready to be read


def test_a_kept_report_reads_back_as_it_was_with_its_counters_in_order():
    import json

    from gandan.core.imports import report_as_json, report_from_json
    from gandan.households.tests.import_rows import run

    report = run([row(), row(household_code="H002", income_per_capita="-5")], dry_run=True)
    kept = json.loads(json.dumps(report_as_json(report), sort_keys=True))  # as jsonb may
    again = report_from_json(kept)
    assert (again.summary(), again.counts(), again.errors) == (
        report.summary(),
        report.counts(),
        report.errors,
    )
