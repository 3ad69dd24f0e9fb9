"""REST API for the people of the registry: ``/api/v1/officials/``.

Scoped like the screens: a user sees the people who hold or held a post in the communes
their roles cover, and nothing else (404 as for a missing person). Citizen IDs are masked
unless the role manages personnel files there; every read of a full file is logged.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from gandan.core.api import not_found
from gandan.geo.api import UnitBriefSerializer
from gandan.officials.access import access_official
from gandan.officials.filters import PeopleFilter
from gandan.officials.models import (
    Evaluation,
    Official,
    Posting,
    Qualification,
    Record,
    Relative,
    Rotation,
)
from gandan.officials.selectors import PersonnelFile, PersonRow, people_rows, personnel_file
from gandan.officials.services import personnel_file_read

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


class OfficialListSerializer(serializers.Serializer[PersonRow]):
    id = serializers.IntegerField(source="official.pk")
    full_name = serializers.CharField(source="official.full_name")
    birth_year = serializers.IntegerField(source="official.birth_date.year")
    sex = serializers.CharField(source="official.sex")
    sex_display = serializers.CharField(source="official.get_sex_display")
    citizen_id = serializers.CharField(
        help_text="Số định danh cá nhân, đã che trừ khi vai trò được xem đầy đủ"
    )
    citizen_id_masked = serializers.SerializerMethodField()
    posts = PostingSerializer(
        source="official.posts", many=True, help_text="Chức danh giữ vào ngày hỏi, trong phạm vi"
    )

    def get_citizen_id_masked(self, row: PersonRow) -> bool:
        return not row.citizen_id_full


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


@extend_schema(tags=["Cán bộ, công chức"])
class OfficialViewSet(viewsets.GenericViewSet[Official]):
    """People who hold posts in the communes of your scope, and their personnel files."""

    serializer_class = OfficialListSerializer  # type: ignore[assignment]  # serializes PersonRow
    # The schema lists the filter's parameters; the list binds the same filter as the screen.
    filter_backends = [DjangoFilterBackend]
    filterset_class = PeopleFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        return Official.objects.none()  # the list reads PeopleFilter, the file access_official

    @extend_schema(responses=OfficialListSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """People in post on ``as_of``; citizen IDs masked unless your role manages their file."""
        found = PeopleFilter(request.query_params, user=request.user)
        if not found.is_valid():
            errors = found.errors
            if "unit" in errors:
                raise NotFound(errors["unit"][0])
            raise ValidationError(errors)
        page = self.paginate_queryset(found.qs)
        rows = people_rows(request.user, list(page) if page is not None else [])
        data = OfficialListSerializer(rows, many=True).data  # type: ignore[arg-type]
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Hồ sơ cán bộ, công chức (mỗi lần đọc được ghi nhật ký truy cập)",
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Mã hồ sơ")
        ],
        responses=PersonnelFileSerializer,
    )
    def retrieve(self, request: Request, pk: str, *args: Any, **kwargs: Any) -> Response:
        """The whole personnel file; each read is written to the access log."""
        with not_found("Không tìm thấy cán bộ, công chức."):
            official = access_official(request.user, int(pk))
        record = personnel_file(official, user=request.user, as_of=timezone.localdate())
        personnel_file_read(user=request.user, official=official, channel="personnel_file_api")
        return Response(PersonnelFileSerializer(record).data)
