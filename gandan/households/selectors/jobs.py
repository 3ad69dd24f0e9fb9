"""The background jobs of households a screen lists, and the review years one may be asked for."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone

from gandan.core.jobs import access_job, jobs_in_scope
from gandan.core.models import Job
from gandan.households.models import PovertyStandard

__all__ = ["household_job", "household_jobs", "reclassify_years"]

KIND_PREFIX = "households."


def household_jobs(user: Any, limit: int) -> list[Job]:
    """The latest households jobs of the provinces in the user's scope."""
    jobs = jobs_in_scope(user).filter(kind__startswith=KIND_PREFIX).select_related("created_by")
    return list(jobs[:limit])


def household_job(user: Any, job_id: int) -> Job:
    """A households job in the user's scope; 404 for any other job, as for a missing one."""
    job = access_job(user, job_id)
    if not job.kind.startswith(KIND_PREFIX):
        raise Http404("Không tìm thấy tác vụ.")
    return job


def reclassify_years() -> list[tuple[int, str]]:
    """Review years a loaded standard covers, up to this year, newest first, with the standard."""
    this_year = timezone.localdate().year
    choices = []
    for standard in PovertyStandard.objects.order_by("-first_year"):
        for year in range(min(standard.last_year, this_year), standard.first_year - 1, -1):
            choices.append((year, f"{year} — {standard.legal_basis}"))
    return choices
