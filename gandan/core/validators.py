"""Checks of personal identifiers shared by every app: one rule for each, one message for each.

Each raises Django's ``ValidationError`` keyed by the caller's field, with a code that the API
passes on (``citizen_id``, ``phone``), and returns the value in its stored form.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# ASCII digits only: str.isdigit() would take "１２３" or Arabic-Indic digits.
CITIZEN_ID = re.compile(r"[0-9]{12}")
PHONE = re.compile(r"\+?[0-9]{9,12}")
# The first three digits of a citizen ID are the birth-place code (Circular 59/2021/TT-BCA,
# Annex I): 001–096 for the provinces as coded before the 2025 reform.
BIRTH_PLACE_CODES = range(1, 97)


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _checked(
    value: str,
    *,
    drop: str,
    pattern: re.Pattern[str],
    field: str,
    required: bool,
    what: str,
    code: str,
) -> str:
    """``value`` without the characters ``drop`` matches, checked against ``pattern``.

    "" for an empty value that is not ``required``; the messages name ``what`` was asked for.
    """
    value = re.sub(drop, "", value or "")
    if not value:
        if required:
            raise _error(field, f"Cần nhập {what}.", code)
        return ""
    if not pattern.fullmatch(value):
        raise _error(field, INVALID[code], code)
    return value


INVALID = {
    "citizen_id": "Số định danh cá nhân phải gồm đúng 12 chữ số.",
    "phone": "Số điện thoại không hợp lệ (9–12 chữ số).",
    "email": "Địa chỉ thư điện tử không hợp lệ (tối đa 254 ký tự).",
}
EMAIL_LENGTH = 254  # the longest address SMTP delivers (RFC 5321), and our columns' width


def check_citizen_id(value: str, *, field: str = "citizen_id", required: bool = True) -> str:
    """A citizen ID number (CCCD / số định danh cá nhân): 12 digits, a real birth-place code first.

    Spaces are dropped; an empty value is refused unless ``required`` is False, when it is "".
    """
    value = _checked(
        value,
        drop=r"\s",
        pattern=CITIZEN_ID,
        field=field,
        required=required,
        what="số định danh cá nhân",
        code="citizen_id",
    )
    if value and int(value[:3]) not in BIRTH_PLACE_CODES:
        raise _error(
            field,
            f"Mã nơi đăng ký khai sinh {value[:3]} không hợp lệ (001–096).",
            "citizen_id",
        )
    return value


def check_phone(value: str, *, field: str = "phone", required: bool = False) -> str:
    """A Vietnamese phone number: 9–12 digits, a leading + allowed; spaces, dots and dashes dropped."""
    return _checked(
        value,
        drop=r"[\s.\-]",
        pattern=PHONE,
        field=field,
        required=required,
        what="số điện thoại",
        code="phone",
    )


def check_email(value: str, *, field: str = "email") -> str:
    """An e-mail address of at most 254 characters, or "" when none is given."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        if len(value) > EMAIL_LENGTH:
            raise ValidationError("too long")
        validate_email(value)
    except ValidationError:
        raise _error(field, INVALID["email"], "email") from None
    return value
