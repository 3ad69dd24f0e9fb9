"""The household list's filters: one :class:`HouseholdFilter` read by the registry screen and by
``/api/v1/households/`` alike, so both find the same rows for the same query.

Without ``year`` the list is the registry as it stands: households living in the user's scope
today (``households.access.households_living_in_scope``); with ``year``, every household of
the scope with a result that year, including those that have moved away since.

- ``q``: a part of the household's code or of its head's name (case-insensitive);
- ``unit``: the code of a unit of your scope; households placed in it (or below it) on the day
  the list is for — the review day of ``year``, else today — and a dissolved household where
  it last lived;
- ``hamlet``: a village (id) of your scope, inside ``unit`` when both are given;
- ``year``: only households with a result in that review year (else the lists in force today);
- ``standing``: the result in that year — or ``other``: not on the poor or near-poor lists;
- ``dissolved``: also households that have been dissolved (hidden otherwise).

A unit or village outside the scope is not a filter error but a place not found: it is kept in
:attr:`HouseholdFilter.not_found` (the screen shows it and lists the rest; the API answers 404).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from gandan.accounts.access import hamlets_in_scope, user_covers_unit
from gandan.core.forms import FIRST_YEAR, LAST_YEAR
from gandan.geo.models import Hamlet, Unit
from gandan.geo.selectors import UnitNotFound, unit_by_code
from gandan.households.access import (
    households_in_scope,
    households_living_in_scope,
    living_on,
)
from gandan.households.models import (
    REVIEW_END,
    Assessment,
    Household,
    Placement,
    Standing,
    review_date,
)
from gandan.households.services.common import lists_year

OTHER = "other"  # not on the poor or near-poor lists of the year (assessed otherwise, or not)
LISTED = (Standing.POOR, Standing.NEAR_POOR)
STANDING_CHOICES = [*Standing.choices, (OTHER, "Không có trong danh sách hộ nghèo, cận nghèo")]


class HouseholdFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    """Households of the user's scope that match the query, by code.

    Built with ``request`` (its user gives the scope). After validation, :attr:`on` is the day
    places are read for, :attr:`year` the review year of the standings, :attr:`unit_found` and
    :attr:`hamlet_found` the places found.
    """

    q = django_filters.CharFilter(
        label="Tìm theo mã hộ hoặc tên chủ hộ", max_length=100, method="keep"
    )
    unit = django_filters.CharFilter(
        label="Xã, phường",
        max_length=10,
        method="keep",
        help_text="Mã đơn vị hành chính trong phạm vi của bạn (xã, phường hoặc tỉnh): hộ cư trú "
        f"ở đó vào ngày {REVIEW_END[1]}/{REVIEW_END[0]} của năm rà soát (không có năm: hôm nay)",
    )
    hamlet = django_filters.NumberFilter(
        label="Thôn, tổ dân phố",
        min_value=1,
        method="keep",
        help_text="Mã thôn, tổ dân phố (id) trong phạm vi của bạn",
    )
    year = django_filters.NumberFilter(
        label="Năm rà soát",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        method="keep",
        help_text="Năm rà soát: chỉ các hộ có kết quả rà soát năm này",
    )
    standing = django_filters.ChoiceFilter(
        label="Diện hộ",
        choices=STANDING_CHOICES,
        empty_label="Tất cả",
        method="keep",
        error_messages={"invalid_choice": "Diện hộ không hợp lệ."},
        help_text="Kết quả phân loại trong năm rà soát (không có năm: danh sách đang áp dụng); "
        "other: không có trong danh sách hộ nghèo, cận nghèo",
    )
    dissolved = django_filters.BooleanFilter(
        label="Hiện cả hộ đã xóa",
        widget=forms.CheckboxInput,
        method="keep",
        help_text="Hiện cả các hộ đã xóa",
    )

    class Meta:
        model = Household
        fields: list[str] = []

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any, **kwargs: Any):
        self.user = request.user
        self.today = timezone.localdate()
        super().__init__(data, queryset=households_in_scope(self.user), request=request, **kwargs)
        self.on = self.today
        self.year = lists_year(self.today)
        self.unit_found: Unit | None = None
        self.hamlet_found: Hamlet | None = None
        self.not_found: dict[str, str] = {}

    def keep(self, queryset: QuerySet[Household], name: str, value: Any) -> QuerySet[Household]:
        """Each filter is applied by :meth:`filter_queryset`, which reads them together."""
        return queryset

    def filter_queryset(self, queryset: QuerySet[Household]) -> QuerySet[Household]:
        data = self.form.cleaned_data
        asked_year = data.get("year")
        if asked_year:
            self.year = int(asked_year)
            self.on = review_date(self.year)
        self._find_places(data)
        if not asked_year:
            # The registry as it stands: where households live today (a year's list keeps
            # those that have moved away since, as the scope does).
            queryset = households_living_in_scope(
                self.user, with_dissolved=bool(data.get("dissolved"))
            )
        if not data.get("dissolved"):
            queryset = queryset.filter(dissolved_on__isnull=True)
        q = (data.get("q") or "").strip()
        if q:
            queryset = queryset.filter(Q(code__icontains=q) | Q(head_name__icontains=q))
        if self.unit_found is not None or self.hamlet_found is not None:
            queryset = queryset.filter(pk__in=self._placed().values("household_id"))
        results = Assessment.objects.current().filter(year=self.year)
        if asked_year:
            queryset = queryset.filter(pk__in=results.values("household_id"))
        standing = data.get("standing") or ""
        if standing == OTHER:
            listed = results.filter(standing__in=LISTED)
            queryset = queryset.exclude(pk__in=listed.values("household_id"))
        elif standing:
            queryset = queryset.filter(
                pk__in=results.filter(standing=standing).values("household_id")
            )
        return queryset.order_by("code", "pk")

    def _find_places(self, data: dict[str, Any]) -> None:
        code = (data.get("unit") or "").strip()
        if code:
            try:
                unit: Unit | None = unit_by_code(code, as_of=self.on)
            except UnitNotFound:
                unit = None
            if unit is None or not user_covers_unit(self.user, unit):
                self.not_found["unit"] = f"Không tìm thấy đơn vị mã {code!r} trong phạm vi của bạn."
            else:
                self.unit_found = unit
        hamlet_id = data.get("hamlet")
        if hamlet_id:
            hamlets = hamlets_in_scope(self.user).filter(pk=int(hamlet_id))
            if self.unit_found is not None:
                hamlets = hamlets.filter(
                    commune__in=Unit.objects.descendants_of([self.unit_found.pk])
                )
            self.hamlet_found = hamlets.first()
            if self.hamlet_found is None:
                self.not_found["hamlet"] = (
                    "Không tìm thấy thôn, tổ dân phố trong phạm vi của bạn"
                    + (f" thuộc {self.unit_found.name}." if self.unit_found is not None else ".")
                )

    def _placed(self) -> QuerySet[Placement]:
        """Where a household lives on :attr:`on`; a dissolved one, where it last lived."""
        placed = living_on(Placement.objects.all(), self.on)
        if self.hamlet_found is not None:
            return placed.filter(hamlet=self.hamlet_found)
        units = [self.unit_found.pk] if self.unit_found is not None else []
        below = Unit.objects.descendants_of(units).values_list("pk", flat=True)
        return placed.filter(unit__in=list(below))  # as values: see households_in_scope
