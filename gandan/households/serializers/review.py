"""What the review endpoints of ``/api/v1/poverty/`` read and return: reviews, their steps, surveys, village meetings, and the requests for a regular review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gandan.core.forms import FIRST_YEAR, LAST_YEAR
from gandan.geo.api import UnitBriefSerializer
from gandan.geo.models import Hamlet
from gandan.households import selectors, services
from gandan.households.models import (
    FrozenReport,
    RequestStatus,
    Review,
    ReviewAction,
    ReviewRequest,
    ReviewStatus,
    VillageMeeting,
)
from gandan.households.serializers.households import PlaceHamletSerializer


class ReviewQuerySerializer(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField(
        required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR, help_text="Năm rà soát"
    )
    unit = serializers.CharField(
        required=False,
        max_length=10,
        help_text="Mã đơn vị trong phạm vi của bạn (một xã, phường hoặc cả tỉnh)",
    )
    status = serializers.ChoiceField(
        choices=ReviewStatus.choices, required=False, help_text="Bước của đợt rà soát"
    )


class ReviewRequestQuerySerializer(serializers.Serializer[dict[str, Any]]):
    unit = serializers.CharField(
        required=False, max_length=10, help_text="Mã đơn vị trong phạm vi của bạn"
    )
    status = serializers.ChoiceField(
        choices=RequestStatus.choices, required=False, help_text="Tình trạng giải quyết"
    )


class SurveyInputSerializer(serializers.Serializer[dict[str, Any]]):
    """The surveyor's answers for one household of the review's list (phiếu B1, B2)."""

    household = serializers.CharField(max_length=32, help_text="Mã hộ trong danh sách rà soát")
    income_per_capita = serializers.IntegerField(help_text="Thu nhập bình quân người/tháng (đồng)")
    deprived = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        default=list,
        help_text="Mã các chỉ số thiếu hụt của chuẩn nghèo năm rà soát",
    )
    members = serializers.IntegerField(help_text="Số nhân khẩu")
    b1_score = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="Điểm phiếu B1"
    )
    b2_score = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="Điểm phiếu B2"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")

    def survey(self) -> services.Survey:
        data = self.validated_data
        return services.Survey(
            income_per_capita=data["income_per_capita"],
            deprived=list(data["deprived"]),
            members=data["members"],
            b1_score=data.get("b1_score"),
            b2_score=data.get("b2_score"),
            note=data["note"],
        )


class MeetingInputSerializer(serializers.Serializer[dict[str, Any]]):
    """A village meeting of step 3: adopted if more than half of those present agree."""

    hamlet = serializers.IntegerField(min_value=1, help_text="Mã thôn, tổ dân phố (id)")
    held_on = serializers.DateField(help_text="Ngày họp")
    chaired_by = serializers.CharField(max_length=120, help_text="Người chủ trì (trưởng thôn)")
    supervised_by = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        default="",
        help_text="Đại diện Mặt trận giám sát",
    )
    present = serializers.IntegerField(help_text="Số người dự họp")
    agree = serializers.IntegerField(help_text="Số người đồng ý")
    minutes = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Biên bản (tóm tắt)"
    )


class ReviewRequestInputSerializer(serializers.Serializer[dict[str, Any]]):
    """A household's request for a regular review (Mẫu 04)."""

    household = serializers.CharField(max_length=32, help_text="Mã hộ trong phạm vi của bạn")
    received_on = serializers.DateField(
        required=False, help_text="Ngày nhận đề nghị, mặc định hôm nay"
    )
    asks = serializers.ChoiceField(
        choices=ReviewRequest._meta.get_field("asks").choices or [], help_text="Hộ đề nghị gì"
    )
    reason = serializers.CharField(help_text="Lý do đề nghị")


class VillageMeetingSerializer(serializers.ModelSerializer[VillageMeeting]):
    hamlet = PlaceHamletSerializer()

    class Meta:
        model = VillageMeeting
        fields = [
            "id",
            "hamlet",
            "round",
            "held_on",
            "chaired_by",
            "supervised_by",
            "present",
            "agree",
            "accepted",
            "minutes",
        ]


class ReviewSerializer(serializers.ModelSerializer[Review]):
    unit = UnitBriefSerializer()
    standard = serializers.CharField(source="standard.code")
    status_display = serializers.CharField(source="get_status_display")
    households = serializers.SerializerMethodField(help_text="Số hộ trong danh sách rà soát")

    class Meta:
        model = Review
        fields = [
            "id",
            "unit",
            "year",
            "standard",
            "status",
            "status_display",
            "started_on",
            "households",
            "posting_from",
            "posting_to",
            "decision_number",
            "decided_on",
        ]

    def get_households(self, review: Review) -> int:
        listed = getattr(review, "listed", None)  # annotated by the list
        return int(listed) if listed is not None else review.entries.count()


class ReviewStepSerializer(serializers.Serializer[Any]):
    status = serializers.CharField()
    name = serializers.CharField()
    state = serializers.ChoiceField(
        choices=[("done", "Đã xong"), ("current", "Đang làm"), ("todo", "Chưa đến")]
    )


class StandingCountsSerializer(serializers.Serializer[Any]):
    poor = serializers.IntegerField()
    near_poor = serializers.IntegerField()
    average = serializers.IntegerField()
    not_poor = serializers.IntegerField()


class ReviewCountsSerializer(serializers.Serializer[Any]):
    listed = serializers.IntegerField(help_text="Hộ trong danh sách rà soát")
    listed_poor = serializers.IntegerField(help_text="… vì đang là hộ nghèo")
    listed_near_poor = serializers.IntegerField(help_text="… vì đang là hộ cận nghèo")
    listed_on_request = serializers.IntegerField(help_text="… vì có giấy đề nghị (Mẫu 01)")
    surveyed = serializers.IntegerField(help_text="Hộ trong danh sách đã có phiếu khảo sát")
    unsurveyed = serializers.IntegerField()
    standings = StandingCountsSerializer(help_text="Kết quả phân loại của các hộ đã khảo sát")


class ReviewHamletSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    households = serializers.IntegerField(help_text="Hộ của thôn trong danh sách rà soát")
    rounds = serializers.IntegerField(help_text="Số lần đã họp")
    adopted = serializers.BooleanField(help_text="Cuộc họp gần nhất đã thông qua kết quả")


class FrozenReportSerializer(serializers.ModelSerializer[FrozenReport]):
    class Meta:
        model = FrozenReport
        fields = ["frozen_at", "data"]


class ReviewDetailSerializer(ReviewSerializer):
    """A review with its steps, counts, village meetings and, once decided, the frozen report."""

    steps = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    hamlets = serializers.SerializerMethodField(help_text="Các thôn phải họp (bước 3)")
    meetings = serializers.SerializerMethodField()
    frozen_report = serializers.SerializerMethodField(
        help_text="Báo cáo của xã chốt khi có quyết định công nhận; null trước đó"
    )
    actions = serializers.SerializerMethodField(
        help_text="Các bước bạn ghi được ngay lúc này (như màn hình rà soát cho phép)"
    )

    class Meta(ReviewSerializer.Meta):
        fields = [
            *ReviewSerializer.Meta.fields,
            "steps",
            "counts",
            "hamlets",
            "meetings",
            "frozen_report",
            "actions",
        ]

    @extend_schema_field(ReviewStepSerializer(many=True))
    def get_steps(self, review: Review) -> list[dict[str, str]]:
        return [
            {"status": step.status, "name": step.label, "state": step.state}
            for step in selectors.review_steps(review)
        ]

    @extend_schema_field(ReviewCountsSerializer)
    def get_counts(self, review: Review) -> dict[str, Any]:
        return selectors.review_counts([review])[review.pk].as_dict()

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=ReviewAction.choices))
    )
    def get_actions(self, review: Review) -> list[str]:
        user = self.context.get("user")
        if user is None:
            return []
        available = selectors.review_actions(user, review)
        return [action for action in ReviewAction.values if action in available]

    @extend_schema_field(ReviewHamletSerializer(many=True))
    def get_hamlets(self, review: Review) -> list[dict[str, Any]]:
        households = dict(
            review.entries.filter(hamlet__isnull=False)
            .values_list("hamlet_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        last: dict[int, VillageMeeting] = {}
        rounds: dict[int, int] = {}
        for meeting in self._meetings(review):
            last[meeting.hamlet_id] = meeting
            rounds[meeting.hamlet_id] = rounds.get(meeting.hamlet_id, 0) + 1
        hamlets = Hamlet.objects.filter(pk__in=list(households)).order_by("name", "pk")
        return [
            {
                "id": hamlet.pk,
                "name": hamlet.name,
                "households": households[hamlet.pk],
                "rounds": rounds.get(hamlet.pk, 0),
                "adopted": hamlet.pk in last and last[hamlet.pk].accepted,
            }
            for hamlet in hamlets
        ]

    @extend_schema_field(VillageMeetingSerializer(many=True))
    def get_meetings(self, review: Review) -> Any:
        return VillageMeetingSerializer(self._meetings(review), many=True).data

    @extend_schema_field(FrozenReportSerializer(allow_null=True))
    def get_frozen_report(self, review: Review) -> Any:
        frozen = FrozenReport.objects.filter(review=review).first()
        return FrozenReportSerializer(frozen).data if frozen is not None else None

    def _meetings(self, review: Review) -> list[VillageMeeting]:
        cache: dict[int, list[VillageMeeting]] = self.context.setdefault("meetings", {})
        if review.pk not in cache:
            cache[review.pk] = list(
                VillageMeeting.objects.filter(review=review)
                .select_related("hamlet")
                .order_by("hamlet__name", "hamlet_id", "round")
            )
        return cache[review.pk]


class ReviewRequestSerializer(serializers.ModelSerializer[ReviewRequest]):
    household = serializers.CharField(source="household.code", help_text="Mã hộ")
    household_id = serializers.IntegerField()
    unit = UnitBriefSerializer()
    asks_display = serializers.CharField(source="get_asks_display")
    status_display = serializers.CharField(source="get_status_display")
    late = serializers.SerializerMethodField(
        help_text="Đã giải quyết sau hạn, hoặc chưa giải quyết mà đã quá hạn"
    )

    class Meta:
        model = ReviewRequest
        fields = [
            "id",
            "household",
            "household_id",
            "unit",
            "received_on",
            "due_on",
            "asks",
            "asks_display",
            "reason",
            "status",
            "status_display",
            "decided_on",
            "answer",
            "late",
        ]

    def get_late(self, request: ReviewRequest) -> bool:
        today: dt.date = self.context.get("today") or timezone.localdate()
        return request.is_late(today)
