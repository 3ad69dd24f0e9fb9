"""Background tasks of households: classifying a year's households again after a rule correction.

Started from the jobs screen or ``gandan reclassify`` through ``gandan.core.jobs``; the task
receives only the job's id and reads its parameters (year, province) from the job.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django_tasks import task

from gandan.core.jobs import Progress, job_create, job_enqueue, job_run
from gandan.core.models import Job, JobStatus
from gandan.geo.models import Level, Unit
from gandan.households.services import assessments_reclassify, standard_for_year

KIND = "households.reclassify"


def reclassify_job(
    *, year: int, province_code: str | None = None, actor: Any = None, enqueue: bool = True
) -> Job:
    """Ask for the reclassification of ``year`` in a province (every province if None).

    Refused (ValidationError) when no standard covers the year, the province does not exist,
    or the same reclassification is still waiting or running. With ``enqueue=False`` the job
    is only created, for the caller to run with :func:`reclassify`.
    """
    standard = standard_for_year(year)
    where = "mọi tỉnh, thành phố"
    if province_code:
        province = (
            Unit.objects.filter(level=Level.PROVINCE, code=province_code)
            .order_by("-valid_from")
            .first()
        )
        if province is None:
            raise ValidationError({"province": f"Không có tỉnh, thành phố mã {province_code}."})
        where = province.name
    busy = Job.objects.filter(
        kind=KIND,
        province_code=province_code or "",
        params__year=year,
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
    ).first()
    if busy is not None:
        raise ValidationError(
            f"Việc phân loại lại năm {year} của {where} đã được yêu cầu (tác vụ số {busy.pk}) "
            "và chưa xong: hãy chờ tác vụ đó."
        )
    start = job_enqueue if enqueue else job_create
    return start(
        kind=KIND,
        params={"year": year, "province_code": province_code or ""},
        actor=actor,
        province_code=province_code or "",
        label=f"Phân loại lại hộ nghèo, cận nghèo năm {year} — {where} "
        f"(theo {standard.legal_basis})",
    )


def reclassify(job_id: int, *, echo: Progress | None = None) -> dict[str, Any]:
    """Do the job in this process: what the task does, and what ``--wait`` calls directly."""

    def work(job: Job, progress: Progress) -> dict[str, Any]:
        return assessments_reclassify(
            year=int(job.params["year"]),
            province_code=job.params.get("province_code") or None,
            progress=progress,
            actor=job.created_by,
        )

    return job_run(job_id, work, echo=echo)


@task()
def reclassify_year(job_id: int) -> dict[str, Any]:
    """Classify the current assessments of the job's year again under the standard as loaded.

    Rows whose standing does not change are left alone; in a decided (locked) year a change is
    a dated correction, elsewhere the row is updated (see ``assessments_reclassify``).
    """
    return reclassify(job_id)
