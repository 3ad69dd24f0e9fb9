"""Forms of the household registry and the poverty review.

Forms only parse and check the shape of the input (dates, numbers, choices among what the user
may touch); the rules of the registry and of the review are checked by the services, whose
ValidationError messages are put back on the form by
:func:`gandan.core.forms.add_service_errors`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from gandan.core.forms import date_field
from gandan.geo.models import Hamlet, Unit
from gandan.households.models import (
    Area,
    Indicator,
    PovertyStandard,
    Relation,
    Sex,
)
from gandan.households.services import Survey


def error_messages(form: forms.Form) -> list[str]:
    """Every error of the form, each prefixed with its field's label."""
    result: list[str] = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        result.extend(f"{label}: {e}" if label else str(e) for e in errors)
    return result


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class HamletChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.commune.name}"


# --- The registry ------------------------------------------------------------------------------


class PlaceChoicesMixin:
    """Communes and villages the user may register households in (a village head: his own)."""

    def set_places(
        self,
        *,
        units: Iterable[Unit],
        hamlets: Iterable[Hamlet],
        commune_wide: Iterable[int],
    ) -> None:
        fields: dict[str, Any] = self.fields  # type: ignore[attr-defined]
        fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("name")
        fields["hamlet"].queryset = (
            Hamlet.objects.filter(pk__in=[h.pk for h in hamlets])
            .select_related("commune")
            .order_by("commune__name", "name")
        )
        self.commune_wide = set(commune_wide)

    def check_place(self, unit: Unit | None, hamlet: Hamlet | None) -> None:
        if unit is None:
            return
        if hamlet is not None and hamlet.commune_id != unit.pk:
            raise ValidationError({"hamlet": f"{hamlet.name} không thuộc {unit.name}."})
        if hamlet is None and unit.pk not in self.commune_wide:
            raise ValidationError(
                {"hamlet": "Trưởng thôn, tổ trưởng chỉ đăng ký hộ trong thôn, tổ của mình."}
            )


class HouseholdCreateForm(PlaceChoicesMixin, forms.Form):
    code = forms.CharField(label="Mã hộ", max_length=32)
    head_name = forms.CharField(label="Họ và tên chủ hộ", max_length=120)
    unit = UnitChoiceField(
        label="Xã, phường", queryset=Unit.objects.none(), empty_label="— Chọn xã, phường —"
    )
    hamlet = HamletChoiceField(
        label="Thôn, tổ dân phố",
        queryset=Hamlet.objects.none(),
        required=False,
        empty_label="— Chưa gắn thôn, tổ —",
    )
    area = forms.ChoiceField(
        label="Khu vực",
        required=False,
        choices=[("", "Theo thôn, tổ (hoặc loại xã, phường)"), *Area.choices],
    )
    ethnic_minority = forms.BooleanField(label="Hộ dân tộc thiểu số", required=False)
    farming = forms.BooleanField(label="Hộ nông, lâm, ngư, diêm nghiệp", required=False)
    formed_on = date_field("Ngày lập hộ", required=False, help_text="Để trống nếu không rõ.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_place(data.get("unit"), data.get("hamlet"))
        return data


class HouseholdMoveForm(forms.Form):
    unit = forms.CharField(
        label="Mã xã, phường nơi chuyển đến",
        max_length=10,
        help_text="Mã đơn vị hành chính cấp xã đang có hiệu lực vào ngày chuyển, ví dụ 19777.",
    )
    hamlet = HamletChoiceField(
        label="Thôn, tổ dân phố nơi chuyển đến",
        queryset=Hamlet.objects.none(),
        required=False,
        empty_label="— Không chọn —",
        help_text="Chỉ chọn được thôn, tổ trong phạm vi của bạn.",
    )
    on = date_field("Ngày chuyển đến")
    area = forms.ChoiceField(
        label="Khu vực",
        required=False,
        choices=[("", "Theo thôn, tổ (hoặc loại xã, phường)"), *Area.choices],
    )

    def __init__(self, *args: Any, hamlets: Iterable[Hamlet], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = (  # type: ignore[attr-defined]
            Hamlet.objects.filter(pk__in=[h.pk for h in hamlets])
            .select_related("commune")
            .order_by("commune__name", "name")
        )


class HouseholdDissolveForm(forms.Form):
    on = date_field("Ngày xóa hộ")
    reason = forms.CharField(
        label="Lý do xóa hộ",
        max_length=200,
        help_text="Ví dụ: các thành viên đã chuyển đi nơi khác; nhập vào hộ khác.",
    )


class MemberAddForm(forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=120)
    birth_date = date_field("Ngày sinh")
    sex = forms.ChoiceField(label="Giới tính", choices=Sex.choices)
    relation = forms.ChoiceField(label="Quan hệ với chủ hộ", choices=Relation.choices)
    citizen_id = forms.CharField(
        label="Số định danh cá nhân",
        required=False,
        max_length=12,
        help_text="12 chữ số; để trống nếu chưa có.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    on = date_field("Ngày vào hộ", required=False, help_text="Để trống nếu là thành viên từ đầu.")


# --- The periodic review -----------------------------------------------------------------------


class ReviewOpenForm(forms.Form):
    unit = UnitChoiceField(
        label="Xã, phường", queryset=Unit.objects.none(), empty_label="— Chọn xã, phường —"
    )

    def __init__(self, *args: Any, units: Iterable[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in units]
        ).order_by("name")


class RequestAddForm(forms.Form):
    code = forms.CharField(
        label="Mã hộ có giấy đề nghị (Mẫu 01)",
        max_length=32,
        help_text="Hộ đang cư trú tại xã, phường đang rà soát.",
    )


class SurveyForm(forms.Form):
    """The survey of one household: income, one yes/no per indicator of the year's standard."""

    income_per_capita = forms.IntegerField(
        label="Thu nhập bình quân đầu người/tháng (đồng)",
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1000"}),
    )
    members = forms.IntegerField(label="Số nhân khẩu", min_value=1, max_value=99)
    b1_score = forms.IntegerField(label="Điểm phiếu B1 (nếu có)", required=False, min_value=0)
    b2_score = forms.IntegerField(label="Điểm phiếu B2 (nếu có)", required=False, min_value=0)
    note = forms.CharField(label="Ghi chú", required=False, max_length=300)

    PREFIX = "deprived_"

    def __init__(self, *args: Any, standard: PovertyStandard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators: list[Indicator] = list(standard.indicators.order_by("order"))
        for indicator in self.indicators:
            self.fields[self.PREFIX + indicator.code] = forms.BooleanField(
                label=indicator.name, required=False
            )

    def indicator_groups(self) -> list[tuple[str, list[Any]]]:
        """(dimension, bound checkbox fields) in the standard's order, for the template."""
        groups: list[tuple[str, list[Any]]] = []
        for indicator in self.indicators:
            field = self[self.PREFIX + indicator.code]
            if groups and groups[-1][0] == indicator.dimension:
                groups[-1][1].append(field)
            else:
                groups.append((indicator.dimension, [field]))
        return groups

    def survey(self) -> Survey:
        data = self.cleaned_data
        return Survey(
            income_per_capita=data["income_per_capita"],
            deprived=[i.code for i in self.indicators if data.get(self.PREFIX + i.code)],
            members=data["members"],
            b1_score=data.get("b1_score"),
            b2_score=data.get("b2_score"),
            note=data.get("note") or "",
        )

    @classmethod
    def initial_from(cls, assessment: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "income_per_capita": assessment.income_per_capita,
            "members": assessment.members,
            "b1_score": assessment.b1_score,
            "b2_score": assessment.b2_score,
            "note": assessment.note,
        }
        for code in assessment.deprived_codes:
            initial[cls.PREFIX + code] = True
        return initial


class MeetingForm(forms.Form):
    hamlet = forms.TypedChoiceField(label="Thôn, tổ dân phố", coerce=int, choices=[])
    held_on = date_field("Ngày họp")
    chaired_by = forms.CharField(label="Người chủ trì (trưởng thôn, tổ trưởng)", max_length=120)
    supervised_by = forms.CharField(
        label="Đại diện Mặt trận Tổ quốc giám sát", required=False, max_length=120
    )
    present = forms.IntegerField(label="Số người dự họp", min_value=1)
    agree = forms.IntegerField(label="Số người đồng ý với kết quả", min_value=0)
    minutes = forms.CharField(
        label="Biên bản (tóm tắt)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, hamlets: Iterable[Hamlet], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].choices = [  # type: ignore[attr-defined]
            (h.pk, h.name) for h in hamlets
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        present, agree = data.get("present"), data.get("agree")
        if present is not None and agree is not None and agree > present:
            self.add_error("agree", "Số người đồng ý không thể lớn hơn số người dự họp.")
        return data


class PostingForm(forms.Form):
    posting_from = date_field("Niêm yết từ ngày")


class DecisionForm(forms.Form):
    decision_number = forms.CharField(
        label="Số quyết định", max_length=40, help_text="Ví dụ: 123/QĐ-UBND."
    )
    decided_on = date_field("Ngày ký quyết định")


# --- The regular review (Mẫu 04) ---------------------------------------------------------------

ASKS = [
    ("enter", "Công nhận hộ nghèo, cận nghèo"),
    ("leave", "Công nhận thoát nghèo, thoát cận nghèo"),
]


class RequestReceiveForm(forms.Form):
    code = forms.CharField(label="Mã hộ", max_length=32)
    received_on = date_field("Ngày nhận giấy đề nghị")
    asks = forms.ChoiceField(label="Đề nghị", choices=ASKS)
    reason = forms.CharField(
        label="Lý do đề nghị", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RequestDecideForm(SurveyForm):
    """Either a survey (the standing changes from the decision date) or a refusal with reasons."""

    OUTCOMES = [
        ("survey", "Rà soát, công nhận theo kết quả khảo sát"),
        ("refuse", "Không công nhận: trả lời bằng văn bản nêu rõ lý do"),
    ]

    outcome = forms.ChoiceField(
        label="Cách giải quyết", choices=OUTCOMES, widget=forms.RadioSelect, initial="survey"
    )
    decided_on = date_field("Ngày giải quyết")
    answer = forms.CharField(
        label="Trả lời (bắt buộc nếu không công nhận)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ["outcome", "decided_on", "answer"]

    def __init__(self, *args: Any, standard: PovertyStandard, **kwargs: Any) -> None:
        super().__init__(*args, standard=standard, **kwargs)
        if self.data.get(self.add_prefix("outcome")) == "refuse":
            # A refusal needs no survey: its fields are ignored.
            for name in ("income_per_capita", "members"):
                self.fields[name].required = False

    def refused(self) -> bool:
        return self.cleaned_data.get("outcome") == "refuse"

    def survey_or_none(self) -> Survey | None:
        return None if self.refused() else self.survey()
