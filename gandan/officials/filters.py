"""The one filter of the people list, read by the screen (``/officials/people/``) and the API.

Both sides bind the query string to :class:`PeopleFilter` and take its ``qs``; they differ only
in what they do with a bad field (the screen reports it and ignores it, the API answers 400, or
404 for a unit outside the caller's scope, as for a missing one).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.utils import timezone

from gandan.accounts.access import access_unit_by_code
from gandan.core.filters import SelectorFilterSet
from gandan.core.forms import DATE_FORMATS, DATE_INVALID
from gandan.geo.models import Unit
from gandan.officials.models import Category, Official
from gandan.officials.selectors import people_on


class PeopleForm(forms.Form):
    """The filter's form: it resolves the unit code within the user's scope on the chosen day."""

    user: Any = None

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        code = (cleaned.get("unit") or "").strip()
        cleaned["unit"] = code
        cleaned["unit_found"] = None
        if code:
            as_of = cleaned.get("as_of") or timezone.localdate()
            unit = access_unit_by_code(self.user, code, as_of=as_of)
            if unit is None:
                self.add_error(
                    "unit",
                    f"Không có đơn vị mã {code!r} trong phạm vi của bạn vào ngày {as_of:%d/%m/%Y}.",
                )
            else:
                cleaned["unit_found"] = unit
        return cleaned


class PeopleFilter(SelectorFilterSet):
    """Who holds a post in the user's scope on a day: by name, group and unit."""

    as_of = django_filters.DateFilter(
        label="Vào ngày",
        method="_read_by_selector",
        input_formats=DATE_FORMATS,
        error_messages={"invalid": f"{DATE_INVALID} Danh sách tính đến hôm nay."},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Giữ chức danh vào ngày (YYYY-MM-DD), mặc định hôm nay",
    )
    q = django_filters.CharFilter(
        label="Tìm theo tên",
        method="_read_by_selector",
        max_length=100,
        help_text="Tìm theo tên (không phân biệt dấu)",
    )
    category = django_filters.ChoiceFilter(
        label="Nhóm",
        method="_read_by_selector",
        choices=Category.choices,
        empty_label="Tất cả các nhóm",
        error_messages={"invalid_choice": "Nhóm không hợp lệ; đang hiện tất cả các nhóm."},
    )
    unit = django_filters.CharFilter(
        label="Xã, phường",
        method="_read_by_selector",
        max_length=10,
        help_text="Mã đơn vị hành chính trong phạm vi của bạn (xã, phường hoặc tỉnh)",
    )

    class Meta:
        model = Official
        fields = ["as_of", "q", "category", "unit"]
        form = PeopleForm

    @property
    def form(self) -> PeopleForm:
        form: PeopleForm = super().form
        form.user = self.user
        return form

    def day(self) -> dt.date:
        """The day asked about: today unless a valid date was given."""
        self.form.is_valid()
        day: dt.date | None = self.form.cleaned_data.get("as_of")
        return day or timezone.localdate()

    def unit_found(self) -> Unit | None:
        self.form.is_valid()
        return self.form.cleaned_data.get("unit_found")

    def filter_queryset(self, queryset: Any) -> Any:
        data = self.form.cleaned_data
        return people_on(
            self.user,
            as_of=self.day(),
            q=data.get("q") or "",
            category=data.get("category") or "",
            unit=self.unit_found(),
        )
