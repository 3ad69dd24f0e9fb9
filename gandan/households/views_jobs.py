"""Screens: background jobs of households — start a year's reclassification, follow its progress."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from gandan.core.models import Job, JobStatus
from gandan.geo.models import Unit
from gandan.households.selectors import jobs, places, years_with_data
from gandan.households.tasks import reclassify_job

LIST_SIZE = 50
# What the figures of a finished reclassification mean, in the order shown.
RESULT_ROWS = [
    ("checked", "Phiếu đã kiểm tra"),
    ("unchanged", "Giữ nguyên kết quả"),
    ("updated", "Cập nhật kết quả (năm chưa có quyết định công nhận)"),
    ("corrected", "Ghi đính chính có ngày (năm đã có quyết định, bản cũ được giữ)"),
]


def _number(value: int) -> str:
    """1234567 → "1.234.567" (Django's Vietnamese locale sets no grouping for intcomma)."""
    return f"{value:,}".replace(",", ".")


def _counts(job: Job) -> str:
    """Done of total as "1.200 / 4.800" once the job has counted its work, else empty."""
    if job.total is None:
        return ""
    return f"{_number(job.done)} / {_number(job.total)}"


class ReclassifyForm(forms.Form):
    year = forms.TypedChoiceField(label="Năm rà soát", coerce=int)
    province = forms.ChoiceField(label="Tỉnh, thành phố")

    def __init__(self, *args: Any, provinces: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = jobs.reclassify_years()
        cast(forms.ChoiceField, self.fields["province"]).choices = [
            (unit.province_code, unit.name) for unit in provinces
        ]
        with_data = years_with_data()
        if with_data and "year" not in self.initial:
            self.initial["year"] = with_data[-1]


@login_required
@require_http_methods(["GET", "POST"])
def job_list(request: HttpRequest) -> HttpResponse:
    """Jobs of the provinces in scope; a specialist of the province starts a reclassification."""
    provinces = places.start_provinces(request.user)
    form = None
    if request.method == "POST":
        if not provinces:
            raise Http404("Không tìm thấy trang.")
        form = ReclassifyForm(request.POST, provinces=provinces)
        if form.is_valid():
            try:
                job = reclassify_job(
                    year=form.cleaned_data["year"],
                    province_code=form.cleaned_data["province"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Đã yêu cầu: {job.label}.")
                return redirect("households:job", pk=job.pk)
    elif provinces:
        form = ReclassifyForm(provinces=provinces)
    found = jobs.household_jobs(request.user, LIST_SIZE)
    return render(
        request,
        "households/jobs.html",
        {
            "rows": [(job, _counts(job)) for job in found],
            "form": form,
            "list_size": LIST_SIZE,
        },
        status=400 if form is not None and form.errors else 200,
    )


def _result_rows(job: Job) -> list[tuple[str, str]]:
    if job.status != JobStatus.DONE:
        return []
    figures = {key: int(value) for key, value in job.result.items() if isinstance(value, int)}
    figures["unchanged"] = (
        figures.get("checked", 0) - figures.get("updated", 0) - figures.get("corrected", 0)
    )
    return [(label, _number(figures[key])) for key, label in RESULT_ROWS if key in figures]


@never_cache
@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One job: a progress bar while it runs (htmx asks again every second), then its figures."""
    job = jobs.household_job(request.user, pk)
    context = {"job": job, "counts": _counts(job), "result_rows": _result_rows(job)}
    if getattr(request, "htmx", False):
        return render(request, "households/jobs_progress.html", context)
    return render(request, "households/jobs_detail.html", context)
