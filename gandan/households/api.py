"""REST API for households and the poverty review: ``/api/v1/households/``, ``/api/v1/poverty/``.

Scoped like the screens: a user sees the households ever registered in the units their roles
cover, and the reviews of those units; anything else is a 404, as for a missing row. The
poverty standards are public. Writes go through the services, are open only to roles that
write for the review's commune (a village head: for his own village) and answer 400 with
``{"code", "detail", "fields"}`` when a service refuses, having changed nothing.

Members' citizen IDs are masked. A commune leader or provincial specialist of a unit where the
household is or was registered may ask for them in full (``?full=true``, as the household screen
does); each such read is logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from gandan.accounts.access import (
    access_hamlet,
)
from gandan.core.api import not_found, service_refusals
from gandan.core.services import access_log_record
from gandan.geo.models import Hamlet, Unit
from gandan.households import selectors, services
from gandan.households.access import (
    ReviewWriter,
    access_household,
    access_review,
    access_review_for_write,
    access_unit_for_lists,
    may_receive_requests,
    may_see_full_citizen_ids,
)
from gandan.households.filters import HouseholdFilter
from gandan.households.models import (
    Household,
    PovertyStandard,
    Review,
    ReviewAction,
    ReviewRequest,
    review_date,
)
from gandan.households.selectors import places as place_selectors
from gandan.households.selectors import registry as registry_selectors
from gandan.households.selectors import requests as request_selectors
from gandan.households.serializers import (
    AssessmentSerializer,
    HouseholdDetailSerializer,
    HouseholdFile,
    HouseholdFileQuerySerializer,
    HouseholdListSerializer,
    MeetingInputSerializer,
    PovertyStandardSerializer,
    ReviewDetailSerializer,
    ReviewQuerySerializer,
    ReviewRequestInputSerializer,
    ReviewRequestQuerySerializer,
    ReviewRequestSerializer,
    ReviewSerializer,
    SurveyInputSerializer,
    VillageMeetingSerializer,
)

HOUSEHOLDS_TAG = "Hộ gia đình"
STANDARDS_TAG = "Chuẩn nghèo"
REVIEW_TAG = "Rà soát hộ nghèo, hộ cận nghèo"


def _unit_in_scope(user: Any, code: str, as_of: dt.date | None) -> Unit:
    try:
        return access_unit_for_lists(user, code, as_of=as_of)
    except Http404 as error:
        raise NotFound(str(error)) from None


# --- Households ----------------------------------------------------------------------------------


@extend_schema(tags=[HOUSEHOLDS_TAG])
class HouseholdViewSet(viewsets.GenericViewSet[Household]):
    """Households ever registered in the units of your scope, with their places and results."""

    serializer_class = HouseholdListSerializer
    filter_backends = [DjangoFilterBackend]  # for the schema; the list runs the filter itself
    filterset_class = HouseholdFilter
    lookup_value_regex = r"\d+"

    def _filter(self) -> HouseholdFilter:
        """The same filter as the registry screen; a place outside the scope is a 404."""
        found = HouseholdFilter(self.request.query_params, request=self.request)
        if not found.is_valid():
            raise translate_validation(found.errors)
        found.qs  # noqa: B018  # runs the filter, which finds the places
        for name, error in found.not_found.items():
            raise NotFound(f"{name}: {error}")
        return found

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular building the schema
            return Household.objects.none()
        return self._filter().qs

    @extend_schema(
        summary="Danh sách hộ trong phạm vi",
        responses=HouseholdListSerializer(many=True),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Households in your scope, by code; each with its place and result of the year."""
        found = self._filter()
        page = self.paginate_queryset(found.qs)
        households = list(page) if page is not None else []
        ids = [h.pk for h in households]
        year = found.form.cleaned_data.get("year")
        context = {
            "places": registry_selectors.household_places_on(ids, found.on),
            "assessments": registry_selectors.household_assessments_of(
                ids, int(year) if year else None
            ),
        }
        serializer = HouseholdListSerializer(households, many=True, context=context)
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        summary="Một hộ: nơi cư trú, thành viên, kết quả rà soát theo năm",
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Mã số hộ"),
            HouseholdFileQuerySerializer,
        ],
        responses=HouseholdDetailSerializer,
    )
    def retrieve(self, request: Request, pk: str, *args: Any, **kwargs: Any) -> Response:
        """One household; members' citizen IDs masked unless ``full`` is asked by a role that
        may see them, and then the read is logged."""
        with not_found("Không tìm thấy hộ."):
            household = access_household(request.user, int(pk))
        params = HouseholdFileQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        may_see = may_see_full_citizen_ids(request.user, household)
        full_ids = may_see and params.validated_data["full"]
        found = registry_selectors.household_record(household)
        if full_ids and any(member.citizen_id for member in found.members):
            access_log_record(
                user=request.user,
                subject=household,
                what="household_members_api",
                province_code=household.province_code,
            )
        record = HouseholdFile(
            household=household,
            places=found.places,
            members=found.members,
            assessments=found.assessments,
            full_ids=full_ids,
            may_see_full_ids=may_see,
        )
        return Response(HouseholdDetailSerializer(record).data)


# --- Poverty standards ----------------------------------------------------------------------------


@extend_schema(tags=[STANDARDS_TAG])
class StandardViewSet(viewsets.ReadOnlyModelViewSet[PovertyStandard]):
    """The poverty standards as loaded from the rules: public, as the law they come from."""

    permission_classes = [AllowAny]
    serializer_class = PovertyStandardSerializer
    queryset = place_selectors.standards()
    filter_backends: list[Any] = []
    lookup_field = "code"
    lookup_value_regex = r"[a-z0-9-]+"

    @extend_schema(summary="Các chuẩn nghèo, chỉ số thiếu hụt và mức thu nhập")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Một chuẩn nghèo",
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Mã chuẩn, ví dụ nd-07-2021",
            )
        ],
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)


# --- The periodic review -------------------------------------------------------------------------


def review_for_writing(user: Any, review_id: int) -> tuple[Review, ReviewWriter]:
    """The review and what the user may record on it; 404 for those who may only read it."""
    with not_found("Không tìm thấy đợt rà soát."):
        return access_review_for_write(user, review_id, any_village=True)


REVIEW_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Mã số đợt rà soát"
)


@extend_schema(tags=[REVIEW_TAG])
class ReviewViewSet(viewsets.GenericViewSet[Review]):
    """The periodic reviews of the communes of your scope, and the steps recorded through them."""

    serializer_class = ReviewSerializer
    filter_backends: list[Any] = []  # the query parameters are read by get_queryset
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular building the schema
            return Review.objects.none()
        params = ReviewQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        as_of = review_date(data["year"]) if data.get("year") else None
        unit = _unit_in_scope(self.request.user, data["unit"], as_of) if data.get("unit") else None
        return selectors.reviews_listed(
            self.request.user, year=data.get("year"), status=data.get("status") or "", unit=unit
        )

    @extend_schema(
        summary="Các đợt rà soát định kỳ trong phạm vi",
        parameters=[ReviewQuerySerializer],
        responses=ReviewSerializer(many=True),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Reviews in your scope, latest year first."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ReviewSerializer(page, many=True).data)

    @extend_schema(
        summary="Một đợt rà soát: các bước, số hộ, họp thôn, niêm yết, quyết định",
        parameters=[REVIEW_ID],
        responses=ReviewDetailSerializer,
    )
    def retrieve(self, request: Request, pk: str, *args: Any, **kwargs: Any) -> Response:
        """One review; the commune's report as frozen at the decision, once decided."""
        with not_found("Không tìm thấy đợt rà soát."):
            review = access_review(request.user, int(pk))
        return Response(ReviewDetailSerializer(review, context={"user": request.user}).data)

    @extend_schema(
        summary="Ghi phiếu khảo sát của một hộ trong danh sách (bước 2)",
        parameters=[REVIEW_ID],
        request=SurveyInputSerializer,
        responses={201: AssessmentSerializer},
    )
    @action(detail=True, methods=["post"], url_path="surveys")
    def surveys(self, request: Request, pk: str, *args: Any, **kwargs: Any) -> Response:
        """Record a listed household's survey; it is classified at once."""
        review, writer = review_for_writing(request.user, int(pk))
        payload = SurveyInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        code = payload.validated_data["household"].strip()
        entry = selectors.review_entry(review, code=code)
        if entry is None or not writer.covers(entry.hamlet_id):
            raise serializers.ValidationError(
                {"household": [f"Hộ mã {code} không có trong danh sách rà soát bạn được ghi."]}
            )
        with service_refusals():
            assessment = services.review_act(
                review=review,
                action=ReviewAction.SURVEY,
                data={"household": entry.household, "survey": payload.survey()},
                actor=request.user,
            )
        assessment = selectors.assessment_shown(assessment.pk)
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Ghi cuộc họp thôn, tổ dân phố (bước 3)",
        parameters=[REVIEW_ID],
        request=MeetingInputSerializer,
        responses={201: VillageMeetingSerializer},
    )
    @action(detail=True, methods=["post"], url_path="meetings")
    def meetings(self, request: Request, pk: str, *args: Any, **kwargs: Any) -> Response:
        """Record a village meeting: adopted if more than half of those present agree,
        otherwise the village's households are surveyed again and it meets again."""
        review, writer = review_for_writing(request.user, int(pk))
        payload = MeetingInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data["hamlet"] = self._hamlet(request.user, data["hamlet"], writer)
        with service_refusals():
            meeting = services.review_act(
                review=review, action=ReviewAction.MEETING, data=data, actor=request.user
            )
        return Response(VillageMeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _hamlet(user: Any, hamlet_id: int, writer: ReviewWriter) -> Hamlet:
        try:
            hamlet = access_hamlet(user, hamlet_id, for_write=True)
        except Http404:
            hamlet = None
        if hamlet is None or not (writer.commune or hamlet.pk in writer.hamlet_ids):
            raise serializers.ValidationError(
                {"hamlet": ["Không tìm thấy thôn, tổ dân phố bạn được ghi."]}
            )
        return hamlet


# --- The regular review (on request) ------------------------------------------------------------


@extend_schema(tags=[REVIEW_TAG])
class RequestViewSet(viewsets.GenericViewSet[ReviewRequest]):
    """Households' requests for a regular review (Mẫu 04) in the communes of your scope."""

    serializer_class = ReviewRequestSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular building the schema
            return ReviewRequest.objects.none()
        params = ReviewRequestQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        unit = _unit_in_scope(self.request.user, data["unit"], None) if data.get("unit") else None
        return request_selectors.review_requests(
            self.request.user, unit=unit, status=data.get("status") or ""
        )

    @extend_schema(
        summary="Các đề nghị rà soát thường xuyên trong phạm vi",
        parameters=[ReviewRequestQuerySerializer],
        responses=ReviewRequestSerializer(many=True),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Requests in your scope, latest first, with their legal due date."""
        page = self.paginate_queryset(self.get_queryset())
        context = {"today": timezone.localdate()}
        return self.get_paginated_response(
            ReviewRequestSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        summary="Nhận đề nghị rà soát thường xuyên của một hộ (Mẫu 04)",
        request=ReviewRequestInputSerializer,
        responses={201: ReviewRequestSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Receive a request for a household registered now in a commune you write for."""
        if not may_receive_requests(request.user):
            raise NotFound("Không tìm thấy trang.")
        payload = ReviewRequestInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        code = data["household"].strip()
        found = request_selectors.household_to_receive(request.user, code)
        if found is None:
            raise serializers.ValidationError(
                {"household": [f"Không tìm thấy hộ mã {code} đang cư trú trong phạm vi của bạn."]}
            )
        with service_refusals():
            received = services.request_receive(
                household=found,
                received_on=data.get("received_on") or timezone.localdate(),
                asks=data["asks"],
                reason=data["reason"],
                actor=request.user,
            )
        return Response(
            ReviewRequestSerializer(received, context={"today": timezone.localdate()}).data,
            status=status.HTTP_201_CREATED,
        )
