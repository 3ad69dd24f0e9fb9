"""API conventions shared by every app."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with a machine-readable ``code`` and, for bad input, ``fields``.

    ``{"code": "invalid", "detail": "…", "fields": {"as_of": ["…"]}}``: the messages are
    Vietnamese, the code and the field names are for programs.
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
        response.data = {"code": "invalid", "detail": "Dữ liệu không hợp lệ.", "fields": fields}
    return response
