"""``/api/v1/reports/<name>/``: every report as JSON, with the same parameters as ``gandan report``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gandan.accounts.access import may_read_unit_report
from gandan.reports.registry import ReportError, build_request, reports, run_report

# Reports that only count public registry data. Any other report needs a signed-in user whose
# roles cover the unit asked for (the whole country: a superuser only).
PUBLIC_REPORTS = {"units"}


class ReportView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["Báo cáo"],
        parameters=[
            OpenApiParameter("unit", str, description="Mã đơn vị (mặc định cả nước)"),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="Vào ngày"),
            OpenApiParameter("year", int, description="Năm"),
            OpenApiParameter("from", OpenApiTypes.DATE, description="Từ ngày"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Đến ngày"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, name: str) -> Response:
        params: dict[str, Any] = request.query_params
        if name not in reports():
            message = f"Không có báo cáo {name!r}."
            return Response(
                {"code": "not_found", "detail": message, "fields": {"name": [message]}}, status=404
            )
        if name not in PUBLIC_REPORTS and not request.user.is_authenticated:
            return Response({"code": "not_authenticated", "detail": "Cần đăng nhập."}, status=401)
        try:
            report_request = build_request(
                unit_code=params.get("unit"),
                as_of=params.get("as_of"),
                year=params.get("year"),
                date_from=params.get("from"),
                date_to=params.get("to"),
            )
            if name not in PUBLIC_REPORTS and not may_read_unit_report(
                request.user, report_request.unit
            ):
                message = "Không tìm thấy đơn vị trong phạm vi của bạn."
                return Response(
                    {"code": "not_found", "detail": message, "fields": {"unit": [message]}},
                    status=404,
                )
            return Response(run_report(name, report_request))
        except ReportError as error:
            status = 404 if error.field == "name" else 400
            return Response(
                {
                    "code": "invalid" if status == 400 else "not_found",
                    "detail": error.message,
                    "fields": {error.field: [error.message]},
                },
                status=status,
            )
