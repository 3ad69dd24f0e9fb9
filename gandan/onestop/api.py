"""REST API of the one-stop desk: ``/api/v1/procedures/`` and ``/api/v1/dossiers/``.

- ``GET /procedures/``: the catalogue in force today (public).
- ``GET /dossiers/`` and ``/dossiers/{code}/``: dossiers in the user's scope (404 outside).
- ``POST /dossiers/``: receive a dossier. Send an ``Idempotency-Key`` header: a retried
  request with the same key (same user) returns the first dossier (200) instead of making a
  second one (201), even when the two arrive at once.
- ``POST /dossiers/{code}/transitions/``: take an action on it, ``{"action": …}`` (the
  desk's vocabulary, ``DossierAction``); ``GET`` there lists the actions available now.
Refusals answer 400 with ``{"code", "detail", "fields"}`` and change nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from gandan.accounts.access import access_unit_by_code
from gandan.core.api import LocalTimeField, not_found, service_refusals
from gandan.core.crypto import mask_citizen_id
from gandan.geo.models import Unit
from gandan.onestop import services
from gandan.onestop.access import access_dossier_by_code
from gandan.onestop.forms import receipt_fields
from gandan.onestop.models import Channel, Dossier, DossierAction, ProcedureVersion
from gandan.onestop.selectors import (
    actions_available,
    dossier_list,
    procedure_with_version,
    procedures_in_force,
    staff_member,
    unit_today,
)

TAG = "Một cửa"


class StepSerializer(serializers.Serializer[Any]):
    order = serializers.IntegerField()
    name = serializers.CharField()
    handler = serializers.CharField()
    agency_name = serializers.CharField()
    share_percent = serializers.IntegerField()


class ProcedureSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(source="procedure.code")
    name = serializers.CharField(source="procedure.name")
    field = serializers.CharField(source="procedure.field")
    level = serializers.CharField(source="procedure.level")
    valid_from = serializers.DateField()
    agency = serializers.CharField()
    time_limit = serializers.IntegerField()
    time_unit = serializers.CharField()
    time_limit_label = serializers.CharField()
    cutoff = LocalTimeField(allow_null=True)
    time_verified = serializers.BooleanField()
    fee = serializers.IntegerField()
    fee_note = serializers.CharField()
    documents = serializers.JSONField()
    result = serializers.CharField()
    online = serializers.CharField()
    legal_basis = serializers.CharField()
    legal_source = serializers.CharField(source="source")
    steps = StepSerializer(many=True, source="steps.all")


@extend_schema(tags=[TAG])
class ProcedureViewSet(viewsets.ReadOnlyModelViewSet[ProcedureVersion]):
    """Procedures in force on a day (``?on=YYYY-MM-DD``, default today), with their steps."""

    permission_classes = [AllowAny]
    serializer_class = ProcedureSerializer
    lookup_field = "procedure__code"
    lookup_url_kwarg = "code"
    lookup_value_regex = r"[0-9]+\.[0-9]+"  # national codes: 1.001193

    def get_queryset(self) -> Any:
        raw = self.request.query_params.get("on")
        try:
            on = dt.date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError:
            raise serializers.ValidationError({"on": [f"Ngày không hợp lệ: {raw!r}."]}) from None
        return procedures_in_force(on)


class ReceiveSerializer(serializers.Serializer[Any]):
    unit = serializers.CharField(help_text="Mã đơn vị tiếp nhận (xã, phường)")
    procedure = serializers.CharField(help_text="Mã thủ tục")
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.COUNTER)
    applicant_name = serializers.CharField(max_length=120)
    applicant_id = serializers.CharField(required=False, allow_blank=True, default="")
    applicant_phone = serializers.CharField(required=False, allow_blank=True, default="")
    applicant_email = serializers.CharField(required=False, allow_blank=True, default="")
    applicant_address = serializers.CharField(required=False, allow_blank=True, default="")
    documents = serializers.ListField(child=serializers.CharField(), default=list)
    digitised = serializers.BooleanField(default=False)
    reused = serializers.BooleanField(default=False)
    received_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Thời điểm tiếp nhận, trong hôm nay (giờ Việt Nam); mặc định: lúc gửi",
    )

    def validate_received_at(self, value: dt.datetime | None) -> dt.datetime | None:
        # A receipt typed in later the same day keeps the hour the applicant came; an earlier
        # day would start the time limit before the desk recorded anything, so a late dossier
        # could be made to look on time. The future is the service's to refuse.
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        if value is not None and value < today:
            raise serializers.ValidationError(
                f"Chỉ ghi được thời điểm tiếp nhận trong hôm nay (từ 00:00 {today:%d/%m/%Y}).",
                code="received_before_today",
            )
        return value


class DossierSerializer(serializers.ModelSerializer[Dossier]):
    status_label = serializers.CharField(source="get_status_display")
    channel_label = serializers.CharField(source="get_channel_display")
    unit = serializers.CharField(source="unit.code")
    current_unit = serializers.CharField(source="current_unit.code")
    procedure = serializers.CharField(source="version.procedure.code")
    procedure_name = serializers.CharField(source="version.procedure.name")
    applicant_id = serializers.SerializerMethodField()
    applicant_phone = serializers.SerializerMethodField()
    late = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "code",
            "status",
            "status_label",
            "channel",
            "channel_label",
            "unit",
            "current_unit",
            "procedure",
            "procedure_name",
            "step_order",
            "applicant_name",
            "applicant_id",
            "applicant_phone",
            "submitted_at",
            "received_at",
            "starts_at",
            "due_at",
            "appointment_at",
            "supplement_count",
            "finished_at",
            "returned_at",
            "late",
            "reason",
        ]

    def get_applicant_id(self, dossier: Dossier) -> str:
        return mask_citizen_id(dossier.applicant_id)

    def get_applicant_phone(self, dossier: Dossier) -> str:
        return mask_citizen_id(dossier.applicant_phone)

    def get_late(self, dossier: Dossier) -> bool:
        return dossier.is_late(timezone.now())


class TransitionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=DossierAction.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    to_unit = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Mã đơn vị nhận bước tiếp theo"
    )
    to_user = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Tên đăng nhập người được giao"
    )
    to_step = serializers.IntegerField(required=False, default=0)
    documents = serializers.ListField(child=serializers.CharField(), default=list)
    acknowledge_late = serializers.BooleanField(default=False)
    amount = serializers.IntegerField(required=False, default=0)
    result_note = serializers.CharField(required=False, allow_blank=True, default="")
    electronic = serializers.BooleanField(default=False)
    new_appointment_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate_to_unit(self, code: str) -> Unit | None:
        if not code:
            return None
        unit = unit_today(code)
        if unit is None:
            raise serializers.ValidationError(f"Không có đơn vị mã {code!r}.")
        return unit

    def validate(self, values: dict[str, Any]) -> dict[str, Any]:
        # The officer is looked up among the staff of the unit the dossier goes to.
        name = values.pop("to_user")
        values["to_user"] = None
        if name:
            dossier: Dossier = self.context["dossier"]
            unit = values["to_unit"] or dossier.current_unit
            values["to_user"] = staff_member(unit, name)
            if values["to_user"] is None:
                raise serializers.ValidationError(
                    {"to_user": [f"{unit.name} không có cán bộ {name!r}."]}
                )
        return values


@extend_schema(tags=[TAG])
class DossierViewSet(viewsets.GenericViewSet[Dossier]):
    serializer_class = DossierSerializer
    lookup_field = "code"

    def get_queryset(self) -> Any:
        # The desk's list filters (DossierFilter); a value that does not parse selects nothing.
        found = dossier_list(self.request.user, self.request.query_params)
        return found.qs if found.is_valid() else found.qs.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.INT, description="Mã trạng thái 1–10"),
            OpenApiParameter("unit", OpenApiTypes.STR, description="Mã đơn vị tiếp nhận"),
            OpenApiParameter("q", OpenApiTypes.STR, description="Mã hồ sơ hoặc tên người nộp"),
            OpenApiParameter("procedure", OpenApiTypes.INT, description="Thủ tục (mã số nội bộ)"),
            OpenApiParameter("channel", OpenApiTypes.INT, description="Hình thức nộp 1–3"),
            OpenApiParameter("received_from", OpenApiTypes.DATE, description="Tiếp nhận từ ngày"),
            OpenApiParameter("received_to", OpenApiTypes.DATE, description="Tiếp nhận đến ngày"),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DossierSerializer(page, many=True).data)

    def retrieve(self, request: Request, code: str, *args: Any, **kwargs: Any) -> Response:
        with not_found("Không tìm thấy hồ sơ."):
            dossier = access_dossier_by_code(request.user, code)
        return Response(DossierSerializer(dossier).data)

    @extend_schema(
        request=ReceiveSerializer,
        responses={201: DossierSerializer, 200: DossierSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Khóa chống trùng: gửi lại cùng khóa không tạo hồ sơ thứ hai",
            )
        ],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ReceiveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        key = request.headers.get("Idempotency-Key", "").strip()
        unit = access_unit_by_code(request.user, values["unit"], for_write=True)
        if unit is None:
            raise NotFound(
                f"unit: không tìm thấy đơn vị mã {values['unit']!r} trong phạm vi của bạn."
            )
        # The version in force is read with the procedure, for the day the service will ask.
        on = timezone.localdate(values["received_at"] or timezone.now())
        procedure = procedure_with_version(values["procedure"], on)
        if procedure is None:
            raise serializers.ValidationError(
                {"procedure": [f"Không có thủ tục mã {values['procedure']!r}."]}
            )
        with service_refusals():
            dossier, made = services.dossier_receive_once(
                unit=unit,
                procedure=procedure,
                **receipt_fields(values),
                at=values["received_at"],
                actor=request.user,
                idempotency_key=key,
            )
        # A retry is answered 200 with the first dossier.
        answer = status.HTTP_201_CREATED if made else status.HTTP_200_OK
        return Response(DossierSerializer(dossier).data, status=answer)

    @extend_schema(request=TransitionSerializer, responses=DossierSerializer)
    # The actions offered (GET) are a short list, not a page: no limit, offset or filters.
    @action(
        detail=True,
        methods=["post"],
        url_path="transitions",
        pagination_class=None,
        filter_backends=[],
    )
    def transition(self, request: Request, code: str, *args: Any, **kwargs: Any) -> Response:
        with not_found("Không tìm thấy hồ sơ."):
            dossier = access_dossier_by_code(request.user, code, for_write=True)
        data = TransitionSerializer(data=request.data, context={"dossier": dossier})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        with service_refusals():
            services.dossier_act(
                dossier=dossier, action=values.pop("action"), data=values, actor=request.user
            )
        return Response(DossierSerializer(dossier).data)

    @extend_schema(
        responses=inline_serializer(
            "DossierActionOffered",
            {"action": serializers.CharField(), "label": serializers.CharField()},
            many=True,
        )
    )
    @transition.mapping.get
    def actions(self, request: Request, code: str, *args: Any, **kwargs: Any) -> Response:
        """The actions the user may take on the dossier now (the desk offers the same)."""
        with not_found("Không tìm thấy hồ sơ."):
            dossier = access_dossier_by_code(request.user, code)
        return Response(
            [
                {"action": a.value, "label": a.label}
                for a in actions_available(dossier, request.user)
            ]
        )
