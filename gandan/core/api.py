"""API conventions shared by every app."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with a machine-readable ``code`` and, for bad input, ``fields``.

    ``{"code": "invalid", "detail": "…", "fields": {"as_of": ["…"]}, "field_codes":
    {"as_of": ["invalid"]}}``: the messages are Vietnamese; the codes (a service's reason, such
    as ``missing_documents``, where it gives one) and the field names are for programs.
    """
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and "detail" in data and len(data) == 1:
        code = getattr(data["detail"], "code", "error")
        response.data = {"code": code, "detail": str(data["detail"])}
    else:
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {
            "code": "invalid",
            "detail": "Dữ liệu không hợp lệ.",
            "fields": fields,
            "field_codes": {name: _codes(value) for name, value in fields.items()},
        }
    return response


def _codes(value: Any) -> list[str]:
    """The codes of a field's errors (DRF's ``ErrorDetail`` carries one each)."""
    if isinstance(value, dict):
        return [code for item in value.values() for code in _codes(item)]
    if isinstance(value, list):
        return [code for item in value for code in _codes(item)]
    return [str(getattr(value, "code", None) or "invalid")]


@contextmanager
def not_found(detail: str) -> Iterator[None]:
    """Answer an access function's 404 (missing and out of scope alike) with ``detail``."""
    try:
        yield
    except Http404:
        raise NotFound(detail) from None


@contextmanager
def service_refusals() -> Iterator[None]:
    """Answer a service's ValidationError as a 400 (see :func:`refused`)."""
    try:
        yield
    except DjangoValidationError as error:
        raise refused(error) from None


def refused(error: DjangoValidationError) -> serializers.ValidationError:
    """A service's refusal as DRF's 400: its messages by field, and its reasons (the errors'
    codes, ``invalid`` where it gives none) in ``field_codes``."""
    if hasattr(error, "error_dict"):
        fields = {
            ("non_field_errors" if name == NON_FIELD_ERRORS else name): _details(errors)
            for name, errors in error.error_dict.items()
        }
    else:
        fields = {"non_field_errors": _details(error.error_list)}
    return serializers.ValidationError(fields)


def _details(errors: list[DjangoValidationError]) -> list[ErrorDetail]:
    return [
        ErrorDetail(message, code=e.code or "invalid") for e in errors for message in e.messages
    ]
