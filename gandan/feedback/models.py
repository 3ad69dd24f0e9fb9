"""Citizen reports (phản ánh, kiến nghị): categories and legal clocks as data, the reports
themselves, their photos and their history."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from gandan.core.models import StampedModel, ValidityModel, validity_constraint


class CaseType(ValidityModel):
    """What kind of case a report is, and the legal clock that follows (law as data)."""

    code = models.CharField("mã", max_length=32)
    name = models.CharField("loại vụ việc", max_length=120)
    answer_days = models.PositiveSmallIntegerField("thời hạn giải quyết (ngày)")
    working_days = models.BooleanField("tính theo ngày làm việc", default=True)
    accept_days = models.PositiveSmallIntegerField(
        "thời hạn thụ lý, chuyển (ngày)", null=True, blank=True
    )
    source = models.CharField("căn cứ", max_length=300)

    class Meta:
        verbose_name = "loại vụ việc"
        verbose_name_plural = "loại vụ việc"
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="casetype_unique_period"),
            validity_constraint("casetype_valid_period"),
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A broad subject a resident reports about; it says who handles it and which clock runs."""

    code = models.CharField("mã", max_length=32, unique=True)
    name = models.CharField("lĩnh vực", max_length=120)
    group = models.CharField("nhóm", max_length=80)
    hint = models.CharField("gợi ý", max_length=300, blank=True)
    keywords = models.CharField("từ khóa", max_length=300, blank=True)
    case_type_code = models.CharField("loại vụ việc", max_length=32)
    # Who handles it: the commune where it happened, or a provincial agency.
    handled_by = models.CharField(
        "cấp xử lý",
        max_length=10,
        choices=[("commune", "UBND xã, phường"), ("province", "Sở, ngành tỉnh")],
    )
    agency = models.CharField("cơ quan xử lý (cấp tỉnh)", max_length=160, blank=True)
    questions = models.JSONField("câu hỏi thêm", default=list, blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=100)
    active = models.BooleanField("đang dùng", default=True)
    source = models.CharField("căn cứ", max_length=300, blank=True)

    class Meta:
        verbose_name = "lĩnh vực phản ánh"
        verbose_name_plural = "lĩnh vực phản ánh"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    RECEIVED = "received", "Đã tiếp nhận"  # routed, waiting for the unit
    IN_PROGRESS = "in_progress", "Đang xử lý"
    ACTION_SCHEDULED = "action_scheduled", "Đã lên kế hoạch xử lý"
    FIXED = "fixed", "Đã khắc phục"
    CLOSED_NOT_FIXED = "closed_not_fixed", "Đã đóng, chưa khắc phục được"
    NOT_COMPETENT = "not_competent", "Không thuộc thẩm quyền"
    DUPLICATE = "duplicate", "Trùng phản ánh khác"
    TRANSFERRED = "transferred", "Đã chuyển cơ quan khác ngoài hệ thống"


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.ACTION_SCHEDULED})
ANSWERED_STATUSES = frozenset(
    {Status.FIXED, Status.CLOSED_NOT_FIXED, Status.NOT_COMPETENT, Status.TRANSFERRED}
)


# What the public reads instead of a report's text hidden by moderation.
HIDDEN_TEXT = "Nội dung đã được ẩn do vi phạm quy định"


class Channel(models.TextChoices):
    WEB = "web", "Cổng thông tin"
    OPEN311 = "open311", "Ứng dụng (Open311)"
    EMAIL = "email", "Thư điện tử"
    PHONE = "phone", "Điện thoại (cán bộ nhập)"
    COUNTER = "counter", "Trực tiếp (cán bộ nhập)"


def overdue_q(now: dt.datetime) -> Q:
    """Overdue: still open (not answered) and past its legal deadline at ``now``.

    Whether the unit above has been told (``escalated_at``) does not matter: that flag is set by
    an hourly job and only says who was warned.
    """
    return Q(status__in=OPEN_STATUSES, due_at__lt=now)


class ReportQuerySet(models.QuerySet["Report"]):
    def public(self) -> ReportQuerySet:
        return self.filter(duplicate_of__isnull=True)

    def open(self) -> ReportQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, *, now: dt.datetime) -> ReportQuerySet:
        return self.filter(overdue_q(now))


class Report(StampedModel):
    """One resident's report: what, where, when, who handles it, by when, and the public answer.

    The reporter's name, phone and email are personal data: never shown publicly, and the
    reporter may stay anonymous.
    """

    code = models.CharField("mã tra cứu", max_length=20, unique=True)
    category = models.ForeignKey(
        Category, verbose_name="lĩnh vực", on_delete=models.PROTECT, related_name="reports"
    )
    case_type = models.ForeignKey(
        CaseType, verbose_name="loại vụ việc", on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField("kênh", max_length=10, choices=Channel.choices)
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    title = models.CharField("tiêu đề", max_length=160)
    description = models.TextField("nội dung")
    latitude = models.FloatField("vĩ độ", null=True, blank=True)
    longitude = models.FloatField("kinh độ", null=True, blank=True)
    address = models.CharField("địa chỉ", max_length=300, blank=True)
    unit = models.ForeignKey(
        "geo.Unit", verbose_name="đơn vị xử lý", on_delete=models.PROTECT, related_name="+"
    )
    agency = models.CharField("cơ quan xử lý", max_length=160)
    province_code = models.CharField("mã tỉnh", max_length=4, db_index=True)
    received_at = models.DateTimeField("thời điểm tiếp nhận", db_index=True)
    due_at = models.DateTimeField("hạn xử lý")
    answered_at = models.DateTimeField("thời điểm trả lời", null=True, blank=True)
    answer = models.TextField("trả lời công khai", blank=True)
    satisfied = models.BooleanField("người phản ánh hài lòng", null=True, blank=True)
    rated_at = models.DateTimeField("thời điểm đánh giá", null=True, blank=True)
    reopened = models.PositiveSmallIntegerField("số lần mở lại", default=0)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="trùng với",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    escalated_at = models.DateTimeField(
        "thời điểm báo lên cấp trên (quá hạn)", null=True, blank=True
    )
    text_hidden = models.BooleanField("ẩn nội dung (kiểm duyệt)", default=False)
    followers = models.PositiveIntegerField("số người cùng theo dõi", default=0)
    # Personal data of the reporter: never public.
    reporter_name = models.CharField("họ tên người phản ánh", max_length=120, blank=True)
    reporter_email = models.EmailField("email người phản ánh", blank=True)
    reporter_phone = models.CharField("điện thoại người phản ánh", max_length=20, blank=True)
    reporter_token = models.CharField("mã bí mật của người phản ánh", max_length=40, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["province_code", "received_at"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["category", "latitude", "longitude"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | (Q(latitude__gte=8) & Q(latitude__lte=24)),
                name="report_lat_in_vn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, now: dt.datetime) -> bool:
        """The row-level twin of :func:`overdue_q`."""
        return self.is_open and self.due_at < now


class Photo(models.Model):
    report = models.ForeignKey(
        Report, verbose_name="phản ánh", on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField("ảnh", upload_to="feedback/%Y/%m/")
    redacted = models.BooleanField("đã che (kiểm duyệt)", default=False)

    class Meta:
        verbose_name = "ảnh phản ánh"
        verbose_name_plural = "ảnh phản ánh"

    def __str__(self) -> str:
        return f"Ảnh {self.pk} của {self.report.code}"


class Moderation(models.Model):
    """Each moderation act (hide text, redact a photo, restore), kept as history."""

    report = models.ForeignKey(
        Report, verbose_name="phản ánh", on_delete=models.CASCADE, related_name="moderations"
    )
    at = models.DateTimeField("thời điểm", auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người kiểm duyệt", on_delete=models.PROTECT
    )
    action = models.CharField("thao tác", max_length=32)
    reason = models.CharField("lý do", max_length=300)

    class Meta:
        verbose_name = "kiểm duyệt"
        verbose_name_plural = "kiểm duyệt"
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.report.code}: {self.action}"


# --- Meetings, opinions and the tasks that follow them up ----------------------------------


class Agency(models.Model):
    """A body that answers opinions and carries out tasks: a provincial department, a commune's committee, …"""

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên cơ quan", max_length=200)
    unit = models.ForeignKey(
        "geo.Unit", verbose_name="thuộc đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField("thư điện tử", blank=True)

    class Meta:
        verbose_name = "cơ quan"
        verbose_name_plural = "cơ quan"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MeetingKind(models.TextChoices):
    CONFERENCE = "conference", "Hội nghị"
    VOTER_MEETING = "voter_meeting", "Tiếp xúc cử tri"
    COUNCIL_SESSION = "council_session", "Kỳ họp Hội đồng nhân dân"
    DIALOGUE = "dialogue", "Đối thoại với Nhân dân"


class Meeting(StampedModel):
    kind = models.CharField("loại", max_length=20, choices=MeetingKind.choices)
    title = models.CharField("tên cuộc họp", max_length=300)
    held_on = models.DateField("ngày họp")
    host_unit = models.ForeignKey(
        "geo.Unit", verbose_name="đơn vị chủ trì", on_delete=models.PROTECT, related_name="+"
    )
    attendees = models.PositiveIntegerField("số đại biểu dự")
    attendees_by_kind = models.JSONField("thành phần dự", default=dict, blank=True)
    minutes = models.TextField("biên bản, kết luận", blank=True)
    province_code = models.CharField("mã tỉnh", max_length=4, db_index=True)

    class Meta:
        verbose_name = "cuộc họp, hội nghị"
        verbose_name_plural = "cuộc họp, hội nghị"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Opinion(StampedModel):
    """An opinion or petition raised at a meeting, by a delegate of a unit, on a topic."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="cuộc họp", on_delete=models.PROTECT, related_name="opinions"
    )
    number = models.PositiveSmallIntegerField("số thứ tự")
    author = models.CharField("người nêu ý kiến", max_length=160)
    author_unit = models.ForeignKey(
        "geo.Unit",
        verbose_name="đơn vị của người nêu",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    topic = models.CharField("chủ đề", max_length=200)
    text = models.TextField("nội dung")

    class Meta:
        verbose_name = "ý kiến, kiến nghị"
        verbose_name_plural = "ý kiến, kiến nghị"
        ordering = ["meeting_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="opinion_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.topic}"


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", "Đã giao"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    ANSWERED = "answered", "Đã trả lời"  # waiting for the author's acceptance
    ACCEPTED = "accepted", "Người nêu ý kiến đã chấp nhận"
    REJECTED = "rejected", "Người nêu ý kiến chưa đồng ý"  # back to the agency


TASK_OPEN = frozenset({TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.REJECTED})


class Task(StampedModel):
    """Follow-up of an opinion or of a leader's directive, by a lead agency, by a deadline."""

    opinion = models.ForeignKey(
        Opinion,
        verbose_name="ý kiến",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    directive = models.TextField("nội dung chỉ đạo", blank=True)
    lead = models.ForeignKey(
        Agency, verbose_name="cơ quan chủ trì", on_delete=models.PROTECT, related_name="tasks"
    )
    partners = models.ManyToManyField(
        Agency, verbose_name="cơ quan phối hợp", blank=True, related_name="shared_tasks"
    )
    assigned_on = models.DateField("ngày giao")
    deadline = models.DateField("hạn hoàn thành")
    status = models.CharField(
        "trạng thái", max_length=16, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED
    )
    answer = models.TextField("trả lời", blank=True)
    answered_on = models.DateField("ngày trả lời", null=True, blank=True)
    reminded_on = models.DateField("ngày nhắc hạn", null=True, blank=True)
    province_code = models.CharField("mã tỉnh", max_length=4, db_index=True)

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("assigned_on")),
                name="task_deadline_after_assigned",
            ),
            models.CheckConstraint(
                condition=~Q(opinion__isnull=True, directive=""), name="task_has_a_source"
            ),
        ]

    def __str__(self) -> str:
        return f"Nhiệm vụ {self.pk}: {self.lead}"

    def is_late(self, today: dt.date) -> bool:
        """Still open after its deadline."""
        return self.status in TASK_OPEN and self.deadline < today


class TaskNote(models.Model):
    task = models.ForeignKey(
        Task, verbose_name="nhiệm vụ", on_delete=models.CASCADE, related_name="notes"
    )
    at = models.DateTimeField("thời điểm", auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    text = models.TextField("tiến độ")

    class Meta:
        verbose_name = "tiến độ nhiệm vụ"
        verbose_name_plural = "tiến độ nhiệm vụ"
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.task}: {self.text[:40]}"
