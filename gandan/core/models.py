"""Base models shared by every app: stamps, archiving, validity periods and the event log, with
the reference to a user (user_field) and the vocabulary (Sex) that several apps use."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

if TYPE_CHECKING:
    from gandan.accounts.models import User

_M = TypeVar("_M", bound=models.Model, covariant=True)


class FoldedCharField(models.CharField):  # type: ignore[type-arg]
    """:func:`~gandan.core.text.fold` of the field named ``source``, set whenever the row is
    written (``pre_save``: by ``save()`` and ``bulk_create``) — a search column that finds
    "Nguyễn Thị Hoà" when "nguyen thi hoa" is typed."""

    def __init__(self, *args: Any, source: str, **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        from gandan.core.text import fold

        value = fold(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


class Sex(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


def user_field(verbose_name: str | None = None) -> models.ForeignKey[User | None, User | None]:
    """The user who did something to a row (created it, handles it, asked for it): optional,
    never deleted from under the row, and with no reverse accessor on the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )


class StampedModel(models.Model):
    """Created/updated instants and the acting user, set by services."""

    created_at = models.DateTimeField("tạo lúc", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    created_by = user_field("người tạo")
    updated_by = user_field("người cập nhật")

    class Meta:
        abstract = True


class ArchivableModel(models.Model):
    """Registry rows are archived, never deleted: history and references stay intact."""

    archived_at = models.DateTimeField("lưu trữ lúc", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


def valid_on_q(as_of: dt.date, prefix: str = "") -> Q:
    """A filter for rows whose validity period contains ``as_of`` (both ends inclusive).

    A missing ``valid_from`` means "since before our records"; a missing ``valid_to``, "still valid".
    """
    return (
        Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": as_of})
    ) & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": as_of}))


class ValidityQuerySet(models.QuerySet[_M]):
    def valid_on(self, as_of: dt.date) -> Self:
        return self.filter(valid_on_q(as_of))


class ValidityModel(models.Model):
    """A fact that holds over a period of days, ends inclusive."""

    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)

    class Meta:
        abstract = True

    def is_valid_on(self, as_of: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= as_of) and (
            self.valid_to is None or self.valid_to >= as_of
        )


def validity_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_from__isnull=True)
        | Q(valid_to__isnull=True)
        | Q(valid_to__gte=models.F("valid_from")),
        name=name,
        violation_error_message="Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.",
    )


class Event(models.Model):
    """One state change, written by the service that made it, in the same transaction.

    The timeline of an object, the audit trail and event-based metrics all read this table.
    """

    occurred_at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)
    kind = models.CharField("loại sự kiện", max_length=64, db_index=True)
    actor = user_field("người thực hiện")
    # The subject is named by its model label and key rather than a generic FK, so events
    # survive archiving and can be partitioned by province later.
    subject_type = models.CharField("loại đối tượng", max_length=64)
    subject_id = models.CharField("mã đối tượng", max_length=64)
    province_code = models.CharField("mã tỉnh", max_length=4, blank=True, db_index=True)
    data = models.JSONField("dữ liệu", default=dict, blank=True)

    class Meta:
        verbose_name = "sự kiện"
        verbose_name_plural = "sự kiện"
        indexes = [models.Index(fields=["subject_type", "subject_id", "occurred_at"])]
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_type}#{self.subject_id}"

    @property
    def label(self) -> str:
        """The kind's Vietnamese wording, as its app's ``events.py`` declares it."""
        from gandan.core.events import label_of

        return label_of(self.kind)


class AccessLog(models.Model):
    """Who viewed which personal data, when: every view of a full personal record writes a row."""

    viewed_at = models.DateTimeField("thời điểm xem", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người xem",
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_type = models.CharField("loại hồ sơ", max_length=64)
    subject_id = models.CharField("mã hồ sơ", max_length=64)
    what = models.CharField("nội dung xem", max_length=64)
    province_code = models.CharField("mã tỉnh", max_length=4, blank=True, db_index=True)

    class Meta:
        verbose_name = "nhật ký xem dữ liệu cá nhân"
        verbose_name_plural = "nhật ký xem dữ liệu cá nhân"
        indexes = [models.Index(fields=["subject_type", "subject_id", "viewed_at"])]
        ordering = ["-viewed_at"]

    def __str__(self) -> str:
        return f"{self.user} xem {self.what} {self.subject_type}#{self.subject_id} lúc {self.viewed_at:%d/%m/%Y %H:%M}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"  # enqueued; no worker has taken it yet
    RUNNING = "running", "Đang chạy"  # a worker (or the command, inline) is doing it
    DONE = "done", "Đã xong"  # finished; ``result`` holds its figures
    FAILED = "failed", "Gặp lỗi"  # stopped; ``error`` says why


class Job(models.Model):
    """One run of a long piece of work in the background, with its progress for the screens.

    Written by ``gandan.core.jobs``: the row is created when the work is asked for, the
    django-tasks task it enqueues moves it through the statuses and reports progress.
    """

    kind = models.CharField("loại tác vụ", max_length=64, db_index=True)
    label = models.CharField("tên tác vụ", max_length=200)
    params = models.JSONField("tham số", default=dict, blank=True)
    status = models.CharField(
        "tình trạng", max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField("đã xử lý", default=0)
    total = models.PositiveIntegerField("tổng số", null=True, blank=True)  # None: not counted yet
    message = models.CharField("thông báo", max_length=300, blank=True)
    result = models.JSONField("kết quả", default=dict, blank=True)
    error = models.TextField("lỗi", blank=True)
    task_id = models.CharField("mã tác vụ trong hàng đợi", max_length=64, blank=True)
    created_by = user_field("người yêu cầu")
    created_at = models.DateTimeField("yêu cầu lúc", default=timezone.now, editable=False)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    province_code = models.CharField("mã tỉnh", max_length=4, blank=True, db_index=True)

    class Meta:
        verbose_name = "tác vụ nền"
        verbose_name_plural = "tác vụ nền"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(done__lte=models.F("total")),
                name="job_done_within_total",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        """Progress in whole percent (100 for a finished job, 0 while nothing is counted)."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)


class KeptFigures(models.Model):
    """Figures computed once and kept (``gandan.core.figures``): what a report function gave
    for its parameters, and when. Read by the screens and the API instead of reading a whole
    province again on every request; recomputed in the background once older than their age."""

    key = models.CharField("khóa", max_length=64, unique=True)  # sha256 of source and params
    source = models.CharField("hàm tính", max_length=200)  # import path of the function
    params = models.JSONField("tham số", default=dict)
    value = models.JSONField("số liệu", null=True)
    computed_at = models.DateTimeField("tính lúc")
    seconds = models.FloatField("thời gian tính (giây)", default=0)
    refresh_asked_at = models.DateTimeField("yêu cầu tính lại lúc", null=True, blank=True)

    class Meta:
        verbose_name = "số liệu đã tính"
        verbose_name_plural = "số liệu đã tính"

    def __str__(self) -> str:
        return f"{self.source} {self.params}"
