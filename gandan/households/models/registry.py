"""Households, where they live over time, and their members."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q

from gandan.core.crypto import EncryptedTextField
from gandan.core.models import (
    Sex,
    StampedModel,
    ValidityModel,
    ValidityQuerySet,
    validity_constraint,
)
from gandan.geo.models import hamlet_field
from gandan.households.models.standards import Area


class Household(StampedModel):
    """A household (hộ gia đình). Where it lives over time is in ``Placement``."""

    code = models.CharField("mã hộ", max_length=32)
    province_code = models.CharField("mã tỉnh", max_length=4)
    head_name = models.CharField("chủ hộ", max_length=120)
    ethnic_minority = models.BooleanField("hộ dân tộc thiểu số", default=False)
    farming = models.BooleanField("hộ nông, lâm, ngư, diêm nghiệp", default=False)
    formed_on = models.DateField("ngày lập hộ", null=True, blank=True)  # None: before our records
    dissolved_on = models.DateField("ngày xóa hộ", null=True, blank=True)
    dissolution_reason = models.CharField("lý do xóa hộ", max_length=200, blank=True)
    split_from = models.ForeignKey(
        "self",
        verbose_name="tách từ hộ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="splits",
    )
    # Where the household lives now, or last lived: the commune of its latest placement, kept
    # in step by the registry's services, the import and the demo
    # (``households.services.registry.households_place_settle``). A list of a commune's
    # households reads them along ``household_commune_order`` a page at a time.
    commune = models.ForeignKey(
        "geo.Unit",
        verbose_name="xã, phường nơi cư trú",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # household_commune_order starts with it
    )

    class Meta:
        verbose_name = "hộ gia đình"
        verbose_name_plural = "hộ gia đình"
        ordering = ["code"]
        indexes = [
            # The registry's order: a page of a province's list reads its rows along it.
            models.Index(fields=["code", "id"], name="household_list_order"),
            # A commune's list in the same order.
            models.Index(fields=["commune", "code", "id"], name="household_commune_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["province_code", "code"], name="household_code_per_province"
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(formed_on__isnull=True)
                | Q(dissolved_on__gte=models.F("formed_on")),
                name="household_dissolved_after_formed",
                violation_error_message="Ngày xóa hộ phải sau ngày lập hộ.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.head_name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("households:household", args=[self.pk])


class PlacementReason(models.TextChoices):
    FORMED = "formed", "Lập hộ"
    MOVED = "moved", "Chuyển đến"
    SPLIT = "split", "Tách hộ"
    REFORM = "reform", "Sắp xếp đơn vị hành chính"
    IMPORTED = "imported", "Nhập từ dữ liệu cũ"


class Location(models.Model):
    """Where a household is counted: its commune, village and urban or rural area. A placement
    says it over a period; an assessment keeps it as it stood at the review."""

    unit = models.ForeignKey(
        "geo.Unit", verbose_name="xã, phường", on_delete=models.PROTECT, related_name="+"
    )
    hamlet = hamlet_field()
    area = models.CharField("khu vực", max_length=8, choices=Area.choices)
    province_code = models.CharField("mã tỉnh", max_length=4)

    class Meta:
        abstract = True


# A household's placements, its latest first: where it lives now, or last lived.
LATEST_FIRST = (models.F("valid_from").desc(nulls_last=True), "-pk")


class Placement(Location, ValidityModel):
    """Where a household is registered over a period: commune, village and urban/rural area."""

    household = models.ForeignKey(
        Household,
        verbose_name="hộ",
        on_delete=models.CASCADE,
        related_name="placements",
        db_index=False,  # placement_household_cover starts with it
    )
    reason = models.CharField("lý do", max_length=10, choices=PlacementReason.choices)
    # The household's flag, carried here (kept in step by the services and the import) so
    # that the report counts ethnic-minority households from the covering index below.
    ethnic_minority = models.BooleanField("hộ dân tộc thiểu số")

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = "nơi cư trú của hộ"
        verbose_name_plural = "nơi cư trú của hộ"
        ordering = ["household", "valid_from"]
        indexes = [
            models.Index(fields=["province_code", "valid_from"]),
            # Covers the count of households per commune, village, area and ethnic minority on
            # a day.
            models.Index(
                fields=["unit", "valid_from", "valid_to", "hamlet", "area", "ethnic_minority"],
                name="placement_count_cover",
            ),
            # Covers where a household is registered on a day (the report looks it up for each
            # household that dropped off every list) without visiting the table.
            models.Index(
                fields=["household", "valid_from", "valid_to", "unit", "hamlet"],
                name="placement_household_cover",
            ),
        ]
        constraints = [validity_constraint("placement_validity_ordered")]

    def __str__(self) -> str:
        return f"{self.household_id} @ {self.unit_id}"


class Relation(models.TextChoices):
    HEAD = "head", "Chủ hộ"
    SPOUSE = "spouse", "Vợ, chồng"
    CHILD = "child", "Con"
    PARENT = "parent", "Bố, mẹ"
    GRANDCHILD = "grandchild", "Cháu"
    SIBLING = "sibling", "Anh, chị, em"
    OTHER = "other", "Khác"


class Member(StampedModel, ValidityModel):
    """A person in a household over a period (joined on ``valid_from``, left on ``valid_to``)."""

    household = models.ForeignKey(
        Household, verbose_name="hộ", on_delete=models.CASCADE, related_name="members"
    )
    full_name = models.CharField("họ và tên", max_length=120)
    birth_date = models.DateField("ngày sinh")
    sex = models.CharField("giới tính", max_length=8, choices=Sex.choices)
    relation = models.CharField("quan hệ với chủ hộ", max_length=12, choices=Relation.choices)
    citizen_id = EncryptedTextField("số định danh cá nhân", blank=True)
    citizen_id_index = models.CharField(
        "chỉ mục số định danh", max_length=64, blank=True, db_index=True, editable=False
    )
    # What each blind index hashes (core.crypto; recomputed when the field key rotates).
    BLIND_INDEXES: ClassVar[dict[str, Callable[[Any], str]]] = {
        "citizen_id_index": lambda member: member.citizen_id or ""
    }

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = "thành viên hộ"
        verbose_name_plural = "thành viên hộ"
        ordering = ["household", "birth_date"]
        constraints = [validity_constraint("member_validity_ordered")]

    def __str__(self) -> str:
        return self.full_name
