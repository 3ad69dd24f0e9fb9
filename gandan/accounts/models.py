"""Users and their roles, each bound to a unit for a period."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from gandan.core.models import StampedModel, ValidityModel, ValidityQuerySet, validity_constraint
from gandan.geo.models import hamlet_field


class User(AbstractUser):
    """A person or a program that signs in. What it may see comes from its memberships.

    A Vietnamese name is kept as Django's two parts: ``last_name`` the family and middle
    names (họ và tên đệm), ``first_name`` the given name (tên); it is written family name
    first — Phan Thị Hoa, never Hoa Phan Thị.
    """

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def get_full_name(self) -> str:
        return " ".join(part for part in (self.last_name.strip(), self.first_name.strip()) if part)

    def get_short_name(self) -> str:
        return self.first_name.strip()


class Role(models.TextChoices):
    PROVINCE_LEADER = (
        "province_leader",
        "Lãnh đạo tỉnh, thành phố",
    )  # reads everything in the province
    PROVINCE_SPECIALIST = (
        "province_specialist",
        "Chuyên viên tỉnh, thành phố",
    )  # works across the province
    COMMUNE_LEADER = "commune_leader", "Lãnh đạo xã, phường"  # approves and signs for the commune
    COMMUNE_OFFICER = "commune_officer", "Công chức xã, phường"  # records the commune's work
    VILLAGE_HEAD = (
        "village_head",
        "Trưởng thôn, tổ trưởng tổ dân phố",
    )  # one village or residential group
    VIEWER = "viewer", "Người xem (chỉ đọc)"  # reads, never writes


WRITE_ROLES = frozenset(
    {Role.PROVINCE_SPECIALIST, Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER, Role.VILLAGE_HEAD}
)


class Membership(StampedModel, ValidityModel):
    """User U holds role R at unit X from one date to another; the role covers X's descendants."""

    user = models.ForeignKey(
        User, verbose_name="người dùng", on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        "geo.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("vai trò", max_length=24, choices=Role.choices)
    hamlet = hamlet_field(related_name="memberships")

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = "vai trò tại đơn vị"
        verbose_name_plural = "vai trò tại đơn vị"
        constraints = [validity_constraint("membership_valid_period")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"

    @property
    def can_write(self) -> bool:
        return self.role in WRITE_ROLES
