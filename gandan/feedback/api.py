"""REST API for staff handling citizen reports: ``/api/v1/feedback/reports/``.

Scoped like the screens: a user sees the reports handled by the units their roles cover, and
nothing else (404 as for a missing report). The reporter's contact details are given only to
roles that handle the report, and each such read is written to the access log.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from gandan.core.api import not_found, service_refusals
from gandan.core.models import Event
from gandan.feedback import services
from gandan.feedback.access import access_report, may_handle_report
from gandan.feedback.filters import StaffReportFilter
from gandan.feedback.models import Category, Photo, Report, Status
from gandan.feedback.selectors import report_events
from gandan.geo.api import UnitBriefSerializer

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
        return report.is_overdue(self.context["now"])


class ReportDetailSerializer(ReportSerializer):
    photos = PhotoSerializer(many=True)
    events = serializers.SerializerMethodField()
    reporter = serializers.SerializerMethodField(
        help_text="Chỉ có khi vai trò của bạn xử lý phản ánh này; mỗi lần đọc được ghi nhật ký"
    )
    actions = serializers.SerializerMethodField(
        help_text="Các thao tác xử lý bạn thực hiện được lúc này (POST …/act/)"
    )

    class Meta(ReportSerializer.Meta):
        fields = [
            *ReportSerializer.Meta.fields,
            "rated_at",
            "photos",
            "events",
            "reporter",
            "actions",
        ]

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, report: Report) -> Any:
        return EventSerializer(report_events(report), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, report: Report) -> list[str]:
        return list(self.context.get("actions", []))

    @extend_schema_field(ReporterSerializer(allow_null=True))
    def get_reporter(self, report: Report) -> Any:
        return ReporterSerializer(report).data if self.context.get("show_reporter") else None


class ReportActSerializer(serializers.Serializer[dict[str, Any]]):
    """One handling step: the same steps, fields and rules as the forms of the staff page."""

    action = serializers.ChoiceField(choices=list(services.REPORT_ACTIONS.items()))
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    answer = serializers.CharField(required=False, max_length=4000)
    unit = serializers.CharField(required=False, max_length=10)
    agency = serializers.CharField(required=False, allow_blank=True, max_length=160)
    reason = serializers.CharField(required=False, max_length=300)
    into = serializers.CharField(required=False, max_length=20)
    moderation = serializers.ChoiceField(
        choices=list(services.MODERATION_ACTIONS.items()), required=False
    )
    photo = serializers.IntegerField(required=False, allow_null=True)

    # The fields each step needs (the others are ignored).
    REQUIRED = {
        "status": ("status",),
        "answer": ("status", "answer"),
        "transfer": ("unit", "reason"),
        "merge": ("into",),
        "moderate": ("moderation", "reason"),
    }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        missing = [f for f in self.REQUIRED[attrs["action"]] if attrs.get(f) in (None, "")]
        if missing:
            raise serializers.ValidationError({f: "Trường này là bắt buộc." for f in missing})
        return attrs


# --- Views ---------------------------------------------------------------------------------------


@extend_schema(tags=["Phản ánh, kiến nghị"])
class ReportViewSet(viewsets.GenericViewSet[Report]):
    """Citizen reports handled by the units of your scope."""

    serializer_class = ReportSerializer
    filterset_class = StaffReportFilter
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9-]+"

    def get_queryset(self) -> Any:
        return Report.objects.none()  # the list reads StaffReportFilter, one report access_report

    @extend_schema(responses=ReportSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Reports in your scope, soonest due first; without the reporter's contact details."""
        now = timezone.now()
        found = StaffReportFilter(request.query_params, user=request.user, now=now)
        if not found.is_valid():
            raise serializers.ValidationError(found.errors)
        page = self.paginate_queryset(found.qs.select_related("case_type", "duplicate_of"))
        serializer = ReportSerializer(page, many=True, context={"now": now})
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
        return self._detail(request, _report(request, code))

    def _detail(self, request: Request, report: Report, status: int = 200) -> Response:
        services.reporter_contact_shown(request.user, report)  # logs each read of the contact
        context = {
            "now": timezone.now(),
            "show_reporter": may_handle_report(request.user, report),
            "actions": services.report_actions(request.user, report),
        }
        return Response(ReportDetailSerializer(report, context=context).data, status=status)

    @extend_schema(
        summary="Thực hiện một thao tác xử lý phản ánh (như trên trang của cán bộ)",
        request=ReportActSerializer,
        responses=ReportDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def act(self, request: Request, code: str, *args: Any, **kwargs: Any) -> Response:
        """One handling step; the report afterwards, or 400 with the service's reasons."""
        report = _report(request, code, for_write=True)
        params = ReportActSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        with service_refusals():
            services.report_act(
                report=report, action=data.pop("action"), data=data, actor=request.user
            )
        return self._detail(request, report)


def _report(request: Request, code: str, *, for_write: bool = False) -> Report:
    with not_found("Không tìm thấy phản ánh."):
        return access_report(request.user, code, for_write=for_write)
