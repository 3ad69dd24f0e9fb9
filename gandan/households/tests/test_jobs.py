"""Reclassifying a year in the background: after a standard's income line is corrected in the
database, the job changes the standings that change — an update where the year is open, a
dated correction where the commune's decision has locked it — reports its progress up to
the total, records a failure in words, and is started and followed on scoped screens.

Jobs run through django-tasks' immediate backend here (the task runs inside the request or
call that enqueues it, on the test's transaction); ``gandan/core/tests/test_jobs.py`` runs
the database backend with its worker.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from gandan.accounts.models import Role, User
from gandan.accounts.services import membership_grant
from gandan.core.models import Event, Job, JobStatus
from gandan.core.testing.personas import Personas
from gandan.geo.models import Level, Unit
from gandan.households import services
from gandan.households.models import Assessment, PovertyStandard, Standing
from gandan.households.tasks import KIND, reclassify, reclassify_job
from gandan.households.tests.factories import NEAR_POOR, POOR, assess, decided_review, household

pytestmark = pytest.mark.django_db

YEAR = 2026  # reviewed under Nghị định 351/2025 (rural income line 2.200.000 đồng)
SURVEYED = dt.datetime(2026, 9, 15, 9, 0, tzinfo=dt.UTC)
RECLASSIFIED = dt.datetime(2027, 1, 15, 9, 0, tzinfo=dt.UTC)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def immediate(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


def specialist_of(code: str, username: str = "chuyenvien_46") -> User:
    province = Unit.objects.get(level=Level.PROVINCE, code=code, valid_to__isnull=True)
    return membership_grant(
        username=username, role=Role.PROVINCE_SPECIALIST, unit=province, password="x" * 12
    ).user


def lower_the_rural_line(to: int = 800_000) -> None:
    """A correction of the loaded standard: near-poor incomes (900.000 đồng) are now above it."""
    changed = PovertyStandard.objects.filter(first_year__lte=YEAR, last_year__gte=YEAR).update(
        rural_upper_line=to
    )
    assert changed == 1


def current(household: Any) -> Assessment:
    return Assessment.objects.get(household=household, year=YEAR, superseded_on__isnull=True)


@pytest.fixture
def world(personas: Personas) -> dict[str, Any]:
    """A: one poor and one near-poor household in a decided year; B: the same, year open."""
    with time_machine.travel(SURVEYED, tick=False):
        a_near = household(personas.commune_a, hamlet=personas.hamlet_a)
        a_poor = household(personas.commune_a, hamlet=personas.hamlet_a)
        decided_review(
            personas.commune_a, personas.hamlet_a, YEAR, {a_near: NEAR_POOR, a_poor: POOR}
        )
        b_near = household(personas.commune_b, hamlet=personas.hamlet_b)
        b_poor = household(personas.commune_b, hamlet=personas.hamlet_b)
        assess(b_near, YEAR, "near_poor")
        assess(b_poor, YEAR, "poor")
    return {"a_near": a_near, "a_poor": a_poor, "b_near": b_near, "b_poor": b_poor}


# --- The job ------------------------------------------------------------------------------------


def test_a_job_reclassifies_the_year_after_the_standards_line_is_corrected(world, personas):
    before = {name: current(h) for name, h in world.items()}
    assert {name: a.standing for name, a in before.items()} == {
        "a_near": Standing.NEAR_POOR,
        "a_poor": Standing.POOR,
        "b_near": Standing.NEAR_POOR,
        "b_poor": Standing.POOR,
    }
    lower_the_rural_line()
    specialist = specialist_of("46")

    with time_machine.travel(RECLASSIFIED, tick=False):
        job = reclassify_job(year=YEAR, province_code="46", actor=specialist)

    assert job.status == JobStatus.DONE, job.error
    assert job.result == {"checked": 4, "updated": 1, "corrected": 1}
    assert (job.done, job.total) == (4, 4)
    assert job.params == {"year": YEAR, "province_code": "46"}
    assert job.label.startswith(f"Phân loại lại hộ nghèo, cận nghèo năm {YEAR} — ")
    assert "Nghị định 351/2025/NĐ-CP" in job.label
    assert job.message == (
        "Đã kiểm tra 4 phiếu: 1 phiếu được cập nhật, 1 phiếu được ghi đính chính có ngày."
    )

    # B's year is open: the same row now says not poor.
    b_near = current(world["b_near"])
    assert b_near.pk == before["b_near"].pk
    assert b_near.standing == Standing.NOT_POOR
    # A's year is decided: the decided row stays as it was, superseded from the job's day,
    # and a correction recorded that day carries the new standing.
    old = Assessment.objects.get(pk=before["a_near"].pk)
    assert (old.standing, old.superseded_on) == (Standing.NEAR_POOR, dt.date(2027, 1, 15))
    new = current(world["a_near"])
    assert new.corrects_id == old.pk
    assert (new.standing, new.recorded_on) == (Standing.NOT_POOR, dt.date(2027, 1, 15))
    assert Assessment.objects.recorded_on(dt.date(2026, 12, 31)).get(
        household=world["a_near"], year=YEAR
    ).standing == (Standing.NEAR_POOR)
    # The poor stay poor, untouched.
    assert current(world["a_poor"]).pk == before["a_poor"].pk
    assert current(world["b_poor"]).pk == before["b_poor"].pk

    kinds = list(
        Event.objects.filter(subject_type="core.job", subject_id=str(job.pk)).values_list(
            "kind", "actor"
        )
    )
    assert kinds == [
        ("job.queued", specialist.pk),
        ("job.started", specialist.pk),
        ("job.done", specialist.pk),
    ]
    correction = Event.objects.get(kind="household.assessment_corrected")
    assert correction.actor == specialist


def test_running_it_again_changes_nothing_more(world):
    lower_the_rural_line()
    with time_machine.travel(RECLASSIFIED, tick=False):
        first = reclassify_job(year=YEAR, province_code="46")
        second = reclassify_job(year=YEAR, province_code="46")
    assert first.result == {"checked": 4, "updated": 1, "corrected": 1}
    assert second.result == {"checked": 4, "updated": 0, "corrected": 0}


def test_without_a_change_of_the_rules_nothing_is_written(world):
    rows = set(Assessment.objects.values_list("pk", "standing", "superseded_on"))
    job = reclassify_job(year=YEAR, province_code="46")
    assert job.result == {"checked": 4, "updated": 0, "corrected": 0}
    assert set(Assessment.objects.values_list("pk", "standing", "superseded_on")) == rows


def test_progress_reaches_the_total_in_steps(world, monkeypatch):
    lower_the_rural_line()
    job = reclassify_job(year=YEAR, province_code="46", enqueue=False)
    assert job.status == JobStatus.QUEUED
    seen: list[tuple[int, int]] = []
    original = services.assessments_reclassify

    def in_batches_of_three(**kwargs: Any) -> dict[str, int]:
        return original(batch=3, **kwargs)

    monkeypatch.setattr("gandan.households.tasks.assessments_reclassify", in_batches_of_three)
    with time_machine.travel(RECLASSIFIED, tick=False):
        reclassify(job.pk, echo=lambda done, total: seen.append((done, total)))
    job.refresh_from_db()
    assert seen == [(0, 4), (3, 4), (4, 4)]  # at once, then after each batch
    assert (job.status, job.done, job.total, job.percent) == (JobStatus.DONE, 4, 4, 100)


def test_a_failure_is_recorded_in_words_with_the_status_failed(world):
    job = reclassify_job(year=YEAR, province_code="46", enqueue=False)
    # The rules are reloaded between the request and the run: no standard covers the year now.
    PovertyStandard.objects.filter(first_year__lte=YEAR, last_year__gte=YEAR).update(
        first_year=YEAR + 1
    )
    with pytest.raises(ValidationError):
        reclassify(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == f"Không có chuẩn nghèo áp dụng cho kỳ rà soát năm {YEAR}."
    assert job.result == {}
    assert job.finished_at is not None
    assert Event.objects.filter(kind="job.failed", subject_id=str(job.pk)).exists()
    # Nothing was reclassified.
    assert current(world["b_near"]).standing == Standing.NEAR_POOR


def test_a_year_without_a_standard_or_a_province_that_does_not_exist_is_refused():
    before = Job.objects.count()
    with pytest.raises(ValidationError, match="Không có chuẩn nghèo"):
        reclassify_job(year=1990, province_code="46")
    with pytest.raises(ValidationError, match="Không có tỉnh, thành phố mã 99"):
        reclassify_job(year=YEAR, province_code="99")
    assert Job.objects.count() == before


def test_the_same_reclassification_is_not_queued_twice(settings):
    settings.TASKS = DATABASE
    first = reclassify_job(year=YEAR, province_code="46")
    assert first.status == JobStatus.QUEUED
    with pytest.raises(ValidationError, match=f"tác vụ số {first.pk}"):
        reclassify_job(year=YEAR, province_code="46")
    other_year = reclassify_job(year=YEAR - 1, province_code="46")
    assert other_year.status == JobStatus.QUEUED


def test_a_province_job_leaves_other_provinces_alone(world):
    lower_the_rural_line()
    job = reclassify_job(year=YEAR, province_code="48")
    assert job.result == {"checked": 0, "updated": 0, "corrected": 0}
    assert (job.done, job.total) == (0, 0)
    assert current(world["b_near"]).standing == Standing.NEAR_POOR


# --- The command --------------------------------------------------------------------------------


def test_the_command_with_wait_runs_here_and_prints_the_summary(world):
    lower_the_rural_line()
    out = StringIO()
    with time_machine.travel(RECLASSIFIED, tick=False):
        call_command(
            "reclassify", year=YEAR, province="46", wait=True, no_progress=True, stdout=out
        )
    job = Job.objects.get(kind=KIND)
    assert job.status == JobStatus.DONE
    assert job.created_by is None
    assert out.getvalue() == f"Tác vụ số {job.pk}: {job.message}\n"
    assert current(world["b_near"]).standing == Standing.NOT_POOR


def test_the_command_queues_the_job_when_a_worker_is_configured(settings, world):
    settings.TASKS = DATABASE
    out = StringIO()
    call_command("reclassify", year=YEAR, province="46", stdout=out)
    job = Job.objects.get(kind=KIND)
    assert job.status == JobStatus.QUEUED
    assert f"Đã xếp hàng tác vụ số {job.pk}" in out.getvalue()
    assert f"/households/jobs/{job.pk}/" in out.getvalue()


def test_the_command_runs_here_when_no_worker_is_configured(world):
    lower_the_rural_line()
    call_command("reclassify", year=YEAR, province="46", verbosity=0)
    assert Job.objects.get(kind=KIND).status == JobStatus.DONE
    assert current(world["b_near"]).standing == Standing.NOT_POOR


def test_the_command_refuses_in_words():
    with pytest.raises(CommandError, match="Không có chuẩn nghèo áp dụng cho kỳ rà soát năm 1990"):
        call_command("reclassify", year=1990, stdout=StringIO())


def test_the_command_reports_a_failed_job(world, monkeypatch):
    def broken(**kwargs: Any) -> dict[str, int]:
        raise ValidationError("Chuẩn nghèo đang được nạp lại, hãy thử sau.")

    monkeypatch.setattr("gandan.households.tasks.assessments_reclassify", broken)
    with pytest.raises(CommandError, match="không hoàn thành: Chuẩn nghèo đang được nạp lại"):
        call_command("reclassify", year=YEAR, wait=True, no_progress=True, stdout=StringIO())
    assert Job.objects.get(kind=KIND).status == JobStatus.FAILED


# --- The screens --------------------------------------------------------------------------------


def test_a_specialist_starts_a_reclassification_and_follows_it(world, personas, client):
    lower_the_rural_line()
    specialist = specialist_of("46")
    client.force_login(specialist)
    page = client.get("/households/jobs/")
    assert page.status_code == 200
    assert "Bắt đầu phân loại lại" in page.content.decode()

    response = client.post("/households/jobs/", {"year": str(YEAR), "province": "46"})
    job = Job.objects.get(kind=KIND)
    assert response.status_code == 302
    assert response["Location"] == f"/households/jobs/{job.pk}/"
    assert job.created_by == specialist
    assert job.status == JobStatus.DONE

    detail = client.get(response["Location"]).content.decode()
    assert job.label in detail
    assert "Đã xong" in detail
    assert 'hx-trigger="every 1s"' not in detail  # finished: no more polling
    assert "Ghi đính chính có ngày" in detail
    listing = client.get("/households/jobs/").content.decode()
    assert f'href="/households/jobs/{job.pk}/"' in listing


def test_a_running_job_polls_every_second_and_htmx_gets_only_the_bar(personas, settings, client):
    settings.TASKS = DATABASE
    job = reclassify_job(year=YEAR, province_code="46")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=1200, total=4800)
    client.force_login(personas.leader)
    page = client.get(f"/households/jobs/{job.pk}/").content.decode()
    assert "<html" in page
    assert f'hx-get="/households/jobs/{job.pk}/"' in page
    assert 'hx-trigger="every 1s"' in page

    fragment = client.get(f"/households/jobs/{job.pk}/", headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in text
    assert text.lstrip().startswith('<div id="job-progress"')
    assert 'value="25"' in text  # 1.200 of 4.800
    assert "1.200 / 4.800 phiếu (25 %)" in text
    assert fragment["Cache-Control"].startswith("max-age=0")


def test_a_failed_job_shows_why(personas, client):
    job = reclassify_job(year=YEAR, province_code="46", enqueue=False)
    PovertyStandard.objects.filter(first_year__lte=YEAR, last_year__gte=YEAR).update(
        first_year=YEAR + 1
    )
    with pytest.raises(ValidationError):
        reclassify(job.pk)
    client.force_login(personas.leader)
    text = client.get(f"/households/jobs/{job.pk}/", headers={"HX-Request": "true"}).content
    assert "Gặp lỗi" in text.decode()
    assert f"Không có chuẩn nghèo áp dụng cho kỳ rà soát năm {YEAR}." in text.decode()


@pytest.mark.parametrize("persona", ["leader", "official_a", "viewer_a", "official_b"])
def test_nobody_but_a_specialist_may_start_one(personas, persona):
    client = personas.client(persona)
    page = client.get("/households/jobs/")
    assert page.status_code == 200
    assert "Bắt đầu phân loại lại" not in page.content.decode()
    response = client.post("/households/jobs/", {"year": str(YEAR), "province": "46"})
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_a_specialist_may_not_start_one_for_another_province(client):
    client.force_login(specialist_of("46"))
    response = client.post("/households/jobs/", {"year": str(YEAR), "province": "48"})
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_a_refusal_is_shown_on_the_form(settings, client):
    settings.TASKS = DATABASE
    client.force_login(specialist_of("46"))
    client.post("/households/jobs/", {"year": str(YEAR), "province": "46"})
    again = client.post("/households/jobs/", {"year": str(YEAR), "province": "46"})
    assert again.status_code == 400
    assert "chưa xong: hãy chờ tác vụ đó" in again.content.decode()
    assert Job.objects.count() == 1


def test_jobs_are_scoped_to_the_province(personas, settings, client):
    settings.TASKS = DATABASE
    hue = reclassify_job(year=YEAR, province_code="46")
    da_nang = reclassify_job(year=YEAR, province_code="48")
    expected = {"leader": 200, "official_a": 404, "viewer_a": 404, "official_b": 404}
    for persona, status in expected.items():
        c = personas.client(persona)
        assert c.get(f"/households/jobs/{hue.pk}/").status_code == status, persona
        assert c.get(f"/households/jobs/{da_nang.pk}/").status_code == 404, persona
        listing = c.get("/households/jobs/").content.decode()
        assert (hue.label in listing) == (status == 200), persona
        assert da_nang.label not in listing, persona
    client.force_login(specialist_of("48", username="chuyenvien_48"))
    assert client.get(f"/households/jobs/{hue.pk}/").status_code == 404
    assert client.get(f"/households/jobs/{da_nang.pk}/").status_code == 200
    admin = User.objects.create_superuser("quantri", password="x" * 12)
    client.force_login(admin)
    listing = client.get("/households/jobs/").content.decode()
    assert hue.label in listing and da_nang.label in listing
    assert "Bắt đầu phân loại lại" in listing


def test_another_kind_of_job_is_not_shown_here(personas, client, monkeypatch):
    from gandan.core import jobs

    monkeypatch.setitem(
        jobs.KINDS, "officials.export", jobs.JobKind(task="x.y", label="Xuất", summary="")
    )
    other = jobs.job_create(kind="officials.export", params={}, province_code="46")
    client.force_login(personas.leader)
    assert client.get(f"/households/jobs/{other.pk}/").status_code == 404
    assert "Xuất" not in client.get("/households/jobs/").content.decode()


def test_the_form_offers_the_years_of_loaded_standards_newest_first(client):
    client.force_login(specialist_of("46"))
    page = client.get("/households/jobs/").content.decode()
    this_year = timezone.localdate().year
    assert f'<option value="{this_year}"' in page
    assert f'<option value="{this_year + 1}"' not in page
    assert page.index(f'value="{YEAR}"') < page.index(f'value="{YEAR - 1}"')
