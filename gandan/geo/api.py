"""REST API for administrative units: ``/api/v1/units/``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from gandan.geo import selectors
from gandan.geo.models import Level, Lineage, Unit, UnitType


class UnitBriefSerializer(serializers.ModelSerializer[Unit]):
    class Meta:
        model = Unit
        fields = ["id", "code", "name", "level", "type", "valid_from", "valid_to"]


class UnitSerializer(serializers.ModelSerializer[Unit]):
    parent = UnitBriefSerializer(read_only=True, allow_null=True)  # none for a province
    type_display = serializers.CharField(source="get_type_display", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "level",
            "type",
            "type_display",
            "parent",
            "province_code",
            "latitude",
            "longitude",
            "area_km2",
            "valid_from",
            "valid_to",
            "source",
        ]


class LineageSerializer(serializers.ModelSerializer[Lineage]):
    predecessor = UnitBriefSerializer(read_only=True)
    successor = UnitBriefSerializer(read_only=True)

    class Meta:
        model = Lineage
        fields = [
            "predecessor",
            "successor",
            "kind",
            "effective_date",
            "is_primary",
            "share",
            "source",
        ]


class UnitDetailSerializer(UnitSerializer):
    predecessors = serializers.SerializerMethodField()
    successors = serializers.SerializerMethodField()

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "predecessors", "successors"]

    @extend_schema_field(LineageSerializer(many=True))
    def get_predecessors(self, unit: Unit) -> list[dict[str, Any]]:
        return list(LineageSerializer(selectors.predecessors(unit), many=True).data)

    @extend_schema_field(LineageSerializer(many=True))
    def get_successors(self, unit: Unit) -> list[dict[str, Any]]:
        return list(LineageSerializer(selectors.successors(unit), many=True).data)


class UnitFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    level = django_filters.ChoiceFilter(choices=Level.choices, label="Cấp")
    type = django_filters.ChoiceFilter(choices=UnitType.choices, label="Loại")
    parent = django_filters.CharFilter(method="filter_parent", label="Mã đơn vị cấp trên")
    as_of = django_filters.DateFilter(
        method="filter_as_of", label="Vào ngày (YYYY-MM-DD), mặc định hôm nay"
    )
    q = django_filters.CharFilter(method="filter_q", label="Tìm theo tên (không phân biệt dấu)")

    class Meta:
        model = Unit
        fields = ["level", "type", "parent", "as_of", "q"]

    @property
    def qs(self) -> Any:
        queryset = super().qs
        # Every listing is "as of" a date: today unless asked otherwise.
        if not self.form.cleaned_data.get("as_of"):
            queryset = queryset.valid_on(timezone.localdate())
        return queryset

    def filter_as_of(self, queryset: Any, name: str, value: dt.date) -> Any:
        return queryset.valid_on(value)

    def filter_parent(self, queryset: Any, name: str, value: str) -> Any:
        try:
            return selectors.units_with_parent_code(queryset, value)
        except selectors.UnitNotFound:
            raise serializers.ValidationError(
                {"parent": [f"Không có đơn vị hành chính mã {value!r}."]}
            ) from None

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.search(value)


@extend_schema(tags=["Đơn vị hành chính"])
class UnitViewSet(viewsets.ReadOnlyModelViewSet[Unit]):
    """Administrative units of both structures. The registry is public."""

    permission_classes = [AllowAny]
    filterset_class = UnitFilter

    def get_queryset(self) -> Any:
        return selectors.units_listed()

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Unit]]:
        return UnitDetailSerializer if self.action == "retrieve" else UnitSerializer

    def filter_queryset(self, queryset: Any) -> Any:
        # The detail view shows a unit of any date; only the list is filtered.
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)
