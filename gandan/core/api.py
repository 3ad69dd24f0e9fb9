"""API conventions shared by every app."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, NotFound
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from gandan.core.paging import COUNT_CAP, capped_count


class Pagination(LimitOffsetPagination):
    """Every list of the API: ``?limit=`` and ``?offset=``, at most ``max_limit`` rows a page.

    A larger ``limit`` gives ``max_limit`` rows (with the link to the next page), never a
    page the database cannot address; the schema says so.
    """

    max_limit = 500
    limit_query_description = f"Số dòng mỗi trang (tối đa {max_limit})"
    offset_query_description = "Vị trí dòng đầu tiên của trang"
    count_capped = False

    def get_count(self, queryset: Any) -> int:
        """Rows counted up to :data:`~gandan.core.paging.COUNT_CAP` past the page: exact
        below that, else a lower bound, with ``count_capped`` true and a link to the next page."""
        before = (self.get_offset(self.request) if self.request else 0) + (self.limit or 0)
        count, self.count_capped = capped_count(queryset, before=before)
        return count

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self.count,
                "count_capped": self.count_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated: dict[str, Any] = super().get_paginated_response_schema(schema)
        paginated["properties"]["count_capped"] = {
            "type": "boolean",
            "description": (
                f"Danh sách còn dài hơn: count chỉ đếm tới {COUNT_CAP:,} dòng sau trang này"
            ).replace(",", "."),
        }
        return paginated

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        bounds = {self.limit_query_param: self.max_limit, self.offset_query_param: None}
        for parameter in parameters:
            parameter["schema"]["minimum"] = 0
            if bounds[parameter["name"]] is not None:
                parameter["schema"]["maximum"] = bounds[parameter["name"]]
        return parameters


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        "example": "15:00:00",
        "description": "Giờ trong ngày, giờ Việt Nam (HH:MM:SS)",
    }
)
class LocalTimeField(serializers.TimeField):
    """A time of day on Việt Nam's clock (``15:00:00``), such as a desk's cut-off hour.

    Not an instant, so it carries no offset; the schema says so instead of OpenAPI's ``time``
    format, which is RFC 3339's full time and requires one.
    """


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
