"""REST API for staff handling citizen reports: ``/api/v1/feedback/reports/``.

Scoped like the screens: a user sees the reports handled by the units their roles cover, and
nothing else (404 as for a missing report). The reporter's contact details are given only to
roles that handle the report, and each such read is written to the access log.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from gandan.core.models import Event
from gandan.core.services import access_log_record
from gandan.feedback.access import access_report, can_handle, has_contact
from gandan.feedback.models import Category, Photo, Report, Status
from gandan.feedback.selectors import is_overdue, staff_reports
from gandan.geo.api import UnitBriefSerializer

# --- Query parameters ---------------------------------------------------------------------------


class ReportQuerySerializer(serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(
        choices=[("open", "Đang mở"), *Status.choices],
        required=False,
        help_text="Trạng thái; “open” cho mọi phản ánh chưa trả lời. Mặc định: tất cả",
    )
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.all(),
        required=False,
        help_text="Mã lĩnh vực, ví dụ roads",
    )
    unit = serializers.CharField(
        required=False,
        max_length=10,
        help_text="Mã đơn vị xử lý (gồm cả các đơn vị trực thuộc), ví dụ 19789",
    )
    overdue = serializers.BooleanField(
        required=False, default=False, help_text="Chỉ phản ánh đang mở đã quá hạn xử lý"
    )


# --- What is returned -----------------------------------------------------------------------------


class CategoryBriefSerializer(serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = ["code", "name"]


class ReporterSerializer(serializers.Serializer[Report]):
    name = serializers.CharField(source="reporter_name")
    phone = serializers.CharField(source="reporter_phone")
    email = serializers.CharField(source="reporter_email")


class PhotoSerializer(serializers.ModelSerializer[Photo]):
    class Meta:
        model = Photo
        fields = ["id", "redacted"]


class EventSerializer(serializers.ModelSerializer[Event]):
    actor = serializers.CharField(source="actor.get_username", allow_null=True, default=None)

    class Meta:
        model = Event
        fields = ["occurred_at", "kind", "actor", "data"]


class ReportSerializer(serializers.ModelSerializer[Report]):
    category = CategoryBriefSerializer()
    case_type = serializers.CharField(source="case_type.code")
    status_display = serializers.CharField(source="get_status_display")
    unit = UnitBriefSerializer()
    overdue = serializers.SerializerMethodField(help_text="Đang mở và đã quá hạn xử lý")
    duplicate_of = serializers.CharField(source="duplicate_of.code", allow_null=True, default=None)

    class Meta:
        model = Report
        fields = [
            "code",
            "title",
            "description",
            "text_hidden",
            "category",
            "case_type",
            "channel",
            "status",
            "status_display",
            "unit",
            "agency",
            "latitude",
            "longitude",
            "address",
            "received_at",
            "due_at",
            "overdue",
            "answered_at",
            "answer",
            "satisfied",
            "reopened",
            "duplicate_of",
            "escalated_at",
            "followers",
        ]

    def get_overdue(self, report: Report) -> bool:
        return is_overdue(report, self.context["now"])


class ReportDetailSerializer(ReportSerializer):
    photos = PhotoSerializer(many=True)
    events = serializers.SerializerMethodField()
    reporter = serializers.SerializerMethodField(
        help_text="Chỉ có khi vai trò của bạn xử lý phản ánh này; mỗi lần đọc được ghi nhật ký"
    )

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "rated_at", "photos", "events", "reporter"]

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, report: Report) -> Any:
        events = Event.objects.filter(
            subject_type=report._meta.label_lower, subject_id=str(report.pk)
        ).select_related("actor")
        return EventSerializer(events, many=True).data

    @extend_schema_field(ReporterSerializer(allow_null=True))
    def get_reporter(self, report: Report) -> Any:
        return ReporterSerializer(report).data if self.context.get("show_reporter") else None


# --- Views ---------------------------------------------------------------------------------------


@extend_schema(tags=["Phản ánh, kiến nghị"])
class ReportViewSet(viewsets.GenericViewSet[Report]):
    """Citizen reports handled by the units of your scope."""

    serializer_class = ReportSerializer
    filter_backends: list[Any] = []  # the query parameters are read by staff_reports
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9-]+"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular building the schema
            return Report.objects.none()
        params = ReportQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return staff_reports(
            self.request.user,
            now=timezone.now(),
            status=data.get("status", ""),
            category=data.get("category"),
            unit_code=data.get("unit", "").strip(),
            overdue=data.get("overdue", False),
        ).select_related("case_type", "duplicate_of")

    @extend_schema(parameters=[ReportQuerySerializer], responses=ReportSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Reports in your scope, soonest due first; without the reporter's contact details."""
        page = self.paginate_queryset(self.get_queryset())
        serializer = ReportSerializer(page, many=True, context={"now": timezone.now()})
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        summary="Một phản ánh, kèm diễn biến (thông tin người phản ánh chỉ cho người xử lý)",
        parameters=[
            OpenApiParameter(
                "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Mã tra cứu"
            )
        ],
        responses=ReportDetailSerializer,
    )
    def retrieve(self, request: Request, code: str, *args: Any, **kwargs: Any) -> Response:
        """One report; the reporter's contact only for roles that handle it, and logged."""
        try:
            report = access_report(request.user, code)
        except Http404:
            raise NotFound("Không tìm thấy phản ánh.") from None
        show_reporter = can_handle(request.user, report)
        if show_reporter and has_contact(report):
            access_log_record(
                user=request.user,
                subject=report,
                what="reporter_contact",
                province_code=report.province_code,
            )
        serializer = ReportDetailSerializer(
            report, context={"now": timezone.now(), "show_reporter": show_reporter}
        )
        return Response(serializer.data)
