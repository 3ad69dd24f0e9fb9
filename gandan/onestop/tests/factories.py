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
# The nine criteria a resident rates a returned dossier on (Decision 766), written out here so
# that the tests notice a change of the list in the code.
RATING_CODES = (
    "total_time",
    "unit_time",
    "visits",
    "agencies",
    "desk",
    "publication",
    "attitude",
    "feedback",
    "online",
)


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


def supplemented_twice(unit: Unit, **extra: Any) -> Dossier:
    """A land dossier received on Tuesday 3 March 2026, sent back for documents that day and
    again, late (acknowledged), the next day, each time resumed the morning after, and finished
    on 10 March."""
    dossier = receive(unit, LAND, when=at(2026, 3, 3, 8), **extra)
    services.dossier_request_supplement(dossier=dossier, reason="Thiếu sơ đồ", at=at(2026, 3, 3, 9))
    services.dossier_resume(dossier=dossier, at=at(2026, 3, 4, 9))
    services.dossier_request_supplement(
        dossier=dossier, reason="Thiếu giấy tờ", acknowledge_late=True, at=at(2026, 3, 4, 10)
    )
    services.dossier_resume(dossier=dossier, at=at(2026, 3, 5, 9))
    services.dossier_finish(dossier=dossier, at=at(2026, 3, 10, 9))
    return dossier
