"""``gandan.core.jobs``: a job's row through its statuses, its events, throttled progress, the
database backend with its worker, and who sees and starts jobs.

The test kind ``tests.count`` runs :func:`count_to`, a task defined here (django-tasks needs
a module-level function), so these tests do not depend on any app's work.
"""

from __future__ import annotations

import signal
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.models import DBTaskResult

from gandan.accounts.models import Role, User
from gandan.accounts.services import membership_grant
from gandan.core import jobs
from gandan.core.jobs import JobKind
from gandan.core.models import Event, Job, JobStatus
from gandan.geo.models import Level, Unit

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _count(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    n = int(job.params["n"])
    if n < 0:
        raise ValidationError("Không đếm được đến một số âm.")
    if n == 13:
        raise ZeroDivisionError("division by zero")
    for i in range(1, n + 1):
        progress(i, n)
    return {"counted": n}


@task()
def count_to(job_id: int) -> dict[str, Any]:
    return jobs.job_run(job_id, _count)


@pytest.fixture(autouse=True)
def _test_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        jobs.KINDS,
        "tests.count",
        JobKind(task=f"{__name__}.count_to", label="Đếm đến {n}", summary="Đã đếm đến {counted}."),
    )


@pytest.fixture
def immediate(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


@pytest.fixture
def database(settings: Any) -> None:
    settings.TASKS = DATABASE


def events_of(job: Job) -> list[str]:
    return list(
        Event.objects.filter(subject_type="core.job", subject_id=str(job.pk)).values_list(
            "kind", flat=True
        )
    )


def user(username: str, role: str, code: str) -> User:
    unit = Unit.objects.filter(code=code, valid_to__isnull=True).get()
    return membership_grant(username=username, role=role, unit=unit).user


# --- Through the immediate backend: the task runs inside job_enqueue ----------------------------


def test_enqueueing_runs_the_task_with_the_job_id_and_records_its_result(immediate, personas):
    job = jobs.job_enqueue(
        kind="tests.count", params={"n": 5}, actor=personas.leader, province_code="46"
    )
    assert job.status == JobStatus.DONE
    assert (job.done, job.total) == (5, 5)
    assert job.percent == 100
    assert job.result == {"counted": 5}
    assert job.message == "Đã đếm đến 5."
    assert job.label == "Đếm đến 5"
    assert job.created_by == personas.leader
    assert job.task_id
    assert job.started_at is not None and job.finished_at is not None
    assert job.created_at <= job.started_at <= job.finished_at
    assert events_of(job) == ["job.queued", "job.started", "job.done"]
    assert set(
        Event.objects.filter(subject_id=str(job.pk), subject_type="core.job").values_list(
            "province_code", flat=True
        )
    ) == {"46"}


def test_a_refusal_of_the_work_marks_the_job_failed_with_its_own_words(immediate):
    job = jobs.job_enqueue(kind="tests.count", params={"n": -1})
    assert job.status == JobStatus.FAILED
    assert job.error == "Không đếm được đến một số âm."
    assert job.result == {}
    assert job.finished_at is not None
    assert events_of(job) == ["job.queued", "job.started", "job.failed"]


def test_an_unexpected_error_is_recorded_with_its_class(immediate):
    job = jobs.job_enqueue(kind="tests.count", params={"n": 13})
    assert job.status == JobStatus.FAILED
    assert "ZeroDivisionError" in job.error
    assert "quản trị viên" in job.error
    failed = Event.objects.get(subject_id=str(job.pk), kind="job.failed")
    assert failed.data["error"] == "ZeroDivisionError"


def test_a_job_stopped_by_its_worker_says_so():
    assert "bị dừng giữa chừng" in jobs.describe_error(SystemExit(1))
    assert "bị dừng giữa chừng" in jobs.describe_error(KeyboardInterrupt())


def test_a_job_runs_only_once(immediate):
    job = jobs.job_enqueue(kind="tests.count", params={"n": 2})
    with pytest.raises(RuntimeError, match="runs only once"):
        jobs.job_run(job.pk, _count)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert events_of(job).count("job.started") == 1


def test_an_unknown_kind_is_refused_before_anything_is_written():
    before = Job.objects.count()
    with pytest.raises(ValueError, match="Unknown job kind"):
        jobs.job_enqueue(kind="tests.nothing", params={})
    assert Job.objects.count() == before


class RefusingBackend(ImmediateBackend):
    """A queue that does not answer (the outside world)."""

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        raise ConnectionError("hàng đợi không trả lời")


def test_a_queue_that_refuses_the_task_leaves_the_job_failed_not_waiting(settings):
    settings.TASKS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    with pytest.raises(ConnectionError):
        jobs.job_enqueue(kind="tests.count", params={"n": 1})
    job = Job.objects.latest("pk")
    assert job.status == JobStatus.FAILED
    assert "ConnectionError" in job.error
    assert events_of(job) == ["job.queued", "job.failed"]


# --- Through the database backend: queued until a worker takes it ------------------------------


@pytest.fixture
def restore_signals():
    # db_worker installs its own handlers for a clean shutdown; give pytest its own back.
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def test_the_database_backend_queues_the_job_until_db_worker_runs_it(
    database, restore_signals, monkeypatch
):
    job = jobs.job_enqueue(kind="tests.count", params={"n": 3}, province_code="46")
    assert job.status == JobStatus.QUEUED
    assert (job.done, job.total) == (0, None)
    assert job.percent == 0
    queued = DBTaskResult.objects.get(id=job.task_id)
    assert queued.task_path == f"{__name__}.count_to"
    assert queued.args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert jobs.runs_in_background()

    # The worker drops "stale" connections between tasks; inside a test's transaction that
    # would be ours, so it keeps it here.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO())

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.done, job.total, job.result) == (3, 3, {"counted": 3})
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert queued.return_value == {"counted": 3}
    assert events_of(job) == ["job.queued", "job.started", "job.done"]


def test_only_the_database_backend_counts_as_running_in_the_background(settings):
    settings.TASKS = IMMEDIATE
    assert not jobs.runs_in_background()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert not jobs.runs_in_background()
    settings.TASKS = DATABASE
    assert jobs.runs_in_background()


# --- Progress ----------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def counters(job: Job) -> tuple[int, int | None]:
    job.refresh_from_db()
    return job.done, job.total


def test_progress_writes_the_first_call_then_at_most_every_half_second_and_always_the_end():
    job = jobs.job_create(kind="tests.count", params={"n": 10})
    clock = Clock()
    seen: list[tuple[int, int]] = []
    report = jobs.progress(job.pk, clock=clock, echo=lambda d, t: seen.append((d, t)))

    report(1, 10)
    assert counters(job) == (1, 10)
    clock.now += 0.2
    report(2, 10)
    assert counters(job) == (1, 10)  # too soon: not written
    clock.now += 0.2
    report(3, 10)
    assert counters(job) == (1, 10)
    clock.now += 0.2  # 0.6 s after the last write
    report(4, 10)
    assert counters(job) == (4, 10)
    clock.now += 0.1
    report(10, 10)  # the end is written however soon it comes
    assert counters(job) == (10, 10)
    assert seen == [(1, 10), (2, 10), (3, 10), (4, 10), (10, 10)]


def test_progress_keeps_done_within_total():
    job = jobs.job_create(kind="tests.count", params={"n": 3})
    report = jobs.progress(job.pk)
    report(7, 3)
    assert counters(job) == (3, 3)
    report(-2, 0)
    assert counters(job) == (0, 0)


def test_a_job_with_nothing_to_do_is_done_at_one_hundred_percent(immediate):
    job = jobs.job_enqueue(kind="tests.count", params={"n": 0})
    assert job.status == JobStatus.DONE
    assert (job.done, job.total, job.percent) == (0, None, 100)


# --- Scope -------------------------------------------------------------------------------------


@pytest.fixture
def two_jobs() -> tuple[Job, Job]:
    return (
        jobs.job_create(kind="tests.count", params={"n": 1}, province_code="46"),
        jobs.job_create(kind="tests.count", params={"n": 1}, province_code="48"),
    )


@pytest.mark.parametrize(
    ("persona", "sees_hue"),
    [
        ("leader", True),
        ("official_a", False),
        ("viewer_a", False),
        ("official_b", False),
        ("anonymous", False),
    ],
)
def test_jobs_are_seen_by_roles_covering_their_province(personas, two_jobs, persona, sees_hue):
    hue, da_nang = two_jobs
    seen = set(jobs.jobs_in_scope(personas.user(persona)))
    assert seen == ({hue} if sees_hue else set())
    with pytest.raises(Http404):
        jobs.access_job(personas.user(persona), da_nang.pk)
    if sees_hue:
        assert jobs.access_job(personas.user(persona), hue.pk) == hue
    else:
        with pytest.raises(Http404):
            jobs.access_job(personas.user(persona), hue.pk)


def test_a_superuser_sees_every_job_and_a_missing_one_is_404(two_jobs):
    admin = User.objects.create_superuser("quantri", password="gandan-test-2026")
    assert set(jobs.jobs_in_scope(admin)) == set(two_jobs)
    with pytest.raises(Http404):
        jobs.access_job(admin, max(job.pk for job in two_jobs) + 1)


def test_only_a_specialist_of_the_province_or_a_superuser_may_start(personas):
    specialist = user("chuyenvien_46", Role.PROVINCE_SPECIALIST, "46")
    other = user("chuyenvien_48", Role.PROVINCE_SPECIALIST, "48")
    admin = User.objects.create_superuser("quantri", password="gandan-test-2026")
    assert Unit.objects.filter(code="46", level=Level.PROVINCE).exists()
    assert jobs.may_start(specialist, "46")
    assert not jobs.may_start(specialist, "48")
    assert jobs.may_start(other, "48") and not jobs.may_start(other, "46")
    assert jobs.provinces_to_start(specialist) == {"46"}
    assert jobs.may_start(admin, "46") and jobs.provinces_to_start(admin) is None
    for name in ("leader", "official_a", "viewer_a", "official_b", "anonymous"):
        assert not jobs.may_start(personas.user(name), "46"), name
    specialist.is_active = False
    specialist.save()
    assert not jobs.may_start(specialist, "46")
    assert not set(jobs.jobs_in_scope(specialist))
