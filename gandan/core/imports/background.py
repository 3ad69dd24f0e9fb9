"""A large import runs as a background job: the file is kept aside, the screen returns at once
and follows the job's progress; the job's result holds the row-by-row report."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from gandan.core.imports.reading import file_format

IMPORT_JOB = "core.import"
BACKGROUND_ROWS = 2_000  # a file of more data rows is imported by a background job


def upload_dir() -> Path:
    """Where files wait for their job: under the media folder, which no view serves whole."""
    return Path(settings.MEDIA_ROOT) / "imports"


def import_in_background(
    kind: str, upload: IO[bytes], *, filename: str, dry_run: bool, user: Any, rows: int
) -> Any:
    """Keep ``upload`` aside and enqueue the job that imports it (``gandan.core.tasks``)."""
    from gandan.core.jobs import job_enqueue

    suffix = Path(filename).suffix.lower()
    file_format(filename)  # .xlsx or .csv only, as the screen checked
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored = folder / f"{uuid.uuid4().hex}{suffix}"
    upload.seek(0)
    with open(stored, "wb") as out:
        for chunk in iter(lambda: upload.read(1 << 20), b""):
            out.write(chunk)
    stored.chmod(0o600)
    return job_enqueue(
        kind=IMPORT_JOB,
        params={
            "importer": kind,
            "file": stored.name,
            "filename": filename,
            "dry_run": dry_run,
            "rows": rows,
        },
        actor=user,
        label=f"{'Kiểm tra' if dry_run else 'Nhập'} tệp {filename}",
    )
