"""REST API for the people of the registry: ``/api/v1/officials/``.

Scoped like the screens: a user sees the people who hold or held a post in the communes
their roles cover, and nothing else (404 as for a missing person). Citizen IDs are masked
unless the role manages personnel files there; every read of a full file is logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from gandan.accounts.access import user_covers_unit
from gandan.core.services import access_log_record
from gandan.geo.api import UnitBriefSerializer
from gandan.geo.models import Unit
from gandan.geo.selectors import UnitNotFound, unit_by_code
from gandan.officials.access import access_official, full_id_official_ids
from gandan.officials.models import (
    Category,
    Evaluation,
    Official,
    Posting,
    Qualification,
    Record,
    Relative,
    Rotation,
)
from gandan.officials.selectors import PersonnelFile, people_on, personnel_file, shown_citizen_id

# --- Query parameters ---------------------------------------------------------------------------


class OfficialQuerySerializer(serializers.Serializer[dict[str, Any]]):
    as_of = serializers.DateField(
        required=False, help_text="Giữ chức danh vào ngày (YYYY-MM-DD), mặc định hôm nay"
    )
    unit = serializers.CharField(
        required=False,
        max_length=10,
        help_text="Mã đơn vị hành chính trong phạm vi của bạn (xã, phường hoặc tỉnh)",
    )
    category = serializers.ChoiceField(
        choices=Category.choices, required=False, help_text="Nhóm cán bộ, công chức"
    )
    q = serializers.CharField(
        required=False, max_length=100, help_text="Tìm theo tên (không phân biệt dấu)"
    )


# --- What is returned -----------------------------------------------------------------------------


class HamletBriefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PostingSerializer(serializers.ModelSerializer[Posting]):
    position_code = serializers.CharField(source="position.code")
    position = serializers.CharField(source="position.name")
    category = serializers.CharField(source="position.category")
    unit = UnitBriefSerializer()
    hamlet = HamletBriefSerializer(allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Posting
        fields = [
            "id",
            "position_code",
            "position",
            "category",
            "unit",
            "hamlet",
            "kind",
            "kind_display",
            "valid_from",
            "valid_to",
            "salary_grade",
        ]


class OfficialListSerializer(serializers.ModelSerializer[Official]):
    birth_year = serializers.IntegerField(source="birth_date.year")
    sex_display = serializers.CharField(source="get_sex_display")
    citizen_id = serializers.SerializerMethodField(
        help_text="Số định danh cá nhân, đã che trừ khi vai trò được xem đầy đủ"
    )
    citizen_id_masked = serializers.SerializerMethodField()
    posts = PostingSerializer(many=True, help_text="Chức danh giữ vào ngày hỏi, trong phạm vi")

    class Meta:
        model = Official
        fields = [
            "id",
            "full_name",
            "birth_year",
            "sex",
            "sex_display",
            "citizen_id",
            "citizen_id_masked",
            "posts",
        ]

    def _full(self, official: Official) -> bool:
        return official.pk in self.context.get("full_ids", set())

    def get_citizen_id(self, official: Official) -> str:
        return shown_citizen_id(official, self._full(official))

    def get_citizen_id_masked(self, official: Official) -> bool:
        return not self._full(official)


class IdentitySerializer(serializers.Serializer[PersonnelFile]):
    full_name = serializers.CharField(source="official.full_name")
    birth_date = serializers.DateField(source="official.birth_date")
    age = serializers.IntegerField()
    sex = serializers.CharField(source="official.sex")
    sex_display = serializers.CharField(source="official.get_sex_display")
    ethnicity = serializers.CharField(source="official.ethnicity")
    home_unit = UnitBriefSerializer(source="official.home_unit", allow_null=True)
    citizen_id = serializers.CharField()
    citizen_id_masked = serializers.SerializerMethodField()

    def get_citizen_id_masked(self, record: PersonnelFile) -> bool:
        return not record.citizen_id_full


class RelativeSerializer(serializers.ModelSerializer[Relative]):
    class Meta:
        model = Relative
        fields = ["relation", "full_name", "birth_year", "occupation"]


class RotationSerializer(serializers.ModelSerializer[Rotation]):
    from_unit = UnitBriefSerializer()
    to_unit = UnitBriefSerializer()
    position = serializers.CharField(source="posting.position.name")

    class Meta:
        model = Rotation
        fields = ["from_unit", "to_unit", "position", "start", "planned_end"]


class QualificationSerializer(serializers.ModelSerializer[Qualification]):
    kind_display = serializers.CharField(source="get_kind_display")
    level_label = serializers.CharField()

    class Meta:
        model = Qualification
        fields = [
            "kind",
            "kind_display",
            "level",
            "level_label",
            "field",
            "institution",
            "awarded_on",
        ]


class EvaluationSerializer(serializers.ModelSerializer[Evaluation]):
    grade_display = serializers.CharField(source="get_grade_display")
    score = serializers.IntegerField(allow_null=True)
    unit = UnitBriefSerializer()

    class Meta:
        model = Evaluation
        fields = [
            "year",
            "unit",
            "grade",
            "grade_display",
            "general_score",
            "task_score",
            "score",
            "disciplined",
            "explanation",
        ]


class RecordSerializer(serializers.ModelSerializer[Record]):
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Record
        fields = ["kind", "kind_display", "decided_on", "text"]


class PersonnelFileSerializer(serializers.Serializer[PersonnelFile]):
    """The groups of the electronic personnel file (Decree 27/2026)."""

    id = serializers.IntegerField(source="official.pk")
    as_of = serializers.DateField()
    identity = IdentitySerializer(source="*")
    family = RelativeSerializer(source="relatives", many=True)
    work_history = PostingSerializer(source="postings", many=True)
    appointments = PostingSerializer(many=True)
    rotations = RotationSerializer(many=True)
    qualifications = QualificationSerializer(many=True)
    current_posts = PostingSerializer(source="current_postings", many=True)
    evaluations = EvaluationSerializer(many=True)
    records = RecordSerializer(many=True)


# --- Views ---------------------------------------------------------------------------------------


def _unit_in_scope(user: Any, code: str, as_of: dt.date) -> Unit:
    try:
        unit = unit_by_code(code, as_of=as_of)
    except UnitNotFound:
        unit = None
    if unit is None or not user_covers_unit(user, unit):
        raise NotFound(f"unit: không tìm thấy đơn vị mã {code!r} trong phạm vi của bạn.")
    return unit


@extend_schema(tags=["Cán bộ, công chức"])
class OfficialViewSet(viewsets.GenericViewSet[Official]):
    """People who hold posts in the communes of your scope, and their personnel files."""

    serializer_class = OfficialListSerializer
    filter_backends: list[Any] = []  # the query parameters are read by the selector
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular building the schema
            return Official.objects.none()
        params = OfficialQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        as_of = data.get("as_of") or timezone.localdate()
        unit = _unit_in_scope(self.request.user, data["unit"], as_of) if data.get("unit") else None
        return people_on(
            self.request.user,
            as_of=as_of,
            q=data.get("q", ""),
            category=data.get("category", ""),
            unit=unit,
        )

    @extend_schema(
        parameters=[OfficialQuerySerializer], responses=OfficialListSerializer(many=True)
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """People in post on ``as_of``; citizen IDs masked unless your role manages their file."""
        page = self.paginate_queryset(self.get_queryset())
        officials = list(page) if page is not None else []
        full_ids = full_id_official_ids(request.user, [o.pk for o in officials])
        serializer = OfficialListSerializer(officials, many=True, context={"full_ids": full_ids})
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        summary="Hồ sơ cán bộ, công chức (mỗi lần đọc được ghi nhật ký truy cập)",
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Mã hồ sơ")
        ],
        responses=PersonnelFileSerializer,
    )
    def retrieve(self, request: Request, pk: str, *args: Any, **kwargs: Any) -> Response:
        """The whole personnel file; each read is written to the access log."""
        try:
            official = access_official(request.user, int(pk))
        except Http404:
            raise NotFound("Không tìm thấy cán bộ, công chức.") from None
        record = personnel_file(official, user=request.user, as_of=timezone.localdate())
        access_log_record(
            user=request.user,
            subject=official,
            what="personnel_file_api",
            province_code=official.province_code,
        )
        return Response(PersonnelFileSerializer(record).data)
