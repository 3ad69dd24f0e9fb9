"""API conventions shared by every app."""

from __future__ import annotations

from typing import Any

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
