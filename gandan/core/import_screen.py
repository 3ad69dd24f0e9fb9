"""The one import screen: upload a spreadsheet, read the row-by-row report of a dry run or of a
refused file, or save every row at once — for each kind of import an app declares.

An app describes its import as an :class:`ImportScreen` (which importer of
:mod:`gandan.core.imports` runs, who may use the screen, its titles and limits, what else its
page shows) and routes a URL to :func:`import_view`. Its template extends ``core/import.html``
and fills in the blocks that explain its file layout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from gandan.core.imports import (
    FORMATS,
    background,
    estimate_rows,
    file_format,
    report_from_json,
    run_import,
)
from gandan.core.jobs import access_own_job
from gandan.core.models import JobStatus


@dataclass(frozen=True)
class ImportScreen:
    """One kind of import as its screen offers it."""

    kind: str  # the importer's name in gandan.core.imports (as `gandan import KIND FILE`)
    template: str  # extends core/import.html
    title: str  # the page's heading
    url_name: str  # where the form posts and a saved import returns, e.g. "households:import"
    file_label: str  # the file field's label, e.g. "Tệp danh sách (.xlsx hoặc .csv)"
    max_mb: int  # the largest file accepted
    too_big_hint: str  # how to make a file small enough, after "tối đa N MB."
    may_import: Callable[[Any], bool]  # who gets the screen (404 for others)
    page: Callable[[HttpRequest], dict[str, Any]] = field(default=lambda request: {})


class ImportForm(forms.Form):
    """A spreadsheet (.xlsx or .csv) of at most ``max_mb`` megabytes, and "only check it"."""

    file = forms.FileField(
        error_messages={
            "required": "Hãy chọn tệp để nhập.",
            "empty": "Tệp trống.",
            "invalid": "Không nhận được tệp: hãy chọn lại.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(label="Chỉ kiểm tra (không lưu)", required=False)

    def __init__(self, *args: Any, screen: ImportScreen, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.screen = screen
        self.fields["file"].label = screen.file_label

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        size = upload.size or 0
        if size > self.screen.max_mb * 1024 * 1024:
            raise forms.ValidationError(
                f"Tệp quá lớn ({size / 1024 / 1024:.1f} MB): tối đa {self.screen.max_mb} MB. "
                + self.screen.too_big_hint
            )
        if Path(upload.name or "").suffix.lower() not in FORMATS:
            raise forms.ValidationError("Chỉ nhận tệp .xlsx hoặc .csv.")
        return upload


def _render(
    request: HttpRequest, screen: ImportScreen, form: ImportForm, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "form": form,
        "title": screen.title,
        "max_mb": screen.max_mb,
        "action": screen.url_name,
        **screen.page(request),
        **extra,
    }
    return render(request, screen.template, context, status=status)


def _job_page(request: HttpRequest, screen: ImportScreen) -> HttpResponse:
    """A background import: its progress while it runs (htmx asks again every second and the
    page reloads when it ends), then its report as for a file imported on the spot."""
    try:
        job_id = int(request.GET["job"])
    except ValueError:
        raise Http404("Không tìm thấy tác vụ.") from None
    job = access_own_job(request.user, job_id, kind=background.IMPORT_JOB)
    if job.params.get("importer") != screen.kind:
        raise Http404("Không tìm thấy tác vụ.")
    if getattr(request, "htmx", False):
        if job.is_finished:
            return HttpResponse(headers={"HX-Refresh": "true"})
        return render(request, "core/_import_job.html", {"job": job, "action": screen.url_name})
    report = None
    if job.status == JobStatus.DONE:
        report = report_from_json(job.result["report"])
    return _render(
        request,
        screen,
        ImportForm(screen=screen),
        200 if report is None or report.ok else 400,
        job=job,
        report=report,
        filename=job.params.get("filename", ""),
    )


def import_view(screen: ImportScreen) -> Callable[[HttpRequest], HttpResponse]:
    """The view of ``screen``: all rows are saved, or none, with a row-by-row report."""

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest) -> HttpResponse:
        if not screen.may_import(request.user):
            raise Http404("Không tìm thấy trang.")
        if request.method != "POST":
            if "job" in request.GET:
                return _job_page(request, screen)
            return _render(request, screen, ImportForm(screen=screen))
        form = ImportForm(request.POST, request.FILES, screen=screen)
        if not form.is_valid():
            return _render(request, screen, form, 400)
        upload: UploadedFile = form.cleaned_data["file"]
        source = cast("IO[bytes]", upload.file)  # a received upload always has its file
        name = upload.name or ""
        dry_run = form.cleaned_data["dry_run"]
        rows = estimate_rows(source, file_format(name))
        if rows > background.BACKGROUND_ROWS:
            job = background.import_in_background(
                screen.kind, source, filename=name, dry_run=dry_run, user=request.user, rows=rows
            )
            return redirect(f"{reverse(screen.url_name)}?{urlencode({'job': job.pk})}")
        report = run_import(screen.kind, source, filename=name, dry_run=dry_run, user=request.user)
        if report.ok and not report.dry_run:
            messages.success(request, report.summary())
            return redirect(screen.url_name)
        return _render(
            request,
            screen,
            ImportForm(screen=screen),
            200 if report.ok else 400,
            report=report,
            filename=upload.name,
        )

    view.__doc__ = f"Upload a file for the {screen.kind!r} import; all rows are saved, or none."
    return view
