"""Administrative units in both structures (before and after 1 Jul 2025), their lineage,
and the villages and residential groups below communes."""

from __future__ import annotations

import datetime as dt
from typing import Any, Self, TypeVar

from django.db import models
from django.db.models import Q
from django.urls import reverse

from gandan.core.models import (
    ArchivableModel,
    StampedModel,
    ValidityModel,
    ValidityQuerySet,
    validity_constraint,
)
from gandan.core.text import fold

REFORM_DATE = dt.date(2025, 7, 1)  # Law 72/2025/QH15: districts abolished, two tiers from this day

_P = TypeVar("_P", bound="Place", covariant=True)


class Level(models.TextChoices):
    # The tier, whatever its number: communes are level 3 before the reform and level 2 after.
    PROVINCE = "province", "Tỉnh, thành phố trực thuộc trung ương"
    DISTRICT = "district", "Huyện, quận, thị xã, thành phố thuộc tỉnh"
    COMMUNE = "commune", "Xã, phường, thị trấn, đặc khu"


class UnitType(models.TextChoices):
    PROVINCE = "tinh", "Tỉnh"
    CENTRAL_CITY = "thanh_pho_tw", "Thành phố trực thuộc trung ương"
    URBAN_DISTRICT = "quan", "Quận"
    RURAL_DISTRICT = "huyen", "Huyện"
    TOWN = "thi_xa", "Thị xã"
    PROVINCIAL_CITY = "thanh_pho", "Thành phố thuộc tỉnh"
    COMMUNE = "xa", "Xã"
    WARD = "phuong", "Phường"
    TOWNSHIP = "thi_tran", "Thị trấn"
    SPECIAL_ZONE = "dac_khu", "Đặc khu"


class PlaceQuerySet(ValidityQuerySet[_P]):
    def search(self, query: str) -> Self:
        """Diacritic- and case-insensitive match on the name (``"thuan hoa"`` finds "Thuận Hóa")."""
        folded = fold(query)
        if not folded:
            return self
        return self.filter(search_name__contains=folded)


class Place(ValidityModel):
    """A named place of the province over a period: a unit or a village. Its name is kept
    folded for search, and it may have a point on the map."""

    name = models.CharField("tên", max_length=120)
    # Carried on every row so that the large tables that follow can be partitioned by province.
    province_code = models.CharField("mã tỉnh", max_length=4, db_index=True)
    latitude = models.FloatField("vĩ độ", null=True, blank=True)
    longitude = models.FloatField("kinh độ", null=True, blank=True)
    search_name = models.CharField("tên không dấu", max_length=120, db_index=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)


class UnitQuerySet(PlaceQuerySet["Unit"]):
    def descendants_of(self, units: Any) -> UnitQuerySet:
        """Units at or below ``units`` (a queryset or list of ids). Depth is at most three.

        The grandchildren through their parent's id (a subquery on the parent index) rather
        than a join: with the join, every use read the whole table of units (about 13 ms on
        PostgreSQL for the menu's "does this officer receive dossiers")."""
        children = Unit.objects.filter(parent__in=units).values("pk")
        return self.filter(Q(pk__in=units) | Q(parent__in=units) | Q(parent__in=children))


class Unit(Place):
    """An administrative unit over one validity period.

    Codes are official and stable, but a code may name different units in the two
    structures (a merged commune often keeps one predecessor's code): identity is
    (level, code, valid_from), and only :class:`Lineage` says what became of a unit.
    """

    code = models.CharField("mã", max_length=8)
    short_name = models.CharField("tên ngắn", max_length=100)
    level = models.CharField("cấp", max_length=10, choices=Level.choices)
    type = models.CharField("loại", max_length=16, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    area_km2 = models.FloatField("diện tích (km²)", null=True, blank=True)
    source = models.CharField("nguồn dữ liệu", max_length=200, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        ordering = ["province_code", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "valid_from"], name="unit_unique_period"
            ),
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=Q(valid_from__isnull=True),
                name="unit_unique_open_start",
            ),
            validity_constraint("unit_valid_period"),
        ]
        indexes = [
            models.Index(fields=["level", "province_code"]),
            # Look-ups by official code (the API, imports, ``unit_by_code``) without a level.
            models.Index(fields=["code"], name="geo_unit_code"),
        ]

    @property
    def level_label(self) -> str:
        return {Level.PROVINCE: "cấp tỉnh", Level.DISTRICT: "cấp huyện", Level.COMMUNE: "cấp xã"}[
            Level(self.level)
        ]

    def get_absolute_url(self) -> str:
        return reverse("geo:detail", args=[self.pk])


class LineageKind(models.TextChoices):
    CONTINUE = "continue", "Giữ nguyên (có thể đổi tên)"  # one predecessor, one successor
    MERGE = "merge", "Sáp nhập"  # the successor has several predecessors
    SPLIT = "split", "Chia tách"  # the predecessor went to several successors


class Lineage(models.Model):
    """One edge "predecessor became (part of) successor" on ``effective_date``."""

    predecessor = models.ForeignKey(
        Unit, verbose_name="đơn vị trước", on_delete=models.PROTECT, related_name="successor_links"
    )
    successor = models.ForeignKey(
        Unit, verbose_name="đơn vị sau", on_delete=models.PROTECT, related_name="predecessor_links"
    )
    kind = models.CharField("hình thức", max_length=10, choices=LineageKind.choices)
    effective_date = models.DateField("ngày có hiệu lực")
    # For a split: the successor that takes the predecessor's records by default.
    is_primary = models.BooleanField("đơn vị kế thừa chính", default=True)
    # Share of the predecessor that went to this successor, where the source says so.
    share = models.DecimalField("tỉ lệ", max_digits=5, decimal_places=4, null=True, blank=True)
    source = models.CharField("căn cứ", max_length=300, blank=True)

    class Meta:
        verbose_name = "quan hệ kế thừa"
        verbose_name_plural = "quan hệ kế thừa"
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="lineage_unique_edge"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="lineage_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_date})"


class HamletKind(models.TextChoices):
    # Rural names (counted as "thôn") …
    THON = "thon", "Thôn"
    BAN = "ban", "Bản"
    AP = "ap", "Ấp"
    BUON = "buon", "Buôn"
    LANG = "lang", "Làng"
    XOM = "xom", "Xóm"
    PLEI = "plei", "Plei"
    SOC = "soc", "Sóc"
    # … and urban ones (counted as "tổ dân phố").
    TO_DAN_PHO = "to_dan_pho", "Tổ dân phố"
    KHU_PHO = "khu_pho", "Khu phố"
    KHOI = "khoi", "Khối"
    KHOM = "khom", "Khóm"


URBAN_HAMLET_KINDS = frozenset(
    {HamletKind.TO_DAN_PHO, HamletKind.KHU_PHO, HamletKind.KHOI, HamletKind.KHOM}
)


class HamletQuerySet(PlaceQuerySet["Hamlet"]):
    def active(self) -> HamletQuerySet:
        return self.filter(archived_at__isnull=True)


class Hamlet(StampedModel, ArchivableModel, Place):
    """A village (thôn, bản, ấp, …) or residential group (tổ dân phố, …) of one commune over a period.

    When its commune is superseded, the hamlet gets a new row under the successor commune,
    linked by ``previous``; the old row keeps its history.
    """

    commune = models.ForeignKey(
        Unit, verbose_name="xã, phường", on_delete=models.PROTECT, related_name="hamlets"
    )
    kind = models.CharField("loại", max_length=12, choices=HamletKind.choices)
    previous = models.OneToOneField(
        "self",
        verbose_name="trước đây là",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next",
    )

    objects = HamletQuerySet.as_manager()

    class Meta:
        verbose_name = "thôn, tổ dân phố"
        verbose_name_plural = "thôn, tổ dân phố"
        ordering = ["commune_id", "name"]
        constraints = [validity_constraint("hamlet_valid_period")]
        indexes = [models.Index(fields=["commune", "valid_to"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.province_code = self.commune.province_code
        super().save(*args, **kwargs)

    @property
    def is_urban(self) -> bool:
        return self.kind in URBAN_HAMLET_KINDS


def hamlet_field(related_name: str = "+") -> models.ForeignKey[Hamlet | None, Hamlet | None]:
    """The village or residential group a row belongs to, where there is one."""
    return models.ForeignKey(
        Hamlet,
        verbose_name="thôn, tổ dân phố",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
    )


class OfficeHours(ValidityModel):
    """A unit's opening hours, where they differ from the default (07:00–11:30, 13:30–17:00)."""

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="office_hours"
    )
    morning_opens = models.TimeField("sáng mở cửa")
    morning_closes = models.TimeField("sáng đóng cửa")
    afternoon_opens = models.TimeField("chiều mở cửa")
    afternoon_closes = models.TimeField("chiều đóng cửa")

    class Meta:
        verbose_name = "giờ làm việc"
        verbose_name_plural = "giờ làm việc"
        constraints = [
            validity_constraint("office_hours_valid_period"),
            models.CheckConstraint(
                condition=Q(morning_opens__lt=models.F("morning_closes"))
                & Q(morning_closes__lte=models.F("afternoon_opens"))
                & Q(afternoon_opens__lt=models.F("afternoon_closes")),
                name="office_hours_ordered",
                violation_error_message="Giờ làm việc phải theo thứ tự: sáng mở < sáng đóng ≤ chiều mở < chiều đóng.",
            ),
        ]


class Classification(models.TextChoices):
    SPECIAL = "special", "Loại đặc biệt"
    I = "I", "Loại I"  # noqa: E741 - the legal name of the class
    II = "II", "Loại II"
    III = "III", "Loại III"


class UnitClassification(ValidityModel):
    """A commune's class (I, II, III; special for some wards under Decree 307/2025) over a period."""

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="classifications"
    )
    classification = models.CharField("phân loại", max_length=8, choices=Classification.choices)
    source = models.CharField("căn cứ", max_length=300)

    class Meta:
        verbose_name = "phân loại đơn vị hành chính"
        verbose_name_plural = "phân loại đơn vị hành chính"
        constraints = [validity_constraint("classification_valid_period")]

    def __str__(self) -> str:
        return f"{self.unit}: {self.get_classification_display()}"
