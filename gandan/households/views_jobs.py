"""Screens: background jobs of households — start a year's reclassification, follow its progress."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from gandan.core.jobs import access_job, jobs_in_scope, provinces_to_start
from gandan.core.models import Job, JobStatus
from gandan.geo.models import Level, Unit
from gandan.households.models import PovertyStandard
from gandan.households.selectors import years_with_data
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


def _provinces_to_start(user: Any) -> list[Unit]:
    """The current provinces where the user may start a job."""
    codes = provinces_to_start(user)
    if codes == set():
        return []
    provinces = Unit.objects.filter(level=Level.PROVINCE).valid_on(timezone.localdate())
    if codes is not None:
        provinces = provinces.filter(province_code__in=codes)
    return list(provinces.order_by("name"))


def _year_choices() -> list[tuple[int, str]]:
    """Review years a loaded standard covers, up to this year, newest first."""
    this_year = timezone.localdate().year
    choices = []
    for standard in PovertyStandard.objects.order_by("-first_year"):
        for year in range(min(standard.last_year, this_year), standard.first_year - 1, -1):
            choices.append((year, f"{year} — {standard.legal_basis}"))
    return choices


class ReclassifyForm(forms.Form):
    year = forms.TypedChoiceField(label="Năm rà soát", coerce=int)
    province = forms.ChoiceField(label="Tỉnh, thành phố")

    def __init__(self, *args: Any, provinces: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = _year_choices()
        cast(forms.ChoiceField, self.fields["province"]).choices = [
            (unit.province_code, unit.name) for unit in provinces
        ]
        with_data = years_with_data()
        if with_data and "year" not in self.initial:
            self.initial["year"] = with_data[-1]


def _kind_jobs(user: Any) -> Any:
    return jobs_in_scope(user).filter(kind__startswith="households.")


@login_required
@require_http_methods(["GET", "POST"])
def job_list(request: HttpRequest) -> HttpResponse:
    """Jobs of the provinces in scope; a specialist of the province starts a reclassification."""
    provinces = _provinces_to_start(request.user)
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
    jobs = list(_kind_jobs(request.user).select_related("created_by")[:LIST_SIZE])
    return render(
        request,
        "households/jobs.html",
        {
            "rows": [(job, _counts(job)) for job in jobs],
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
    job = access_job(request.user, pk)
    if not job.kind.startswith("households."):
        raise Http404("Không tìm thấy tác vụ.")
    context = {"job": job, "counts": _counts(job), "result_rows": _result_rows(job)}
    if getattr(request, "htmx", False):
        return render(request, "households/jobs_progress.html", context)
    return render(request, "households/jobs_detail.html", context)
