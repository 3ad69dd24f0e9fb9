"""Officials of communes and villages: people, postings, qualifications, evaluations, and
the rules (positions, standards, quotas, grading scales) that the law sets for them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q

from gandan.core.crypto import EncryptedTextField
from gandan.core.models import (
    ArchivableModel,
    StampedModel,
    ValidityModel,
    ValidityQuerySet,
    validity_constraint,
)
from gandan.core.models import Sex as Sex  # re-exported: the officials' modules read it here
from gandan.core.text import source_text
from gandan.geo.models import hamlet_field


class Category(models.TextChoices):
    CADRE = "cadre", "Cán bộ"  # elected to a post (Party, council, committee, Front, unions)
    CIVIL_SERVANT = "civil_servant", "Công chức"  # recruited to a professional title
    PART_TIME_COMMUNE = (
        "part_time_commune",
        "Người hoạt động không chuyên trách cấp xã",
    )  # until 1 Aug 2025
    PART_TIME_HAMLET = "part_time_hamlet", "Người hoạt động không chuyên trách ở thôn, tổ dân phố"


class Education(models.IntegerChoices):
    # Ranked, so that "university or higher" is a comparison.
    NONE = 0, "Chưa qua đào tạo"
    ELEMENTARY = 1, "Sơ cấp"
    INTERMEDIATE = 2, "Trung cấp"
    COLLEGE = 3, "Cao đẳng"
    UNIVERSITY = 4, "Đại học"
    MASTER = 5, "Thạc sĩ"
    DOCTOR = 6, "Tiến sĩ"


class Politics(models.IntegerChoices):
    NONE = 0, "Chưa qua đào tạo"
    ELEMENTARY = 1, "Sơ cấp"
    INTERMEDIATE = 2, "Trung cấp"
    ADVANCED = 3, "Cao cấp, cử nhân"


class StateManagement(models.IntegerChoices):
    NONE = 0, "Chưa bồi dưỡng"
    OFFICER = 1, "Chuyên viên"
    PRINCIPAL = 2, "Chuyên viên chính"
    SENIOR = 3, "Chuyên viên cao cấp"


class QualificationKind(models.TextChoices):
    EDUCATION = "education", "Trình độ chuyên môn"
    POLITICS = "politics", "Lý luận chính trị"
    STATE_MANAGEMENT = "state_management", "Quản lý nhà nước"
    IT = "it", "Tin học"
    LANGUAGE = "language", "Ngoại ngữ"


# The levels each kind of qualification may take (IT and language: certificate levels 1–6).
QUALIFICATION_LEVELS: dict[str, dict[int, str]] = {
    QualificationKind.EDUCATION: dict(Education.choices),
    QualificationKind.POLITICS: dict(Politics.choices),
    QualificationKind.STATE_MANAGEMENT: dict(StateManagement.choices),
    QualificationKind.IT: {1: "Ứng dụng CNTT cơ bản", 2: "Ứng dụng CNTT nâng cao"},
    QualificationKind.LANGUAGE: {
        1: "Bậc 1",
        2: "Bậc 2",
        3: "Bậc 3",
        4: "Bậc 4",
        5: "Bậc 5",
        6: "Bậc 6",
    },
}


class PostingKind(models.TextChoices):
    ELECTED = "elected", "Bầu cử"
    APPOINTED = "appointed", "Bổ nhiệm"
    RECRUITED = "recruited", "Tuyển dụng"
    SECONDED = "seconded", "Biệt phái"
    ROTATED_IN = "rotated_in", "Luân chuyển đến"
    CONTRACTED = "contracted", "Bố trí, hợp đồng"  # part-time workers


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "good", "Hoàn thành tốt nhiệm vụ"
    COMPLETED = "completed", "Hoàn thành nhiệm vụ"
    NOT_COMPLETED = "not_completed", "Không hoàn thành nhiệm vụ"


# --- Rules (loaded by `gandan load_rules` from gandan/officials/rules/) -------------------


class Position(ValidityModel):
    """A commune or village position in one legal period (Decree 33/2023, Decree 150/2025, …)."""

    code = models.CharField("mã chức danh", max_length=48)
    name = models.CharField("chức danh", max_length=160)
    category = models.CharField("nhóm", max_length=20, choices=Category.choices)
    level = models.CharField(
        "cấp", max_length=10, choices=[("commune", "Cấp xã"), ("hamlet", "Thôn, tổ dân phố")]
    )
    single_holder = models.BooleanField("chỉ một người giữ", default=False)
    is_party_head = models.BooleanField("người đứng đầu cấp ủy", default=False)
    order = models.PositiveSmallIntegerField("thứ tự", default=100)
    source = models.CharField("căn cứ", max_length=300)

    class Meta:
        verbose_name = "chức danh"
        verbose_name_plural = "chức danh"
        ordering = ["category", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="position_unique_period"),
            validity_constraint("position_valid_period"),
        ]

    def __str__(self) -> str:
        return self.name


class PositionStandard(ValidityModel):
    """What the holder of a position must have, in one legal period, and by when."""

    position_code = models.CharField("mã chức danh", max_length=48, db_index=True)
    min_education = models.PositiveSmallIntegerField(
        "trình độ chuyên môn tối thiểu", choices=Education.choices
    )
    min_politics = models.PositiveSmallIntegerField(
        "lý luận chính trị tối thiểu", choices=Politics.choices, default=Politics.NONE
    )
    min_age = models.PositiveSmallIntegerField("tuổi tối thiểu", null=True, blank=True)
    # On first appointment, enough working age left for a full term (months before retirement).
    min_months_to_retirement = models.PositiveSmallIntegerField(
        "số tháng công tác còn lại tối thiểu", null=True, blank=True
    )
    deadline = models.DateField("hạn chuẩn hóa", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    source = models.CharField("căn cứ", max_length=300)

    class Meta:
        verbose_name = "tiêu chuẩn chức danh"
        verbose_name_plural = "tiêu chuẩn chức danh"
        constraints = [
            models.UniqueConstraint(
                fields=["position_code", "valid_from"], name="standard_unique_period"
            ),
            validity_constraint("standard_valid_period"),
        ]


class QuotaGroup(models.TextChoices):
    CADRES_AND_CIVIL_SERVANTS = "cbcc", "Cán bộ, công chức cấp xã"
    PART_TIME_COMMUNE = "part_time_commune", "Người hoạt động không chuyên trách cấp xã"
    HAMLET_PAID_TITLES = "hamlet_paid_titles", "Chức danh có phụ cấp ở mỗi thôn, tổ dân phố"


class Quota(ValidityModel):
    """Headcount allowed for one group in one kind of commune of one class, in one legal period."""

    group = models.CharField("nhóm", max_length=24, choices=QuotaGroup.choices)
    unit_type = models.CharField(
        "loại đơn vị", max_length=16, blank=True
    )  # blank: any commune type
    classification = models.CharField("phân loại", max_length=8, blank=True)  # blank: any class
    headcount = models.PositiveSmallIntegerField("số lượng tối đa")
    source = models.CharField("căn cứ", max_length=300)

    class Meta:
        verbose_name = "định mức số lượng"
        verbose_name_plural = "định mức số lượng"
        constraints = [
            models.UniqueConstraint(
                fields=["group", "unit_type", "classification", "valid_from"],
                name="quota_unique_period",
            ),
            validity_constraint("quota_valid_period"),
        ]


class EvaluationScheme(models.Model):
    """How yearly evaluation works from a given year: grades only, or a 100-point scale."""

    first_year = models.PositiveSmallIntegerField("áp dụng từ năm", unique=True)
    uses_points = models.BooleanField("chấm điểm", default=False)
    general_max = models.PositiveSmallIntegerField(
        "điểm tiêu chí chung tối đa", null=True, blank=True
    )
    task_max = models.PositiveSmallIntegerField(
        "điểm kết quả nhiệm vụ tối đa", null=True, blank=True
    )
    excellent_from = models.PositiveSmallIntegerField("điểm xuất sắc từ", null=True, blank=True)
    good_from = models.PositiveSmallIntegerField("điểm tốt từ", null=True, blank=True)
    completed_from = models.PositiveSmallIntegerField("điểm hoàn thành từ", null=True, blank=True)
    excellent_cap_pct = models.PositiveSmallIntegerField("tỉ lệ xuất sắc tối đa (%)", default=20)
    source = models.CharField("căn cứ", max_length=300)

    class Meta:
        verbose_name = "quy định đánh giá, xếp loại"
        verbose_name_plural = "quy định đánh giá, xếp loại"
        ordering = ["first_year"]

    def __str__(self) -> str:
        return f"Từ năm {self.first_year}: {source_text(self.source)}"


class RetirementAge(models.Model):
    """Retirement age of people who reach it in a given year (Decree 135/2020 roadmap)."""

    sex = models.CharField("giới tính", max_length=8, choices=Sex.choices)
    year = models.PositiveSmallIntegerField("năm")
    age_months = models.PositiveSmallIntegerField("tuổi nghỉ hưu (tháng)")
    source = models.CharField("căn cứ", max_length=300)

    class Meta:
        verbose_name = "tuổi nghỉ hưu"
        verbose_name_plural = "tuổi nghỉ hưu"
        constraints = [
            models.UniqueConstraint(fields=["sex", "year"], name="retirement_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.get_sex_display()} {self.year}: {self.age_months // 12} tuổi {self.age_months % 12} tháng"


# --- The registry ---------------------------------------------------------------------------


class OfficialQuerySet(models.QuerySet["Official"]):
    def active(self) -> OfficialQuerySet:
        return self.filter(archived_at__isnull=True)


class Official(StampedModel, ArchivableModel):
    """A person who holds or held a commune or village position."""

    full_name = models.CharField("họ và tên", max_length=120)
    search_name = models.CharField("tên không dấu", max_length=120, db_index=True, editable=False)
    birth_date = models.DateField("ngày sinh")
    sex = models.CharField("giới tính", max_length=8, choices=Sex.choices)
    ethnicity = models.CharField("dân tộc", max_length=40, default="Kinh")
    home_unit = models.ForeignKey(
        "geo.Unit",
        verbose_name="quê quán (xã)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    citizen_id = EncryptedTextField("số định danh cá nhân")
    citizen_id_index = models.CharField(
        "chỉ mục số định danh", max_length=64, unique=True, editable=False
    )
    province_code = models.CharField("mã tỉnh", max_length=4, db_index=True)
    # What each blind index hashes (core.crypto; recomputed when the field key rotates).
    BLIND_INDEXES: ClassVar[dict[str, Callable[[Any], str]]] = {
        "citizen_id_index": lambda official: official.citizen_id
    }

    objects = OfficialQuerySet.as_manager()

    class Meta:
        verbose_name = "cán bộ, công chức"
        verbose_name_plural = "cán bộ, công chức"
        ordering = ["search_name"]

    def __str__(self) -> str:
        return self.full_name

    def age_on(self, day: dt.date) -> int:
        return (
            day.year
            - self.birth_date.year
            - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
        )


class Qualification(StampedModel):
    official = models.ForeignKey(
        Official, verbose_name="người", on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.CharField("loại", max_length=20, choices=QualificationKind.choices)
    level = models.PositiveSmallIntegerField("trình độ")
    awarded_on = models.DateField("ngày cấp bằng, chứng chỉ")
    field = models.CharField("chuyên ngành", max_length=120, blank=True)
    institution = models.CharField("cơ sở đào tạo", max_length=160, blank=True)

    class Meta:
        verbose_name = "trình độ, bằng cấp"
        verbose_name_plural = "trình độ, bằng cấp"
        indexes = [models.Index(fields=["official", "kind", "awarded_on"])]
        ordering = ["official_id", "kind", "awarded_on"]

    @property
    def level_label(self) -> str:
        return QUALIFICATION_LEVELS.get(self.kind, {}).get(self.level, str(self.level))


class Posting(StampedModel, ValidityModel):
    """Official O held position P at unit U (and hamlet H) from one date to another. Never overwritten."""

    official = models.ForeignKey(
        Official, verbose_name="người", on_delete=models.PROTECT, related_name="postings"
    )
    position = models.ForeignKey(
        Position, verbose_name="chức danh", on_delete=models.PROTECT, related_name="postings"
    )
    unit = models.ForeignKey(
        "geo.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="postings"
    )
    hamlet = hamlet_field(related_name="postings")
    kind = models.CharField("hình thức", max_length=12, choices=PostingKind.choices)
    salary_grade = models.CharField("ngạch, bậc lương", max_length=60, blank=True)
    province_code = models.CharField("mã tỉnh", max_length=4, db_index=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = "quá trình công tác"
        verbose_name_plural = "quá trình công tác"
        ordering = ["official_id", "valid_from"]
        constraints = [validity_constraint("posting_valid_period")]
        indexes = [
            models.Index(fields=["province_code", "valid_from", "valid_to"]),
            models.Index(fields=["unit", "valid_to"]),
        ]

    def __str__(self) -> str:
        return f"{self.official} — {self.position} — {self.unit}"


class Rotation(StampedModel):
    """A posting to another unit for a fixed term (Regulation 65-QĐ/TW: at least 36 months)."""

    official = models.ForeignKey(
        Official, verbose_name="người", on_delete=models.PROTECT, related_name="rotations"
    )
    from_unit = models.ForeignKey(
        "geo.Unit", verbose_name="từ đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        "geo.Unit", verbose_name="đến đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    posting = models.OneToOneField(
        Posting, verbose_name="vị trí đến", on_delete=models.PROTECT, related_name="rotation"
    )
    start = models.DateField("ngày bắt đầu")
    planned_end = models.DateField("dự kiến kết thúc")

    class Meta:
        verbose_name = "luân chuyển"
        verbose_name_plural = "luân chuyển"
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("start")), name="rotation_end_after_start"
            )
        ]


class Evaluation(StampedModel):
    """The yearly evaluation and grade of one official in one unit."""

    official = models.ForeignKey(
        Official, verbose_name="người", on_delete=models.PROTECT, related_name="evaluations"
    )
    unit = models.ForeignKey(
        "geo.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("năm")
    general_score = models.PositiveSmallIntegerField("điểm tiêu chí chung", null=True, blank=True)
    task_score = models.PositiveSmallIntegerField("điểm kết quả nhiệm vụ", null=True, blank=True)
    disciplined = models.BooleanField("bị kỷ luật trong năm", default=False)
    grade = models.CharField("xếp loại", max_length=16, choices=Grade.choices)
    explanation = models.CharField("cách xếp loại", max_length=300)
    province_code = models.CharField("mã tỉnh", max_length=4, db_index=True)

    class Meta:
        verbose_name = "đánh giá, xếp loại"
        verbose_name_plural = "đánh giá, xếp loại"
        constraints = [
            models.UniqueConstraint(fields=["official", "year"], name="evaluation_once_a_year")
        ]
        ordering = ["-year"]

    @property
    def score(self) -> int | None:
        if self.general_score is None or self.task_score is None:
            return None
        return self.general_score + self.task_score


class RecordKind(models.TextChoices):
    AWARD = "award", "Khen thưởng"
    DISCIPLINE = "discipline", "Kỷ luật"


class Record(StampedModel):
    """An award or a disciplinary measure (part of the personnel file)."""

    official = models.ForeignKey(
        Official, verbose_name="người", on_delete=models.PROTECT, related_name="records"
    )
    kind = models.CharField("loại", max_length=12, choices=RecordKind.choices)
    decided_on = models.DateField("ngày quyết định")
    text = models.CharField("nội dung", max_length=300)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_on:%d/%m/%Y}: {self.text}"


class Relative(models.Model):
    """A family member declared in the personnel file."""

    official = models.ForeignKey(
        Official, verbose_name="người", on_delete=models.CASCADE, related_name="relatives"
    )
    relation = models.CharField("quan hệ", max_length=40)
    full_name = models.CharField("họ và tên", max_length=120)
    birth_year = models.PositiveSmallIntegerField("năm sinh", null=True, blank=True)
    occupation = models.CharField("nghề nghiệp", max_length=120, blank=True)

    def __str__(self) -> str:
        return f"{self.relation}: {self.full_name}"
