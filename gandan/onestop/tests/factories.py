"""Dossiers made through the services, as the desk makes them."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from gandan.geo.models import Unit
from gandan.onestop import services
from gandan.onestop.models import Channel, Dossier, Procedure

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")

BIRTH = "1.001193"  # same day, cut-off 15:00
MARITAL = "1.004873"  # 3 working days
LAND = "1.012766"  # 20 working days, a provincial step (liên thông)
MEDIATION = "1.012790"  # 30 calendar days


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LOCAL)


APPLICANT = services.Applicant(
    name="Trần Thị Bình", citizen_id="046190001234", phone="0905123456", email="binh@example.vn"
)


def procedure(code: str) -> Procedure:
    return Procedure.objects.get(code=code)


def required(code: str) -> list[str]:
    version = procedure(code).versions.order_by("-valid_from").first()
    assert version is not None
    return [d["code"] for d in version.documents if d.get("required", True)]


def receive(
    unit: Unit,
    code: str = MARITAL,
    *,
    when: dt.datetime | None = None,
    channel: int = Channel.COUNTER,
    actor: Any = None,
    **extra: Any,
) -> Dossier:
    return services.dossier_receive(
        unit=unit,
        procedure=procedure(code),
        applicant=extra.pop("applicant", APPLICANT),
        channel=channel,
        documents=extra.pop("documents", required(code)),
        at=when or at(2026, 3, 2),
        actor=actor,
        **extra,
    )
