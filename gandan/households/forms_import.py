"""The upload form of the households import screen."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.files.uploadedfile import UploadedFile

from gandan.core.imports import FORMATS

MAX_UPLOAD_MB = 25  # a whole province's year fits; a commune's file is far smaller


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp kết quả rà soát (.xlsx hoặc .csv)",
        error_messages={
            "required": "Hãy chọn tệp để nhập.",
            "empty": "Tệp trống.",
            "invalid": "Không nhận được tệp: hãy chọn lại.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(label="Chỉ kiểm tra (không lưu)", required=False)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        size = upload.size or 0
        if size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"Tệp quá lớn ({size / 1024 / 1024:.1f} MB): tối đa {MAX_UPLOAD_MB} MB. "
                "Hãy chia tệp theo năm hoặc theo xã."
            )
        if Path(upload.name or "").suffix.lower() not in FORMATS:
            raise forms.ValidationError("Chỉ nhận tệp .xlsx hoặc .csv.")
        return upload
