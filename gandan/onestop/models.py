"""The one-stop desk: the procedure catalogue and dossiers from receipt to return.

A procedure (``Procedure``) keeps its identity; what the law says about it — steps, time
limit, documents, fees — lives in versions (``ProcedureVersion``) with an effective period.
A dossier is pinned to the version in force when it was received, so a later change of the
law never moves an old dossier's deadline.

Time on a dossier: ``due_at`` is the legal due time (moved later only by supplement pauses);
``appointment_at`` is what the citizen was told (moved by an apology's new appointment). The
on-time metric compares the end with ``due_at``, never with a new appointment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from gandan.core.calendar import TimeUnit
from gandan.core.crypto import EncryptedTextField
from gandan.core.models import (
    FoldedCharField,
    StampedModel,
    ValidityModel,
    ValidityQuerySet,
    user_field,
    validity_constraint,
)
from gandan.geo.models import Unit


class ProcedureLevel(models.TextChoices):
    COMMUNE = "commune", "Cấp xã"
    PROVINCE = "province", "Cấp tỉnh"


class OnlineLevel(models.TextChoices):
    FULL = "full", "Toàn trình"  # filed, paid and returned online
    PARTIAL = "partial", "Một phần"  # filed online, something done at the desk
    NONE = "none", "Không trực tuyến"


class LimitUnit(models.TextChoices):
    WORKING_DAYS = TimeUnit.WORKING_DAYS, "ngày làm việc"
    WORKING_HOURS = TimeUnit.WORKING_HOURS, "giờ làm việc"
    CALENDAR_DAYS = TimeUnit.CALENDAR_DAYS, "ngày"
    SAME_DAY = TimeUnit.SAME_DAY, "trong ngày"


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính), by its national code."""

    code = models.CharField("mã thủ tục", max_length=32, unique=True)
    name = models.CharField("tên thủ tục", max_length=300)
    field = models.CharField("lĩnh vực", max_length=120)
    level = models.CharField("cấp thực hiện", max_length=10, choices=ProcedureLevel.choices)

    class Meta:
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        ordering = ["field", "name"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProcedureVersionQuerySet(ValidityQuerySet["ProcedureVersion"]):
    def in_force(self, on: dt.date) -> Self:
        """The versions whose period contains ``on``: the law as it stood that day."""
        return self.valid_on(on)


class ProcedureVersion(ValidityModel):
    """What the law says about a procedure over a period: steps, limit, documents, fees."""

    procedure = models.ForeignKey(
        Procedure, verbose_name="thủ tục", on_delete=models.PROTECT, related_name="versions"
    )
    agency = models.CharField("cơ quan giải quyết", max_length=200)
    time_limit = models.PositiveSmallIntegerField("thời hạn giải quyết")
    time_unit = models.CharField("đơn vị thời hạn", max_length=16, choices=LimitUnit.choices)
    # "Received after 15:00: from the next working day" (certification, civil status).
    cutoff = models.TimeField("giờ tiếp nhận muộn nhất trong ngày", null=True, blank=True)
    # False where the time limit is not taken from the published procedure (UNVERIFIED).
    time_verified = models.BooleanField("thời hạn đã đối chiếu văn bản", default=True)
    fee = models.PositiveIntegerField("phí, lệ phí (đồng)", default=0)
    fee_note = models.CharField("ghi chú phí", max_length=300, blank=True)
    # [{"code": "to_khai", "name": "Tờ khai …", "required": true}, …]
    documents = models.JSONField("thành phần hồ sơ", default=list)
    result = models.CharField("kết quả", max_length=300)
    online = models.CharField("dịch vụ công trực tuyến", max_length=8, choices=OnlineLevel.choices)
    legal_basis = models.TextField("căn cứ pháp lý")
    source = models.CharField("nguồn", max_length=300)

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "phiên bản thủ tục"
        verbose_name_plural = "phiên bản thủ tục"
        constraints = [
            validity_constraint("procedure_version_valid_period"),
            models.UniqueConstraint(
                fields=["procedure", "valid_from"], name="procedure_version_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} từ {self.valid_from or '…'}"

    @property
    def time_limit_label(self) -> str:
        if self.time_unit == LimitUnit.SAME_DAY:
            text = "Trong ngày"
        else:
            text = f"{self.time_limit} {self.get_time_unit_display()}"
        if self.cutoff:
            text += f" (nhận sau {self.cutoff:%H:%M} tính từ ngày làm việc tiếp theo)"
        return text


class StepHandler(models.TextChoices):
    DESK = "desk", "Bộ phận một cửa"  # receives and returns
    SPECIALIST = "specialist", "Công chức chuyên môn"  # examines, drafts the result
    LEADER = "leader", "Lãnh đạo UBND"  # signs
    PROVINCE = "province", "Cơ quan cấp tỉnh"  # an inter-agency step (liên thông)


class ProcedureStep(models.Model):
    """One step of a procedure version and its share of the time limit."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name="phiên bản", on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField("thứ tự")
    name = models.CharField("tên bước", max_length=200)
    handler = models.CharField(
        "đơn vị, người thực hiện", max_length=12, choices=StepHandler.choices
    )
    agency_name = models.CharField("cơ quan (liên thông)", max_length=200, blank=True)
    share_percent = models.PositiveSmallIntegerField("tỉ lệ thời gian (%)")

    class Meta:
        verbose_name = "bước xử lý"
        verbose_name_plural = "bước xử lý"
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="procedure_step_unique_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class OnestopRule(models.Model):
    """A constant of the desk's rules (e.g. attachment size limit), with its source."""

    code = models.SlugField("mã", max_length=64, unique=True)
    value = models.CharField("giá trị", max_length=120)
    unit = models.CharField("đơn vị", max_length=20, blank=True)
    description = models.CharField("nội dung", max_length=300)
    source = models.CharField("căn cứ", max_length=400)

    class Meta:
        verbose_name = "quy định một cửa"
        verbose_name_plural = "quy định một cửa"

    def __str__(self) -> str:
        return f"{self.code} = {self.value}"


class Status(models.IntegerChoices):
    """The national status codes (values are the codes used with the national portal)."""

    REGISTERED = 1, "Mới đăng ký"  # filed online, not yet received by the desk
    RECEIVED = 2, "Đã tiếp nhận"
    REFUSED = 3, "Từ chối tiếp nhận"
    PROCESSING = 4, "Đang xử lý"
    SUPPLEMENT = 5, "Yêu cầu bổ sung"  # the clock is paused
    AWAITING_PAYMENT = 6, "Chờ thực hiện nghĩa vụ tài chính"
    WITHDRAWN = 7, "Công dân rút hồ sơ"
    STOPPED = 8, "Dừng xử lý"
    DONE = 9, "Đã có kết quả"
    RETURNED = 10, "Đã trả kết quả"


OPEN_STATUSES = (
    Status.RECEIVED,
    Status.PROCESSING,
    Status.SUPPLEMENT,
    Status.AWAITING_PAYMENT,
)
CLOSED_STATUSES = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED)
FINISHED_STATUSES = (Status.DONE, Status.RETURNED)


class DossierAction(models.TextChoices):
    """What staff may do to a dossier: the one vocabulary of the desk and of the API
    (``services.dossier_act``); the label is the desk's button."""

    ACCEPT = "accept", "Tiếp nhận hồ sơ trực tuyến"
    REFUSE = "refuse", "Từ chối tiếp nhận"
    FORWARD = "forward", "Chuyển bước tiếp theo"
    ASSIGN = "assign", "Giao người xử lý"
    SEND_BACK = "send_back", "Chuyển lại bước trước"
    REQUEST_SUPPLEMENT = "request_supplement", "Yêu cầu bổ sung hồ sơ"
    RESUME = "resume", "Nhận bổ sung, tiếp tục xử lý"
    REQUEST_PAYMENT = "request_payment", "Yêu cầu nộp phí, nghĩa vụ tài chính"
    RECORD_PAYMENT = "record_payment", "Ghi nhận đã nộp"
    FINISH = "finish", "Ghi nhận có kết quả"
    RETURN = "return", "Trả kết quả"
    APOLOGY = "apology", "Xin lỗi, hẹn lại"
    STOP = "stop", "Dừng xử lý"
    WITHDRAW = "withdraw", "Công dân rút hồ sơ"
    COMPLAINT = "complaint", "Ghi nhận phản ánh, kiến nghị"


class Channel(models.IntegerChoices):
    COUNTER = 1, "Trực tiếp"
    ONLINE = 2, "Trực tuyến"
    POST = 3, "Bưu chính công ích"


def lookup_source(code: str, value: str) -> str:
    """What a dossier's look-up key hashes: its code and the last four digits of ``value``
    (a citizen ID or a phone), or "" when ``value`` has fewer than four digits."""
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    return f"onestop:{code}:{digits[-4:]}" if len(digits) >= 4 else ""


def result_path(instance: Dossier, filename: str) -> str:
    return f"onestop/{instance.province_code}/{instance.code}/ket-qua/{filename}"


class DossierQuerySet(models.QuerySet["Dossier"]):
    def open(self) -> DossierQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Dossier(StampedModel):
    """One applicant's dossier for one procedure at one receiving unit."""

    code = models.CharField("mã hồ sơ", max_length=32, unique=True)
    province_code = models.CharField("mã tỉnh", max_length=4)
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị tiếp nhận", on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(
        ProcedureVersion, verbose_name="thủ tục", on_delete=models.PROTECT, related_name="+"
    )
    channel = models.PositiveSmallIntegerField("hình thức nộp", choices=Channel.choices)
    status = models.PositiveSmallIntegerField("trạng thái", choices=Status.choices)

    applicant_name = models.CharField("người nộp", max_length=120)
    # The name folded (core.text.fold: lower case, no diacritics), for the desk's search:
    # "nguyen thi hoa" finds "Nguyễn Thị Hoa".
    applicant_search_name = FoldedCharField(
        "người nộp (không dấu)", max_length=120, source="applicant_name"
    )
    applicant_id = EncryptedTextField("số định danh cá nhân", blank=True)
    applicant_phone = EncryptedTextField("số điện thoại", blank=True)
    applicant_email = models.EmailField("thư điện tử", blank=True)
    applicant_address = models.CharField("địa chỉ", max_length=300, blank=True)
    # Keyed hashes of (code, last four digits) of the ID and of the phone: the public
    # look-up compares them without decrypting anything or storing the digits.
    lookup_id_key = models.CharField(max_length=64, blank=True, editable=False)
    lookup_phone_key = models.CharField(max_length=64, blank=True, editable=False)
    # What each blind index hashes (core.crypto; recomputed when the field key rotates): the
    # public look-up's code and last four digits (onestop.services.lookup_key).
    BLIND_INDEXES: ClassVar[dict[str, Callable[[Any], str]]] = {
        "lookup_id_key": lambda d: lookup_source(d.code, d.applicant_id),
        "lookup_phone_key": lambda d: lookup_source(d.code, d.applicant_phone),
    }

    submitted_at = models.DateTimeField("nộp lúc")  # online: when filed; else = received
    received_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)
    starts_at = models.DateTimeField("bắt đầu tính thời hạn", null=True, blank=True)
    due_at = models.DateTimeField("hạn giải quyết", null=True, blank=True)
    appointment_at = models.DateTimeField("hẹn trả kết quả", null=True, blank=True)
    paused_at = models.DateTimeField("tạm dừng từ", null=True, blank=True)
    paused_hours = models.FloatField("thời gian tạm dừng (giờ làm việc)", default=0)
    supplement_count = models.PositiveSmallIntegerField("số lần yêu cầu bổ sung", default=0)
    finished_at = models.DateTimeField("có kết quả lúc", null=True, blank=True)
    # Office time from the clock's start to the result, pauses excluded (average handling time).
    handling_hours = models.FloatField("thời gian giải quyết (giờ làm việc)", null=True, blank=True)
    returned_at = models.DateTimeField("trả kết quả lúc", null=True, blank=True)
    closed_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)

    step_order = models.PositiveSmallIntegerField("bước hiện tại", default=1)
    current_unit = models.ForeignKey(
        Unit, verbose_name="đơn vị đang xử lý", on_delete=models.PROTECT, related_name="+"
    )
    assignee = user_field("người đang xử lý")
    handled_by = user_field("người giải quyết")
    result_note = models.TextField("kết quả", blank=True)
    result_electronic = models.BooleanField("kết quả điện tử", default=False)
    result_file = models.FileField("tệp kết quả điện tử", upload_to=result_path, blank=True)
    digitised = models.BooleanField("thành phần hồ sơ đã số hóa", default=False)
    reused = models.BooleanField("tái sử dụng dữ liệu đã số hóa", default=False)
    complaint = models.BooleanField("có phản ánh, kiến nghị", default=False)
    reason = models.TextField("lý do (từ chối, dừng, rút)", blank=True)
    idempotency_key = models.CharField(max_length=80, blank=True, editable=False)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # The desk's list and the API's, newest first: a page reads its rows along it.
            models.Index(fields=["submitted_at", "id"], name="dossier_list_order"),
            models.Index(fields=["province_code", "received_at"], name="dossier_received"),
            models.Index(fields=["unit", "received_at"], name="dossier_unit_received"),
            # The desk's count by status of a commune's dossiers (with ``dossier_current``).
            models.Index(fields=["unit", "status"], name="dossier_unit_status"),
            # The Decision 766 report's two branches (selectors._scope): dossiers finished
            # since the period's start, and dossiers not finished — a small set, since a desk
            # finishes nearly everything it receives.
            models.Index(fields=["province_code", "finished_at"], name="dossier_finished"),
            models.Index(
                fields=["province_code", "received_at"],
                name="dossier_unfinished",
                condition=models.Q(finished_at__isnull=True),
            ),
            models.Index(fields=["status", "due_at"], name="dossier_open_due"),
            # With the receiving unit: the desk counts the dossiers handed to a unit in scope
            # from outside it without reading the table.
            models.Index(fields=["current_unit", "status", "unit"], name="dossier_current_unit"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="dossier_idempotency_key",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_late(self, now: dt.datetime) -> bool:
        """Late on the Decision 766 rule: past due (at the end, or now if open), or a second
        supplement request."""
        if self.due_at is None:
            return False
        if self.supplement_count > 1:
            return True
        end = self.finished_at or (self.closed_at if not self.is_open else None) or now
        return end > self.due_at


class DossierSequence(models.Model):
    """The last number issued for a receiving unit's day (codes ``{unit}-{yyMMdd}-{NNNN}``)."""

    unit_code = models.CharField(max_length=8)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit_code", "day"], name="dossier_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.day}: {self.last}"


def attachment_path(instance: DossierDocument, filename: str) -> str:
    return f"onestop/{instance.dossier.province_code}/{instance.dossier.code}/{filename}"


class DossierDocument(models.Model):
    """One document of the dossier, checked against the procedure's list."""

    dossier = models.ForeignKey(
        Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="documents"
    )
    code = models.CharField("mã giấy tờ", max_length=40)
    name = models.CharField("tên giấy tờ", max_length=300)
    required = models.BooleanField("bắt buộc", default=True)
    provided = models.BooleanField("đã nộp", default=True)
    digitised = models.BooleanField("đã số hóa", default=False)
    reused = models.BooleanField("tái sử dụng", default=False)
    file = models.FileField("tệp đính kèm", upload_to=attachment_path, blank=True)

    class Meta:
        verbose_name = "giấy tờ"
        verbose_name_plural = "giấy tờ"
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.name


class Supplement(models.Model):
    """A request to supplement the dossier (form 02): the clock waits until it is answered."""

    dossier = models.ForeignKey(
        Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="supplements"
    )
    requested_at = models.DateTimeField("yêu cầu lúc")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField("lý do, nội dung cần bổ sung")
    documents = models.JSONField("giấy tờ cần bổ sung", default=list)
    resumed_at = models.DateTimeField("nhận bổ sung lúc", null=True, blank=True)
    paused_hours = models.FloatField("thời gian tạm dừng (giờ làm việc)", default=0)

    class Meta:
        verbose_name = "yêu cầu bổ sung"
        verbose_name_plural = "yêu cầu bổ sung"
        ordering = ["dossier", "requested_at"]

    def __str__(self) -> str:
        return f"Bổ sung {self.dossier_id} lúc {self.requested_at:%d/%m/%Y}"


class ApologyStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    APPROVED = "approved", "Đã duyệt"
    SENT = "sent", "Đã gửi"


# How something reached the applicant or came from them (``sent_via``, a rating's ``via``).
VIA_LABELS = {
    "email": "thư điện tử",
    "sms": "tin nhắn",
    "paper": "giấy",
    "kiosk": "máy tại quầy",
    "link": "đường dẫn",
}


def via_text(value: str) -> str:
    """Comma-separated channels in words: ``"email,sms"`` → ``"thư điện tử, tin nhắn"``."""
    return ", ".join(VIA_LABELS.get(v, v) for v in value.split(",") if v)


class Apology(models.Model):
    """An apology and new appointment (form 04) for a dossier that will be late."""

    dossier = models.ForeignKey(
        Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="apologies"
    )
    status = models.CharField("trạng thái", max_length=10, choices=ApologyStatus.choices)
    reason = models.TextField("lý do chậm")
    new_appointment_at = models.DateTimeField("hẹn lại")
    drafted_at = models.DateTimeField("dự thảo lúc")
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    approved_at = models.DateTimeField("duyệt lúc", null=True, blank=True)
    approved_by = user_field()
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    sent_via = models.CharField("gửi qua", max_length=40, blank=True)
    # Sent after the due time: the rule asks for it before.
    sent_late = models.BooleanField("gửi sau hạn", default=False)

    class Meta:
        verbose_name = "thư xin lỗi và hẹn lại"
        verbose_name_plural = "thư xin lỗi và hẹn lại"
        ordering = ["dossier", "drafted_at"]

    def __str__(self) -> str:
        return f"Xin lỗi, hẹn lại: hồ sơ {self.dossier_id}"

    @property
    def sent_via_text(self) -> str:
        """How the letter was sent, in words ("thư điện tử, tin nhắn")."""
        return via_text(self.sent_via)


# The nine criteria of the citizen survey (Decision 766 as run by provinces).
RATING_CRITERIA = (
    ("total_time", "Tổng thời gian giải quyết so với quy định"),
    ("unit_time", "Thời gian giải quyết tại từng cơ quan, đơn vị"),
    ("visits", "Số lần phải đi lại"),
    ("agencies", "Số cơ quan, đơn vị phải liên hệ"),
    ("desk", "Việc bố trí, sắp xếp nơi tiếp nhận, trả kết quả"),
    ("publication", "Công khai thủ tục hành chính"),
    ("attitude", "Thái độ của cán bộ, công chức"),
    ("feedback", "Tiếp nhận, xử lý phản ánh, kiến nghị"),
    ("online", "Chất lượng dịch vụ công trực tuyến"),
)
RATING_LEVELS = (
    (1, "Rất không hài lòng"),
    (2, "Không hài lòng"),
    (3, "Bình thường"),
    (4, "Hài lòng"),
    (5, "Rất hài lòng"),
)


class Rating(models.Model):
    """The citizen's rating of a returned dossier: 9 criteria, 1–5 each."""

    dossier = models.OneToOneField(
        Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="rating"
    )
    rated_at = models.DateTimeField("đánh giá lúc")
    via = models.CharField("hình thức", max_length=10)  # kiosk | link
    scores = models.JSONField("điểm")  # {"total_time": 5, …}
    average = models.FloatField("điểm trung bình")
    comment = models.TextField("ý kiến", blank=True)

    class Meta:
        verbose_name = "đánh giá"
        verbose_name_plural = "đánh giá"

    def __str__(self) -> str:
        return f"Đánh giá hồ sơ {self.dossier_id}: {self.average:.1f}"
