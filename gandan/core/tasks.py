"""Background tasks of core: computing kept figures again (``gandan.core.figures``) and
importing a large file (``gandan.core.imports.background``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django_tasks import task

from gandan.core.figures import figures_refresh_now
from gandan.core.jobs import Progress, job_run
from gandan.core.models import Job


@task()
def figures_refresh(key: str) -> None:
    """Compute the kept figures ``key`` again, for the next requests."""
    figures_refresh_now(key)


@task()
def import_file(job_id: int) -> None:
    """Import the file a job keeps aside, all or nothing, reporting the rows read as progress;
    the file is deleted once read, whatever the outcome."""
    job_run(job_id, _import)


def _import(job: Job, progress: Progress) -> dict[str, Any]:
    from gandan.core.imports import report_as_json, run_import
    from gandan.core.imports.background import upload_dir

    params = job.params
    path = upload_dir() / Path(str(params["file"])).name  # a name, never a path
    try:
        report = run_import(
            str(params["importer"]),
            path,
            filename=str(params["filename"]),
            dry_run=bool(params["dry_run"]),
            user=job.created_by,
            progress=progress,
            rows=int(params["rows"]),
        )
    finally:
        path.unlink(missing_ok=True)
    return {"summary": report.summary(), "ok": report.ok, "report": report_as_json(report)}
