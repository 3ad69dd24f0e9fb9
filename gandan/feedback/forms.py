"""Forms of the public feedback pages.

The forms only parse what people type; the rules (text length, no HTML, location inside Việt
Nam, real images, at most five) are checked once, by :func:`gandan.feedback.services.report_submit`,
whose Vietnamese messages the views put back on the form's fields.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from gandan.core.forms import add_service_errors
from gandan.core.validators import check_phone
from gandan.feedback.models import Category
from gandan.feedback.selectors import active_categories
from gandan.feedback.services import MAX_TEXT

# A report's own fields: the public form and the staff's entry form name them as report_submit.
REPORT_FIELDS = (
    "category",
    "title",
    "description",
    "latitude",
    "longitude",
    "address",
    "reporter_name",
    "reporter_email",
    "reporter_phone",
)
# The fields report_submit names otherwise (Open311's names), as the forms name them.
SUBMIT_ERROR_FIELDS = {
    "service_code": "category",
    "lat": "latitude",
    "long": "longitude",
    "address_string": "address",
    "media": "photos",
    "requested_datetime": "received_at",
}


def report_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The report's own fields of a valid form, as keywords of report_submit."""
    return {name: data[name] for name in REPORT_FIELDS}


def add_submit_errors(form: forms.Form, error: ValidationError) -> None:
    """Show report_submit's refusal on the form: each message next to its field."""
    add_service_errors(form, error, aliases=SUBMIT_ERROR_FIELDS)


class CoordinateField(forms.FloatField):
    """A latitude or longitude; a decimal comma (16,4556, as Vietnamese write it) is accepted."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class Form(forms.Form):
    """Labels sit above their inputs here: no colon after them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several image files from one ``<input type=file multiple>``.

    Nothing is checked here: the service checks each file (a real JPEG, PNG or WebP, at most
    5 MB) and their number, with the messages people see.
    """

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        return list(data) if isinstance(data, (list, tuple)) else [data]


class CategoryField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Category) -> str:
        return obj.name


class ReportForm(Form):
    category = CategoryField(
        label="Lĩnh vực",
        queryset=active_categories(),
        to_field_name="code",
        empty_label="— Chọn lĩnh vực —",
        error_messages={
            "required": "Hãy chọn lĩnh vực của phản ánh.",
            "invalid_choice": "Lĩnh vực không hợp lệ, hãy chọn lại.",
        },
    )
    title = forms.CharField(
        label="Tiêu đề (không bắt buộc)",
        required=False,
        strip=True,
        help_text="Để trống thì lấy phần đầu của nội dung.",
        widget=forms.TextInput(attrs={"maxlength": 160, "autocomplete": "off"}),
    )
    # Length and content are checked by the service, which says how long the text is.
    description = forms.CharField(
        label="Nội dung phản ánh",
        help_text=f"Tối đa {MAX_TEXT:_} ký tự. Mô tả sự việc, từ khi nào, mức độ ảnh hưởng.".replace(
            "_", "."
        ),
        error_messages={"required": "Hãy nhập nội dung phản ánh."},
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_TEXT}),
    )
    latitude = CoordinateField(
        label="Vĩ độ",
        required=False,
        error_messages={"invalid": "Vĩ độ phải là một số, ví dụ 16.4556."},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    longitude = CoordinateField(
        label="Kinh độ",
        required=False,
        error_messages={"invalid": "Kinh độ phải là một số, ví dụ 107.584."},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label="Địa chỉ, địa điểm (không bắt buộc)",
        required=False,
        help_text="Số nhà, tên đường, kiệt, hẻm, điểm mốc gần đó.",
        widget=forms.TextInput(attrs={"maxlength": 300, "autocomplete": "street-address"}),
    )
    photos = PhotosField(
        label="Ảnh (không bắt buộc)",
        required=False,
        help_text="Tối đa 5 ảnh JPEG, PNG hoặc WebP, mỗi ảnh dưới 5 MB.",
    )
    reporter_name = forms.CharField(
        label="Họ và tên",
        required=False,
        max_length=120,
        error_messages={"max_length": "Họ tên dài quá 120 ký tự."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    reporter_email = forms.EmailField(
        label="Thư điện tử",
        required=False,
        error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    reporter_phone = forms.CharField(
        label="Số điện thoại",
        required=False,
        max_length=20,
        error_messages={"max_length": "Số điện thoại dài quá 20 ký tự."},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    confirm_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_reporter_phone(self) -> str:
        try:
            return check_phone(self.cleaned_data["reporter_phone"], field="reporter_phone")
        except ValidationError as error:
            raise ValidationError(error.message_dict["reporter_phone"]) from None


class NearbyForm(Form):
    """The parameters of the duplicate suggestion (an htmx GET while the form is filled)."""

    category = forms.ModelChoiceField(queryset=active_categories(), to_field_name="code")
    latitude = CoordinateField(min_value=-90, max_value=90)
    longitude = CoordinateField(min_value=-180, max_value=180)


class ListFilterForm(Form):
    unit = forms.ChoiceField(label="Xã, phường", required=False)
    category = CategoryField(
        label="Lĩnh vực",
        queryset=active_categories(),
        to_field_name="code",
        required=False,
        empty_label="Tất cả lĩnh vực",
    )
    status = forms.ChoiceField(
        label="Tình trạng",
        required=False,
        choices=[("", "Tất cả"), ("open", "Đang xử lý"), ("closed", "Đã trả lời, đã đóng")],
    )

    def __init__(
        self, *args: Any, units: list[tuple[str, list[tuple[str, str]]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [("", "Tất cả xã, phường"), *units]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = "Lựa chọn không hợp lệ; đang hiển thị tất cả."


class ReopenForm(Form):
    reason = forms.CharField(
        label="Lý do mở lại",
        error_messages={"required": "Hãy cho biết vì sao bạn chưa hài lòng."},
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
    )
