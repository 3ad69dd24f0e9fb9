"""What every screen's forms share: a day typed or picked, the year of a report, and a service's
refusal shown on the form."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]  # what a date picker sends, and what people type
DATE_INVALID = "Ngày không hợp lệ: hãy nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2025."
FIRST_YEAR, LAST_YEAR = 1945, 2100  # the years a report may ask for, as gandan.reports
YEAR_OUT_OF_RANGE = f"Năm không hợp lệ: từ {FIRST_YEAR} đến {LAST_YEAR}."


def date_field(
    label: str, *, required: bool = True, help_text: str = "", instead: str = ""
) -> forms.DateField:
    """A day as ``dd/mm/yyyy`` or from the picker; ``instead`` tells, after the error, what a
    page shows when the day given does not parse."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": f"{DATE_INVALID} {instead}".strip()},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def year_field(label: str) -> forms.IntegerField:
    """An optional year of a report, from 1945 to 2100."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "invalid": "Năm không hợp lệ: hãy nhập bốn chữ số, ví dụ 2025.",
            "min_value": YEAR_OUT_OF_RANGE,
            "max_value": YEAR_OUT_OF_RANGE,
        },
    )


def add_service_errors(
    form: forms.Form, error: ValidationError, *, aliases: Mapping[str, str | None] | None = None
) -> None:
    """Show a service's ValidationError on the form: next to its field where the form has one
    (``aliases`` names the form's field for a service's name that differs), else above it."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            name = (aliases or {}).get(field, field)
            form.add_error(name if name in form.fields else None, list(messages))
    else:
        form.add_error(None, list(error.messages))
