"""The dossier list's filters: one ``FilterSet`` for the desk's list and ``GET /api/v1/dossiers/``."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from gandan.core.forms import DATE_FORMATS
from gandan.core.text import fold
from gandan.onestop.forms import DossierFilterForm
from gandan.onestop.models import Channel, Dossier, Procedure, Status


def _date(label: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        label=label,
        method="_received",
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm."},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _coded(label: str, choices: list[tuple[int, str]]) -> django_filters.TypedChoiceFilter:
    """One of a model's numbered choices, or all of them."""
    return django_filters.TypedChoiceFilter(
        label=label,
        coerce=int,
        empty_value=None,
        choices=[("", "Tất cả"), *choices],
        error_messages={"invalid_choice": f"{label} không hợp lệ; đang hiện tất cả."},
    )


class DossierFilter(django_filters.FilterSet):  # type: ignore[misc]
    """Code or applicant's name (with or without diacritics), status, procedure, channel,
    the receiving unit's code, and the days received. A value that does not parse is reported
    on the form and left out; the others still apply."""

    q = django_filters.CharFilter(
        label="Mã hồ sơ hoặc tên người nộp", method="_search", max_length=100
    )
    status = _coded("Trạng thái", Status.choices)
    procedure = django_filters.ModelChoiceFilter(
        label="Thủ tục",
        field_name="version__procedure",
        queryset=Procedure.objects.order_by("field", "name"),
        empty_label="Tất cả",
        error_messages={"invalid_choice": "Thủ tục không có; đang hiện tất cả."},
    )
    channel = _coded("Hình thức nộp", Channel.choices)
    unit = django_filters.CharFilter(label="Mã đơn vị tiếp nhận", field_name="unit__code")
    received_from = _date("Tiếp nhận từ ngày")
    received_to = _date("đến ngày")

    class Meta:
        model = Dossier
        fields: list[str] = []
        form = DossierFilterForm  # its clean() drops a start after the end

    def _search(self, queryset: QuerySet[Dossier], name: str, value: str) -> QuerySet[Dossier]:
        q = (value or "").strip()
        if not q:
            return queryset
        # Names with or without diacritics, in any case: "nguyen thi hoa", "NGUYỄN Thị".
        return queryset.filter(Q(code__icontains=q) | Q(applicant_search_name__contains=fold(q)))

    def _received(
        self, queryset: QuerySet[Dossier], name: str, value: dt.date
    ) -> QuerySet[Dossier]:
        from gandan.onestop.selectors import period_bounds

        begin, stop = period_bounds(value, value)
        if name == "received_from":
            return queryset.filter(received_at__gte=begin)
        return queryset.filter(received_at__lt=stop)
