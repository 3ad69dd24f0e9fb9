"""The one filter of the staff report list, read by the queue (``/feedback/staff/``) and the API
(``/api/v1/feedback/reports/``).

Both sides bind the query string to :class:`StaffReportFilter` and take its ``qs``; they differ
only in their default status (the queue shows the open reports, the API all of them) and in what
they do with a bad field (the screen reports it and ignores it, the API answers 400).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.utils import timezone

from gandan.core.filters import SelectorFilterSet
from gandan.feedback.models import Category, Report, Status
from gandan.feedback.selectors import staff_reports

STATUS_FILTERS = [("open", "Đang mở (chưa trả lời)"), ("all", "Tất cả"), *Status.choices]


class StaffReportFilter(SelectorFilterSet):
    """The reports in the user's scope by status, category, handling unit and lateness."""

    status = django_filters.ChoiceFilter(
        label="Trạng thái",
        method="_read_by_selector",
        choices=STATUS_FILTERS,
        empty_label=None,
        error_messages={"invalid_choice": "Trạng thái không hợp lệ; đang hiện các phản ánh mở."},
        help_text="Trạng thái; “open” cho mọi phản ánh chưa trả lời, “all” cho tất cả",
    )
    category = django_filters.ModelChoiceFilter(
        label="Lĩnh vực",
        method="_read_by_selector",
        queryset=Category.objects.all(),
        to_field_name="code",
        empty_label="Tất cả lĩnh vực",
        error_messages={"invalid_choice": "Lĩnh vực không hợp lệ; đang hiện tất cả."},
        help_text="Mã lĩnh vực, ví dụ roads",
    )
    unit = django_filters.CharFilter(
        label="Đơn vị xử lý",
        method="_read_by_selector",
        max_length=10,
        help_text="Mã đơn vị xử lý (gồm cả các đơn vị trực thuộc), ví dụ 19789",
    )
    overdue = django_filters.BooleanFilter(
        label="Chỉ phản ánh quá hạn",
        method="_read_by_selector",
        widget=forms.CheckboxInput,
        help_text="Chỉ phản ánh đang mở đã quá hạn xử lý",
    )

    class Meta:
        model = Report
        fields = ["status", "category", "unit", "overdue"]

    def __init__(
        self,
        data: Any = None,
        *,
        user: Any,
        now: dt.datetime | None = None,
        default_status: str = "all",
        **kwargs: Any,
    ) -> None:
        super().__init__(data, user=user, **kwargs)
        self.now = now or timezone.now()
        self.default_status = default_status

    def status_shown(self) -> str:
        """The status asked for, or the default when none (or a bad one) was given."""
        self.form.is_valid()
        status: str = self.form.cleaned_data.get("status") or self.default_status
        return status

    def filter_queryset(self, queryset: Any) -> Any:
        data = self.form.cleaned_data
        return staff_reports(
            self.user,
            now=self.now,
            status=self.status_shown(),
            category=data.get("category"),
            unit_code=(data.get("unit") or "").strip(),
            overdue=bool(data.get("overdue")),
        )
