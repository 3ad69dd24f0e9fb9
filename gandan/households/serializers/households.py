"""What ``/api/v1/households/`` and ``/api/v1/poverty/standards/`` return: households, their places, members and results; the poverty standards."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gandan.core.crypto import mask_citizen_id
from gandan.geo.api import UnitBriefSerializer
from gandan.geo.models import Hamlet
from gandan.households import services
from gandan.households.models import (
    REVIEW_END,
    Area,
    Assessment,
    Household,
    Indicator,
    Member,
    Placement,
    PovertyStandard,
)


class HouseholdFileQuerySerializer(serializers.Serializer[dict[str, Any]]):
    full = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Hiện đầy đủ số định danh của thành viên (chỉ lãnh đạo xã, phường và chuyên "
        "viên tỉnh trong phạm vi; mỗi lần xem được ghi nhật ký truy cập)",
    )


class PlaceHamletSerializer(serializers.ModelSerializer[Hamlet]):
    class Meta:
        model = Hamlet
        fields = ["id", "name", "kind"]


class PlaceSerializer(serializers.ModelSerializer[Placement]):
    unit = UnitBriefSerializer()
    hamlet = PlaceHamletSerializer(allow_null=True)
    area_display = serializers.CharField(source="get_area_display")
    reason_display = serializers.CharField(source="get_reason_display")

    class Meta:
        model = Placement
        fields = [
            "unit",
            "hamlet",
            "area",
            "area_display",
            "reason",
            "reason_display",
            "valid_from",
            "valid_to",
        ]


class AssessmentBriefSerializer(serializers.ModelSerializer[Assessment]):
    standing_display = serializers.CharField(source="get_standing_display")

    class Meta:
        model = Assessment
        fields = ["id", "year", "standing", "standing_display", "recorded_on"]


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    """A survey and its classification, with the reason in words."""

    standard = serializers.CharField(source="standard.code")
    legal_basis = serializers.CharField(source="standard.legal_basis")
    unit = UnitBriefSerializer()
    hamlet = PlaceHamletSerializer(allow_null=True)
    area_display = serializers.CharField(source="get_area_display")
    deprived = serializers.ListField(
        source="deprived_codes",
        child=serializers.CharField(),
        help_text="Mã các chỉ số thiếu hụt",
    )
    standing_display = serializers.CharField(source="get_standing_display")
    explanation = serializers.SerializerMethodField(help_text="Vì sao hộ được phân loại như vậy")
    current = serializers.SerializerMethodField(help_text="Chưa bị đính chính")

    class Meta:
        model = Assessment
        fields = [
            "id",
            "year",
            "standard",
            "legal_basis",
            "review",
            "unit",
            "hamlet",
            "area",
            "area_display",
            "members",
            "income_per_capita",
            "deprived",
            "deprivation_count",
            "b1_score",
            "b2_score",
            "standing",
            "standing_display",
            "explanation",
            "recorded_on",
            "superseded_on",
            "corrects",
            "current",
            "note",
        ]

    def get_explanation(self, assessment: Assessment) -> str:
        return services.explain(assessment)

    def get_current(self, assessment: Assessment) -> bool:
        return assessment.superseded_on is None


class HouseholdListSerializer(serializers.ModelSerializer[Household]):
    place = serializers.SerializerMethodField(
        help_text=f"Nơi cư trú vào ngày {REVIEW_END[1]}/{REVIEW_END[0]} của năm lọc (không có năm: "
        "hôm nay), hoặc nơi cuối cùng"
    )
    assessment = serializers.SerializerMethodField(
        help_text="Kết quả rà soát của năm lọc, không có năm: của năm gần nhất"
    )

    class Meta:
        model = Household
        fields = [
            "id",
            "code",
            "head_name",
            "ethnic_minority",
            "farming",
            "formed_on",
            "dissolved_on",
            "place",
            "assessment",
        ]

    # One serializer of each for the whole page: building a ModelSerializer's fields costs
    # milliseconds, a third of a page of a hundred households when built for every row.
    @cached_property
    def _place(self) -> PlaceSerializer:
        return PlaceSerializer()

    @cached_property
    def _assessment(self) -> AssessmentBriefSerializer:
        return AssessmentBriefSerializer()

    @extend_schema_field(PlaceSerializer(allow_null=True))
    def get_place(self, household: Household) -> Any:
        place = self.context["places"].get(household.pk)
        return self._place.to_representation(place) if place is not None else None

    @extend_schema_field(AssessmentBriefSerializer(allow_null=True))
    def get_assessment(self, household: Household) -> Any:
        found = self.context["assessments"].get(household.pk)
        return self._assessment.to_representation(found) if found is not None else None


class MemberSerializer(serializers.ModelSerializer[Member]):
    sex_display = serializers.CharField(source="get_sex_display")
    relation_display = serializers.CharField(source="get_relation_display")
    citizen_id = serializers.SerializerMethodField(
        help_text="Số định danh cá nhân, đã che trừ khi vai trò được xem đầy đủ"
    )

    class Meta:
        model = Member
        fields = [
            "id",
            "full_name",
            "birth_date",
            "sex",
            "sex_display",
            "relation",
            "relation_display",
            "citizen_id",
            "valid_from",
            "valid_to",
        ]

    def get_citizen_id(self, member: Member) -> str:
        if self.context.get("full_ids"):
            return str(member.citizen_id or "")
        return mask_citizen_id(member.citizen_id)


@dataclass
class HouseholdFile:
    """A household with its places, members and yearly results, as the API shows it."""

    household: Household
    places: list[Placement]
    members: list[Member]
    assessments: list[Assessment]
    full_ids: bool  # shown unmasked in this answer
    may_see_full_ids: bool  # the caller's role may ask for them


class HouseholdDetailSerializer(serializers.Serializer[HouseholdFile]):
    id = serializers.IntegerField(source="household.pk")
    code = serializers.CharField(source="household.code")
    province_code = serializers.CharField(source="household.province_code")
    head_name = serializers.CharField(source="household.head_name")
    ethnic_minority = serializers.BooleanField(source="household.ethnic_minority")
    farming = serializers.BooleanField(source="household.farming")
    formed_on = serializers.DateField(source="household.formed_on", allow_null=True)
    dissolved_on = serializers.DateField(source="household.dissolved_on", allow_null=True)
    dissolution_reason = serializers.CharField(source="household.dissolution_reason")
    split_from = serializers.CharField(
        source="household.split_from.code",
        allow_null=True,
        default=None,
        help_text="Mã hộ đã tách ra hộ này",
    )
    places = PlaceSerializer(many=True, help_text="Nơi cư trú qua các thời kỳ")
    citizen_ids_masked = serializers.SerializerMethodField(
        help_text="Số định danh của thành viên đã che (mặc định, và với mọi vai trò không được xem)"
    )
    may_see_full_citizen_ids = serializers.BooleanField(
        source="may_see_full_ids",
        help_text="Vai trò của bạn được xem đầy đủ số định danh của hộ này (tham số full)",
    )
    members = serializers.SerializerMethodField(help_text="Thành viên qua các thời kỳ")
    assessments = AssessmentSerializer(
        many=True,
        help_text="Kết quả rà soát theo năm, mới nhất trước; bản đã đính chính có current = false",
    )

    def get_citizen_ids_masked(self, record: HouseholdFile) -> bool:
        return not record.full_ids

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, record: HouseholdFile) -> Any:
        return MemberSerializer(
            record.members, many=True, context={"full_ids": record.full_ids}
        ).data


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    class Meta:
        model = Indicator
        fields = ["code", "dimension", "name", "order"]


class AreaIncomeLinesSerializer(serializers.Serializer[Any]):
    lower = serializers.IntegerField(
        allow_null=True, help_text="Thu nhập đến mức này là hộ nghèo (chỉ chuẩn có ngưỡng này)"
    )
    upper = serializers.IntegerField(help_text="Chuẩn thu nhập (đồng/người/tháng)")
    average = serializers.IntegerField(
        allow_null=True, help_text="Hộ nông, lâm, ngư, diêm nghiệp có mức sống trung bình đến"
    )


class IncomeLinesSerializer(serializers.Serializer[Any]):
    rural = AreaIncomeLinesSerializer()
    urban = AreaIncomeLinesSerializer()


class PovertyStandardSerializer(serializers.ModelSerializer[PovertyStandard]):
    lines = serializers.SerializerMethodField(help_text="Các mức thu nhập theo khu vực")
    indicators = IndicatorSerializer(many=True)

    class Meta:
        model = PovertyStandard
        fields = [
            "code",
            "name",
            "legal_basis",
            "period",
            "first_year",
            "last_year",
            "deprivation_threshold",
            "lines",
            "indicators",
            "provisional",
            "source",
        ]
        extra_kwargs = {
            "first_year": {"help_text": "Năm rà soát đầu tiên dùng chuẩn này"},
            "last_year": {"help_text": "Năm rà soát cuối cùng dùng chuẩn này"},
            "provisional": {"help_text": "Danh mục chỉ số còn tạm thời (chưa xác minh)"},
        }

    @extend_schema_field(IncomeLinesSerializer)
    def get_lines(self, standard: PovertyStandard) -> dict[str, dict[str, int | None]]:
        lines = {}
        for area in Area.values:
            lower, upper, average = standard.lines(area)
            lines[area] = {"lower": lower, "upper": upper, "average": average}
        return lines
