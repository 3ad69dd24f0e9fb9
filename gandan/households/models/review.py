"""The yearly review: a commune's review, its entries, each household's assessment, the village
meetings, requests for review, and the report fixed at the end."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from gandan.core.models import StampedModel
from gandan.geo.models import hamlet_field
from gandan.households.models.registry import Household, Location
from gandan.households.models.standards import PovertyStandard, Standing

REVIEW_START = (9, 1)  # 1 September
REVIEW_END = (12, 14)  # 14 December: the periodic review's lists are fixed by then


def review_date(year: int) -> dt.date:
    """The day a year's periodic review is counted on: units and households as of 14 December."""
    return dt.date(year, *REVIEW_END)


class ReviewStatus(models.TextChoices):
    LISTING = "listing", "Lập danh sách hộ cần rà soát"  # step 1
    SURVEYING = "surveying", "Khảo sát, chấm điểm"  # step 2
    MEETINGS = "meetings", "Họp thôn, tổ dân phố"  # step 3
    POSTING = "posting", "Niêm yết công khai"  # step 4
    DECIDED = "decided", "Đã có quyết định công nhận"  # step 5: the year is locked


class ReviewAction(models.TextChoices):
    """The steps recorded on an open review, as the screen's forms and the API name them."""

    REQUEST_ADD = "request_add", "Bổ sung hộ có giấy đề nghị"  # joins the list (Mẫu 01)
    SURVEY = "survey", "Ghi phiếu khảo sát"  # step 2, one household
    MEETING = "meeting", "Ghi cuộc họp thôn"  # step 3, one village
    POST = "post", "Niêm yết công khai"  # step 4
    DECIDE = "decide", "Quyết định công nhận"  # step 5


class Review(StampedModel):
    """A commune's periodic review of one year (rà soát định kỳ)."""

    unit = models.ForeignKey(
        "geo.Unit", verbose_name="xã, phường", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("năm rà soát")
    standard = models.ForeignKey(
        PovertyStandard, verbose_name="chuẩn nghèo", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "bước", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.LISTING
    )
    started_on = models.DateField("ngày bắt đầu")
    posting_from = models.DateField("niêm yết từ", null=True, blank=True)
    posting_to = models.DateField("niêm yết đến", null=True, blank=True)
    decision_number = models.CharField("số quyết định", max_length=40, blank=True)
    decided_on = models.DateField("ngày quyết định", null=True, blank=True)
    province_code = models.CharField("mã tỉnh", max_length=4)

    class Meta:
        verbose_name = "đợt rà soát"
        verbose_name_plural = "đợt rà soát"
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_periodic_review_per_year")
        ]

    def __str__(self) -> str:
        return f"Rà soát {self.year} — {self.unit_id}"

    @property
    def is_locked(self) -> bool:
        return self.status == ReviewStatus.DECIDED

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("households:review", args=[self.pk])


class ReviewEntry(models.Model):
    """A household on a review's list, and why it is there."""

    class Reason(models.TextChoices):
        POOR = "poor", "Đang là hộ nghèo"
        NEAR_POOR = "near_poor", "Đang là hộ cận nghèo"
        REQUEST = "request", "Có giấy đề nghị (Mẫu 01)"

    review = models.ForeignKey(
        Review, verbose_name="đợt rà soát", on_delete=models.CASCADE, related_name="entries"
    )
    household = models.ForeignKey(
        Household, verbose_name="hộ", on_delete=models.PROTECT, related_name="+"
    )
    hamlet = hamlet_field()
    reason = models.CharField("lý do rà soát", max_length=10, choices=Reason.choices)

    class Meta:
        verbose_name = "hộ trong danh sách rà soát"
        verbose_name_plural = "hộ trong danh sách rà soát"
        constraints = [
            models.UniqueConstraint(
                fields=["review", "household"], name="household_once_per_review"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_id} ({self.reason})"


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def recorded_on(self, as_of: dt.date) -> AssessmentQuerySet:
        """The assessments as the records stood on ``as_of`` (later corrections not yet made)."""
        return self.filter(recorded_on__lte=as_of).filter(
            Q(superseded_on__isnull=True) | Q(superseded_on__gt=as_of)
        )

    def current(self) -> AssessmentQuerySet:
        return self.filter(superseded_on__isnull=True)


class Assessment(StampedModel, Location):
    """A household's survey and classification in a review year (phiếu rà soát, kết quả).

    Rows are never changed once their year is decided: a correction is a new row recorded on
    its own date, and the old row is marked superseded from that date, so a report "as of" any
    date reads the records as they stood then.
    """

    household = models.ForeignKey(
        Household,
        verbose_name="hộ",
        on_delete=models.PROTECT,
        related_name="assessments",
        db_index=False,  # assessment_household_cover starts with it
    )
    year = models.PositiveSmallIntegerField("năm rà soát")
    standard = models.ForeignKey(
        PovertyStandard, verbose_name="chuẩn nghèo", on_delete=models.PROTECT, related_name="+"
    )
    review = models.ForeignKey(
        Review,
        verbose_name="đợt rà soát",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    ethnic_minority = models.BooleanField("hộ dân tộc thiểu số", default=False)
    farming = models.BooleanField("hộ nông, lâm, ngư, diêm nghiệp", default=False)
    members = models.PositiveSmallIntegerField("số nhân khẩu")
    income_per_capita = models.PositiveIntegerField("thu nhập bình quân người/tháng (đồng)")
    deprived = models.CharField("chỉ số thiếu hụt", max_length=400, blank=True)  # codes, ";"
    deprivation_count = models.PositiveSmallIntegerField("số chỉ số thiếu hụt", default=0)
    b1_score = models.PositiveSmallIntegerField("điểm B1", null=True, blank=True)
    b2_score = models.PositiveSmallIntegerField("điểm B2", null=True, blank=True)
    standing = models.CharField("kết quả phân loại", max_length=10, choices=Standing.choices)
    recorded_on = models.DateField("ghi nhận ngày")
    superseded_on = models.DateField("được thay thế từ ngày", null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name="đính chính cho",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    note = models.CharField("ghi chú", max_length=300, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "kết quả rà soát hộ"
        verbose_name_plural = "kết quả rà soát hộ"
        ordering = ["-year", "household"]
        indexes = [
            # Covers the report's reads of a year's lists (see selectors.poverty_report).
            models.Index(
                fields=[
                    "year",
                    "standing",
                    "unit",
                    "hamlet",
                    "household",
                    "area",
                    "ethnic_minority",
                    "recorded_on",
                    "superseded_on",
                ],
                name="assessment_report_cover",
            ),
            # A household's results by year; covers the report's question "was it on this list
            # in an earlier review?" without visiting the table.
            models.Index(
                fields=["household", "year", "standing", "recorded_on", "superseded_on"],
                name="assessment_household_cover",
            ),
            models.Index(fields=["unit", "year"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"],
                condition=Q(superseded_on__isnull=True),
                name="one_current_assessment_per_household_year",
                violation_error_message="Hộ này đã có kết quả rà soát trong năm này.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}: {self.standing}"

    @property
    def deprived_codes(self) -> list[str]:
        return [code for code in self.deprived.split(";") if code]


class VillageMeeting(StampedModel):
    """The village meeting of step 3: more than half of those present must agree."""

    review = models.ForeignKey(
        Review, verbose_name="đợt rà soát", on_delete=models.CASCADE, related_name="meetings"
    )
    hamlet = models.ForeignKey(
        "geo.Hamlet", verbose_name="thôn, tổ dân phố", on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveSmallIntegerField("lần họp", default=1)
    held_on = models.DateField("ngày họp")
    chaired_by = models.CharField("chủ trì", max_length=120)
    supervised_by = models.CharField("đại diện Mặt trận giám sát", max_length=120, blank=True)
    present = models.PositiveIntegerField("số người dự họp")
    agree = models.PositiveIntegerField("số người đồng ý")
    accepted = models.BooleanField("được thông qua")
    minutes = models.TextField("biên bản (tóm tắt)", blank=True)

    class Meta:
        verbose_name = "cuộc họp thôn"
        verbose_name_plural = "cuộc họp thôn"
        ordering = ["review", "hamlet", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "hamlet", "round"], name="one_meeting_per_round"
            ),
            models.CheckConstraint(
                condition=Q(agree__lte=models.F("present")),
                name="meeting_agree_within_present",
                violation_error_message="Số người đồng ý không thể lớn hơn số người dự họp.",
            ),
        ]

    def __str__(self) -> str:
        return f"Họp {self.hamlet_id} lần {self.round}: {'thông qua' if self.accepted else 'chưa thông qua'}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Đang xem xét"
    DECIDED = "decided", "Đã quyết định"
    REFUSED = "refused", "Đã trả lời không công nhận (có lý do)"


class ReviewRequest(StampedModel):
    """A household's request for a regular review (Mẫu 04), decided within the legal clock."""

    household = models.ForeignKey(
        Household, verbose_name="hộ", on_delete=models.PROTECT, related_name="requests"
    )
    unit = models.ForeignKey(
        "geo.Unit", verbose_name="xã, phường", on_delete=models.PROTECT, related_name="+"
    )
    province_code = models.CharField("mã tỉnh", max_length=4)
    received_on = models.DateField("ngày nhận")
    due_on = models.DateField("hạn giải quyết")
    asks = models.CharField(
        "đề nghị",
        max_length=10,
        choices=[
            ("enter", "Công nhận hộ nghèo, cận nghèo"),
            ("leave", "Công nhận thoát nghèo, thoát cận nghèo"),
        ],
    )
    reason = models.TextField("lý do đề nghị")
    status = models.CharField(
        "tình trạng", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_on = models.DateField("ngày giải quyết", null=True, blank=True)
    answer = models.TextField("trả lời", blank=True)
    assessment = models.ForeignKey(
        Assessment,
        verbose_name="kết quả",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "đề nghị rà soát thường xuyên"
        verbose_name_plural = "đề nghị rà soát thường xuyên"
        ordering = ["-received_on"]

    def __str__(self) -> str:
        return f"Đề nghị {self.household_id} ngày {self.received_on:%d/%m/%Y}"

    def is_late(self, on: dt.date) -> bool:
        decided = self.decided_on or on
        return decided > self.due_on


class FrozenReport(models.Model):
    """The commune's report of a year as it stood at the chair's decision."""

    review = models.OneToOneField(
        Review, verbose_name="đợt rà soát", on_delete=models.PROTECT, related_name="frozen_report"
    )
    frozen_at = models.DateTimeField("chốt lúc")
    data = models.JSONField("số liệu")

    class Meta:
        verbose_name = "báo cáo đã chốt"
        verbose_name_plural = "báo cáo đã chốt"

    def __str__(self) -> str:
        return f"Báo cáo chốt {self.review_id}"
