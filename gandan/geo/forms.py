from __future__ import annotations

from django import forms

from gandan.geo.models import HamletKind


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label="Vào ngày",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "invalid": "Ngày không hợp lệ: hãy nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2025."
        },
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    q = forms.CharField(label="Tìm đơn vị", required=False, max_length=100)


class HamletForm(forms.Form):
    name = forms.CharField(label="Tên", max_length=120)
    kind = forms.ChoiceField(label="Loại", choices=HamletKind.choices)
    valid_from = forms.DateField(
        label="Hiệu lực từ ngày",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
