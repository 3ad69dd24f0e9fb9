"""Background jobs with progress: a ``Job`` row per run, a django-tasks task that does the work.

:func:`job_enqueue` writes the row and enqueues the task registered for its kind in
``KINDS``, passing only the job's id. The task wraps its work in :func:`job_run`, which moves
the row through its statuses (an event for each, as for any state change) and hands the work
a :func:`progress` callback whose writes are throttled, so screens can poll the row. Which
backend runs the task is the ``TASKS`` setting (docs/decisions/0003): the database backend,
whose ``gandan db_worker`` ``gandan serve`` starts, or the immediate backend, which runs the
task inside the call to ``job_enqueue``.

A job works on a whole province: it is in the scope of whoever's roles cover the province,
and only the province's specialists (or a superuser) start one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string

from gandan.core.actors import acting_user
from gandan.core.events import JobEvent
from gandan.core.models import Job, JobStatus
from gandan.core.services import event_record

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # progress(done, total)
PROGRESS_EVERY = 0.5  # seconds between two progress writes of one job


@dataclass(frozen=True)
class JobKind:
    task: str  # import path of the django-tasks task; it is called with the job's id
    label: str  # the job's name on screens, formatted with its params
    summary: str  # the line shown when it is done, formatted with its result


KINDS: dict[str, JobKind] = {
    "core.import": JobKind(
        task="gandan.core.tasks.import_file",
        label="Nhập tệp {filename}",
        summary="{summary}",
    ),
    "households.reclassify": JobKind(
        task="gandan.households.tasks.reclassify_year",
        label="Phân loại lại hộ nghèo, cận nghèo năm {year}",
        summary="Đã kiểm tra {checked} phiếu: {updated} phiếu được cập nhật, "
        "{corrected} phiếu được ghi đính chính có ngày.",
    ),
}


def _kind(kind: str) -> JobKind:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(
            f"Unknown job kind {kind!r}; register it in gandan.core.jobs.KINDS"
        ) from None


# --- Asking for work ---------------------------------------------------------------------------


@transaction.atomic
def job_create(
    *,
    kind: str,
    params: dict[str, Any],
    actor: Any = None,
    province_code: str = "",
    label: str = "",
) -> Job:
    """The job's row, queued, without enqueueing anything (``gandan reclassify --wait`` runs it
    in its own process with :func:`job_run`)."""
    spec = _kind(kind)
    job = Job.objects.create(
        kind=kind,
        label=(label or spec.label.format(**params))[:200],
        params=params,
        province_code=province_code,
        created_by=acting_user(actor),
        message="Đang chờ tiến trình chạy nền nhận việc.",
    )
    event_record(
        kind=JobEvent.QUEUED,
        subject=job,
        actor=actor,
        data={"kind": kind, "params": params},
    )
    return job


def job_enqueue(
    *,
    kind: str,
    params: dict[str, Any],
    actor: Any = None,
    province_code: str = "",
    label: str = "",
) -> Job:
    """Create the job and enqueue its task with the job's id; return the row as it is now.

    With the database backend the task's row is written in the caller's transaction, if any,
    so a worker never sees a task whose job is not committed. With the immediate backend the
    task has already run when this returns.
    """
    task = import_string(_kind(kind).task)
    job = job_create(
        kind=kind, params=params, actor=actor, province_code=province_code, label=label
    )
    try:
        result = task.enqueue(job.pk)
    except Exception as error:
        job_fail(job.pk, error)
        raise
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def runs_in_background() -> bool:
    """Whether enqueued tasks go to a worker (not run on the spot, nor only stored)."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks.backends.dummy import DummyBackend
    from django_tasks.backends.immediate import ImmediateBackend

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    return not isinstance(backend, ImmediateBackend | DummyBackend)


# --- Doing it ----------------------------------------------------------------------------------


def progress(
    job_id: int,
    *,
    every: float = PROGRESS_EVERY,
    echo: Progress | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Progress:
    """A ``progress(done, total)`` callback for the work of a job.

    It writes the job's counters at most once every ``every`` seconds, and always for the
    first call and the last step (``done == total``), so a long job costs a few writes a
    second however often it reports. ``echo`` also receives every call (a terminal's bar).
    """
    last_write: float | None = None

    def report(done: int, total: int) -> None:
        nonlocal last_write
        total = max(total, 0)
        done = min(max(done, 0), total)
        if echo is not None:
            echo(done, total)
        now = clock()
        if last_write is not None and done < total and now - last_write < every:
            return
        last_write = now
        Job.objects.filter(pk=job_id).update(done=done, total=total)

    return report


@transaction.atomic
def job_start(job_id: int) -> Job:
    job = Job.objects.select_for_update().get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        raise RuntimeError(f"Job {job_id} is {job.status}, not queued: it runs only once")
    job.status = JobStatus.RUNNING
    job.started_at = timezone.now()
    job.message = "Đang thực hiện."
    job.save(update_fields=["status", "started_at", "message"])
    event_record(kind=JobEvent.STARTED, subject=job, actor=job.created_by, data={"kind": job.kind})
    return job


@transaction.atomic
def job_finish(job_id: int, result: dict[str, Any]) -> Job:
    job = Job.objects.select_for_update().get(pk=job_id)
    job.status = JobStatus.DONE
    job.finished_at = timezone.now()
    job.result = result
    if job.total is not None:
        job.done = job.total
    # Whole numbers as Vietnamese write them: 1.675, not 1675 or 1,675.
    figures = {
        key: f"{value:,}".replace(",", ".") if isinstance(value, int) else value
        for key, value in result.items()
    }
    try:
        job.message = _kind(job.kind).summary.format(**figures)
    except (KeyError, IndexError, ValueError):
        job.message = "Đã xong."
    job.save(update_fields=["status", "finished_at", "result", "done", "message"])
    event_record(
        kind=JobEvent.DONE,
        subject=job,
        actor=job.created_by,
        data={"kind": job.kind, "result": result},
    )
    return job


def describe_error(error: BaseException) -> str:
    """What went wrong, in words a user can act on (the services' own messages are Vietnamese)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, KeyboardInterrupt | SystemExit):
        return (
            "Tác vụ bị dừng giữa chừng vì tiến trình chạy nền đã tắt. "
            "Phần đã làm xong được giữ nguyên; hãy chạy lại tác vụ."
        )
    return f"Lỗi hệ thống ({type(error).__name__}: {error}). Hãy báo cho quản trị viên."


@transaction.atomic
def job_fail(job_id: int, error: BaseException) -> Job:
    job = Job.objects.select_for_update().get(pk=job_id)
    job.status = JobStatus.FAILED
    job.finished_at = timezone.now()
    job.error = describe_error(error)
    job.message = "Không hoàn thành."
    job.save(update_fields=["status", "finished_at", "error", "message"])
    event_record(
        kind=JobEvent.FAILED,
        subject=job,
        actor=job.created_by,
        data={"kind": job.kind, "error": type(error).__name__, "done": job.done},
    )
    return job


def job_run(
    job_id: int,
    work: Callable[[Job, Progress], dict[str, Any]],
    *,
    echo: Progress | None = None,
) -> dict[str, Any]:
    """Run ``work(job, progress)`` as the job: running, then done with its result, or failed
    with the reason (the exception is raised again, so the task's own result is failed too).

    Not one transaction: the work commits as it goes, so others see its progress.
    """
    job = job_start(job_id)
    try:
        result = work(job, progress(job_id, echo=echo))
    except BaseException as error:
        if not isinstance(error, ValidationError):
            logger.exception("Job %s (%s) failed", job_id, job.kind)
        job_fail(job_id, error)
        raise
    job_finish(job_id, result)
    return result


# --- Who sees and starts jobs ------------------------------------------------------------------


def jobs_in_scope(user: Any) -> QuerySet[Job]:
    """Jobs of the provinces the user's roles cover as a whole (a commune role covers none)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Job.objects.none()
    if user.is_superuser:
        return Job.objects.all()
    from gandan.accounts.access import units_in_scope
    from gandan.geo.models import Level

    provinces = units_in_scope(user).filter(level=Level.PROVINCE).values("province_code")
    return Job.objects.filter(province_code__in=provinces)


def access_job(user: Any, job_id: int) -> Job:
    """The job, if in the user's scope; 404 if it is missing or outside it."""
    try:
        return jobs_in_scope(user).select_related("created_by").get(pk=job_id)
    except Job.DoesNotExist:
        raise Http404("Không tìm thấy tác vụ.") from None


def access_own_job(user: Any, job_id: int, *, kind: str) -> Job:
    """A job of ``kind`` the user asked for (a superuser: anyone's); 404 for any other."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404("Không tìm thấy tác vụ.")
    jobs = Job.objects.filter(kind=kind)
    if not user.is_superuser:
        jobs = jobs.filter(created_by=user)
    try:
        return jobs.get(pk=job_id)
    except Job.DoesNotExist:
        raise Http404("Không tìm thấy tác vụ.") from None


def provinces_to_start(user: Any) -> set[str] | None:
    """Codes of the provinces where the user may start province-wide work (None: any)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    from gandan.accounts.access import current_memberships
    from gandan.accounts.models import Role
    from gandan.geo.models import Level

    return {
        m.unit.province_code
        for m in current_memberships(user)
        if m.role == Role.PROVINCE_SPECIALIST and m.unit.level == Level.PROVINCE
    }


def may_start(user: Any, province_code: str) -> bool:
    """Province-wide work is started by a specialist of that province, or a superuser."""
    codes = provinces_to_start(user)
    return codes is None or province_code in codes
