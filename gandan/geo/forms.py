from __future__ import annotations

from django import forms

from gandan.core.forms import DATE_FORMATS, date_field
from gandan.geo.models import HamletKind


class AsOfForm(forms.Form):
    as_of = date_field("Vào ngày", required=False)
    q = forms.CharField(label="Tìm đơn vị", required=False, max_length=100)


class HamletForm(forms.Form):
    name = forms.CharField(label="Tên", max_length=120)
    kind = forms.ChoiceField(label="Loại", choices=HamletKind.choices)
    valid_from = forms.DateField(
        label="Hiệu lực từ ngày",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
