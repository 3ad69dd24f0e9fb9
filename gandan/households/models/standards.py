"""Poverty standards (income lines and the deprivation indicators they count) and the review's
procedure constants: law as data, each row with its source."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Area(models.TextChoices):
    URBAN = "urban", "Thành thị"
    RURAL = "rural", "Nông thôn"


class Standing(models.TextChoices):
    POOR = "poor", "Hộ nghèo"
    NEAR_POOR = "near_poor", "Hộ cận nghèo"
    AVERAGE = "average", "Hộ có mức sống trung bình"  # farm households only, where defined
    NOT_POOR = "not_poor", "Không thuộc diện nghèo, cận nghèo"


class PovertyStandard(models.Model):
    """A multidimensional poverty standard: income lines per area and the indicators counted.

    Classification in an area: income ≤ ``lower_line`` → poor (only 59/2015 has such a line);
    income ≤ ``upper_line`` → poor with at least ``deprivation_threshold`` deprivations, else
    near-poor; a farm household above the upper line up to ``average_line`` → average living
    standard; otherwise not poor.
    """

    code = models.SlugField("mã chuẩn", max_length=32, unique=True)
    name = models.CharField("tên", max_length=200)
    legal_basis = models.CharField("văn bản", max_length=120)
    first_year = models.PositiveSmallIntegerField("năm rà soát đầu")
    last_year = models.PositiveSmallIntegerField("năm rà soát cuối")
    period = models.CharField("giai đoạn áp dụng", max_length=40)
    deprivation_threshold = models.PositiveSmallIntegerField("số chỉ số thiếu hụt tính nghèo")
    rural_lower_line = models.PositiveIntegerField(
        "nông thôn: ngưỡng nghèo theo thu nhập", null=True
    )
    rural_upper_line = models.PositiveIntegerField("nông thôn: chuẩn thu nhập")
    urban_lower_line = models.PositiveIntegerField(
        "thành thị: ngưỡng nghèo theo thu nhập", null=True
    )
    urban_upper_line = models.PositiveIntegerField("thành thị: chuẩn thu nhập")
    rural_average_line = models.PositiveIntegerField(
        "nông thôn: mức sống trung bình đến", null=True
    )
    urban_average_line = models.PositiveIntegerField(
        "thành thị: mức sống trung bình đến", null=True
    )
    provisional = models.BooleanField("danh mục chỉ số tạm thời", default=False)
    source = models.TextField("nguồn")

    class Meta:
        verbose_name = "chuẩn nghèo"
        verbose_name_plural = "chuẩn nghèo"
        ordering = ["first_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="poverty_standard_years_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.legal_basis} ({self.period})"

    def lines(self, area: str) -> tuple[int | None, int, int | None]:
        """(lower line, upper line, average-standard line) for ``area``."""
        if area == Area.URBAN:
            return self.urban_lower_line, self.urban_upper_line, self.urban_average_line
        return self.rural_lower_line, self.rural_upper_line, self.rural_average_line


class Indicator(models.Model):
    standard = models.ForeignKey(
        PovertyStandard, verbose_name="chuẩn", on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField("mã chỉ số", max_length=40)
    dimension = models.CharField("chiều", max_length=60)
    name = models.CharField("tên chỉ số", max_length=160)
    order = models.PositiveSmallIntegerField("thứ tự")

    class Meta:
        verbose_name = "chỉ số thiếu hụt"
        verbose_name_plural = "chỉ số thiếu hụt"
        ordering = ["standard", "order"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="indicator_code_per_standard")
        ]

    def __str__(self) -> str:
        return self.name


class ReviewRule(models.Model):
    """Procedure constants of the review (meeting majority, request clock), with their source."""

    code = models.SlugField("mã", max_length=40, unique=True)
    value = models.PositiveIntegerField("giá trị")
    unit = models.CharField("đơn vị", max_length=20)
    description = models.CharField("nội dung", max_length=200)
    source = models.TextField("nguồn")

    class Meta:
        verbose_name = "quy định rà soát"
        verbose_name_plural = "quy định rà soát"

    def __str__(self) -> str:
        return f"{self.description}: {self.value} {self.unit}"


def standing_label(value: str) -> str:
    return str(Standing(value).label)
