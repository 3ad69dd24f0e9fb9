"""The floor of any Django endpoint that receives a dossier, for ``onestop_receipts``.

``POST /bench/same-rows/`` takes the rows one receipt wrote — the day's counter key, the
dossier row, its documents, its event — as JSON and writes them with the same plain
statements as the benchmark's hand-written baseline, in one transaction, through Django's
connection, behind gandan's own middleware, and answers the new id as JSON. No
authentication, no validation, no scope, no ORM: what is left of a receipt once every part
of gandan's own is taken away.

``POST /bench/same-rows-api/`` writes the same rows the same way behind Django REST
framework, which DESIGN.md prescribes for ``/api/v1/``: gandan's API settings (the token
authentication, the signed-in permission, DRF's JSON parser and renderer, its exception
handler), nothing of the receipt's own — the floor of any ``/api/v1/`` endpoint that writes a
receipt's rows.

Served only by the benchmark, with ``DJANGO_SETTINGS_MODULE=bench.receipts_floor_settings``.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection, models, transaction
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from psycopg.types.json import Jsonb
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gandan.core.models import Event
from gandan.onestop.models import Dossier, DossierDocument
from gandan.urls import urlpatterns as gandan_urlpatterns


def _columns(model: type[models.Model]) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if not f.primary_key]


def _insert(table: str, columns: list[str], returning: str = "") -> str:
    values = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})"  # noqa: S608 - our own names
    return sql + (f" RETURNING {returning}" if returning else "")


DOCUMENT_COLUMNS = _columns(DossierDocument)
EVENT_COLUMNS = _columns(Event)
COUNTER_SQL = (
    "INSERT INTO onestop_dossiersequence (unit_code, day, last) VALUES (%s, %s, 1) "
    "ON CONFLICT (unit_code, day) DO UPDATE SET last = onestop_dossiersequence.last + 1 "
    "RETURNING last"
)
DOSSIER_SQL = _insert("onestop_dossier", _columns(Dossier), returning="id")
DOCUMENT_SQL = _insert("onestop_dossierdocument", DOCUMENT_COLUMNS)
EVENT_SQL = _insert("core_event", EVENT_COLUMNS)


def _value(value: Any) -> Any:
    return Jsonb(value) if isinstance(value, dict | list) else value


def _write(receipt: dict[str, Any]) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(COUNTER_SQL, receipt["sequence"])
        cursor.execute(DOSSIER_SQL, [_value(v) for v in receipt["row"]])
        new_id: int = cursor.fetchone()[0]
        cursor.executemany(
            DOCUMENT_SQL,
            [
                [
                    new_id if c == "dossier_id" else v
                    for c, v in zip(DOCUMENT_COLUMNS, document, strict=True)
                ]
                for document in receipt["documents"]
            ],
        )
        for event in receipt["events"]:
            cursor.execute(
                EVENT_SQL,
                [
                    str(new_id) if c == "subject_id" else _value(v)
                    for c, v in zip(EVENT_COLUMNS, event, strict=True)
                ],
            )
    return new_id


@csrf_exempt
def same_rows(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"id": _write(json.loads(request.body))}, status=201)


class SameRowsThroughApi(APIView):
    """The same writes behind DRF with gandan's API settings (token, signed in, JSON)."""

    def post(self, request: Request) -> Response:
        return Response({"id": _write(request.data)}, status=201)


urlpatterns = [
    *gandan_urlpatterns,
    path("bench/same-rows/", same_rows),
    path("bench/same-rows-api/", SameRowsThroughApi.as_view()),
]
