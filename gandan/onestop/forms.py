"""Forms of the one-stop desk screens.

Forms parse the input and offer only the choices the dossier allows (its documents, its
earlier steps, the staff of a unit); the rules of the workflow are checked by the services,
whose ValidationError messages are put back on the form by :func:`add_service_errors`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from gandan.core.forms import add_service_errors as show_service_errors
from gandan.geo.models import Unit
from gandan.onestop.models import Channel, Procedure, ProcedureVersion
from gandan.onestop.services import Applicant

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]

# Service error fields that have no field of the same name on the form.
FIELD_ALIASES = {"file": "documents", "to_user": "to_user", "at": None, "status": None}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, as every screen does (with our aliases)."""
    show_service_errors(form, error, aliases=FIELD_ALIASES)


def receipt_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """What the desk's receipt form and the API's both give ``dossier_receive``: the applicant
    (its ``applicant_*`` fields), the channel and the documents received."""
    return {
        "applicant": Applicant(
            name=data["applicant_name"],
            citizen_id=data["applicant_id"],
            phone=data["applicant_phone"],
            email=data["applicant_email"],
            address=data["applicant_address"],
        ),
        "channel": data["channel"],
        "documents": data["documents"],
        "digitised": data["digitised"],
        "reused": data["reused"],
    }


def _reason(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": f"Cần nhập {label.lower()}."},
    )


# --- The list ---------------------------------------------------------------------------


class DossierFilterForm(forms.Form):
    """The base of ``filters.DossierFilter``'s form (the fields come from its filters): a
    start after the end is dropped, with the reason shown."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", "Ngày kết thúc trước ngày bắt đầu; bỏ qua khoảng ngày.")
            data.pop("received_from", None)
        return data


# --- Counter receipt --------------------------------------------------------------------


class ProcedurePickForm(forms.Form):
    """The procedure chosen first: its documents make the checklist of the receipt form."""

    procedure = forms.TypedChoiceField(
        label="Thủ tục hành chính",
        coerce=int,
        error_messages={
            "required": "Chọn thủ tục hành chính.",
            "invalid_choice": "Thủ tục không có trong danh mục.",
        },
    )

    def __init__(self, *args: Any, procedures: Iterable[Procedure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[int, str]]] = {}
        for procedure in procedures:
            groups.setdefault(procedure.field, []).append(
                (procedure.pk, f"{procedure.name} ({procedure.code})")
            )
        fields: Any = self.fields
        fields["procedure"].choices = [("", "— Chọn thủ tục —"), *groups.items()]


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class ReceiveForm(forms.Form):
    """One dossier at the counter (or by post): the applicant and the documents checked."""

    unit = UnitChoiceField(
        label="Đơn vị tiếp nhận",
        queryset=Unit.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Bạn không tiếp nhận hồ sơ cho đơn vị này."},
    )
    procedure = forms.ModelChoiceField(queryset=Procedure.objects.all(), widget=forms.HiddenInput)
    applicant_name = forms.CharField(
        label="Họ và tên người nộp",
        max_length=120,
        error_messages={"required": "Cần nhập họ tên người nộp."},
    )
    applicant_id = forms.CharField(
        label="Số định danh cá nhân (12 chữ số)",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_phone = forms.CharField(
        label="Số điện thoại",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.CharField(label="Thư điện tử", required=False, max_length=254)
    applicant_address = forms.CharField(label="Địa chỉ", required=False, max_length=300)
    documents = forms.MultipleChoiceField(
        label="Thành phần hồ sơ đã nhận", required=False, widget=forms.CheckboxSelectMultiple
    )
    channel = forms.TypedChoiceField(
        label="Hình thức nộp",
        coerce=int,
        choices=[
            (Channel.COUNTER.value, "Trực tiếp tại bộ phận một cửa"),
            (Channel.POST.value, "Qua bưu chính công ích"),
        ],
        initial=Channel.COUNTER.value,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Hình thức nộp không hợp lệ."},
    )
    digitised = forms.BooleanField(label="Thành phần hồ sơ đã được số hóa", required=False)
    reused = forms.BooleanField(
        label="Tái sử dụng giấy tờ đã số hóa trong kho dữ liệu", required=False
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    def __init__(
        self, *args: Any, units: Iterable[Unit], version: ProcedureVersion, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("name")
        fields["documents"].choices = [(d["code"], d["name"]) for d in version.documents]
        self.version = version

    def attachments(self, files: Any) -> dict[str, Any]:
        """The uploaded file of each document (``file_<code>``), if any."""
        found = {}
        for document in self.version.documents:
            upload = files.get(f"file_{document['code']}") if files else None
            if upload:
                found[document["code"]] = upload
        return found


# --- Actions on one dossier -------------------------------------------------------------


class EmptyForm(forms.Form):
    """An action without input (accept, resume without documents, record payment, return)."""


class ReasonForm(forms.Form):
    reason = _reason("Lý do")


class NoteForm(forms.Form):
    note = _reason("Nội dung phản ánh, kiến nghị")


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class ForwardForm(forms.Form):
    to_unit = UnitChoiceField(
        label="Chuyển đến đơn vị",
        queryset=Unit.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Đơn vị không có trong danh sách chọn."},
    )
    to_user = StaffChoiceField(
        label="Giao cho",
        queryset=None,
        required=False,
        empty_label="— Chưa giao cho ai —",
        error_messages={"invalid_choice": "Người được giao không làm việc tại đơn vị này."},
    )
    note = _reason("Ghi chú", required=False)

    def __init__(self, *args: Any, units: list[Unit], staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["to_unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        fields["to_user"].queryset = staff


class AssignForm(forms.Form):
    to_user = StaffChoiceField(
        label="Giao cho",
        queryset=None,
        empty_label="— Chọn người xử lý —",
        error_messages={
            "required": "Cần chọn người được giao.",
            "invalid_choice": "Người được giao không làm việc tại đơn vị này.",
        },
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["to_user"].queryset = staff


class SendBackForm(forms.Form):
    to_step = forms.TypedChoiceField(
        label="Chuyển lại về bước",
        coerce=int,
        error_messages={"invalid_choice": "Chỉ chuyển lại về một bước trước bước hiện tại."},
    )
    reason = _reason("Lý do chuyển lại")

    def __init__(self, *args: Any, steps: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["to_step"].choices = [(order, f"{order}. {name}") for order, name in steps]


def _documents(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Giấy tờ không thuộc thành phần hồ sơ của thủ tục."},
    )


class DocumentsForm(forms.Form):
    """A form whose ``documents`` are ticked among the dossier's (``documents``: code, name)."""

    def __init__(self, *args: Any, documents: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["documents"].choices = documents


class SupplementForm(DocumentsForm):
    reason = _reason("Nội dung cần bổ sung")
    documents = _documents("Giấy tờ cần bổ sung")
    acknowledge_late = forms.BooleanField(
        label="Tôi biết hồ sơ sẽ bị tính là trễ hạn và vẫn yêu cầu bổ sung", required=False
    )


class ResumeForm(DocumentsForm):
    documents = _documents("Giấy tờ đã nhận bổ sung")


class PaymentForm(forms.Form):
    amount = forms.IntegerField(
        label="Số tiền (đồng)",
        min_value=1,
        error_messages={
            "required": "Cần nhập số tiền.",
            "invalid": "Số tiền phải là số nguyên (đồng).",
            "min_value": "Số tiền phải lớn hơn 0.",
        },
    )
    note = forms.CharField(label="Ghi chú", required=False, max_length=2000)


class FinishForm(forms.Form):
    result_note = _reason("Kết quả giải quyết", required=False)
    electronic = forms.BooleanField(label="Có kết quả điện tử", required=False)
    result_file = forms.FileField(
        label="Tệp kết quả điện tử (PDF hoặc ảnh)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class ApologyDraftForm(forms.Form):
    reason = _reason("Lý do chậm")
    new_appointment_at = forms.DateTimeField(
        label="Hẹn trả kết quả mới",
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Cần chọn ngày giờ hẹn trả kết quả mới.",
            "invalid": "Ngày giờ hẹn không hợp lệ.",
        },
    )

    def clean_new_appointment_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["new_appointment_at"]
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value
