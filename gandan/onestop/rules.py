"""Load the procedure catalogue and the desk's constants from ``rules/*.json``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from gandan.core.rules import RulesSummary, read_fixture, upsert
from gandan.onestop.models import OnestopRule, Procedure, ProcedureStep, ProcedureVersion

APP = "gandan.onestop"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def load(*, summary: RulesSummary, say: Callable[[str], None]) -> None:
    rows = read_fixture(APP, "procedures.json")["procedures"]
    procedures = upsert(
        Procedure,
        ("code",),
        [{k: row[k] for k in ("code", "name", "field", "level")} for row in rows],
        summary,
        "thủ tục",
    )
    steps = 0
    for row in rows:
        procedure = procedures[(row["code"],)]
        for version in row["versions"]:
            shares = sum(step[3] for step in version["steps"])
            if shares != 100:
                raise ValueError(
                    f"Thủ tục {row['code']}: tỉ lệ thời gian các bước cộng lại {shares} %, cần 100 %."
                )
            fields = {k: v for k, v in version.items() if k != "steps"}
            fields["valid_from"] = _date(fields["valid_from"])
            fields["valid_to"] = _date(fields["valid_to"])
            fields["cutoff"] = dt.time.fromisoformat(fields["cutoff"]) if fields["cutoff"] else None
            found = upsert(
                ProcedureVersion,
                ("procedure", "valid_from"),
                [{"procedure": procedure, **fields}],
                summary,
                "phiên bản thủ tục",
            )
            saved = found[(procedure, fields["valid_from"])]
            assert isinstance(saved, ProcedureVersion)  # noqa: S101 - upsert returns its model
            upsert(
                ProcedureStep,
                ("version", "order"),
                [
                    {
                        "version": saved,
                        "order": order,
                        "name": name,
                        "handler": handler,
                        "agency_name": agency,
                        "share_percent": share,
                    }
                    for order, (name, handler, agency, share) in enumerate(version["steps"], 1)
                ],
                summary,
                "bước xử lý",
            )
            ProcedureStep.objects.filter(version=saved, order__gt=len(version["steps"])).delete()
            steps += len(version["steps"])
    desk = read_fixture(APP, "desk.json")["rules"]
    upsert(OnestopRule, ("code",), desk, summary, "quy định một cửa")
    say(f"một cửa: {len(rows)} thủ tục, {steps} bước, {len(desk)} quy định")
