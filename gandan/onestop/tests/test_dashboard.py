"""The one-stop dashboard: the figures on the screen are the report's, the weekly receipts add
up to the receipts, the scope holds, bad periods are refused and downloads give the same report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from gandan.onestop import services
from gandan.onestop.dashboard import weekly_receipts
from gandan.onestop.models import Channel
from gandan.onestop.selectors import onestop_breakdown, onestop_report
from gandan.onestop.tests.factories import (
    LAND,
    MARITAL,
    RATING_CODES,
    at,
    receive,
    supplemented_twice,
)
from gandan.reports.formats import flatten

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("march_20", "fast_passwords")]

START, END = dt.date(2026, 3, 2), dt.date(2026, 3, 13)  # Monday to Friday of the next week
TODAY = dt.date(2026, 3, 20)
URL = "/onestop/dashboard/"
SCORES = dict.fromkeys(RATING_CODES, 4)


@pytest.fixture
def period(personas):  # type: ignore[no-untyped-def]
    """Commune A: on time (rated), online and late, by post, twice supplemented, open overdue,
    open not due, withdrawn, one from before the period; commune B: one late."""
    a, s, official = personas.commune_a, services, personas.official_a
    on_time = receive(a, MARITAL, when=at(2026, 3, 2, 8), digitised=True)
    s.dossier_finish(dossier=on_time, electronic=True, at=at(2026, 3, 3, 9), actor=official)
    s.dossier_return(dossier=on_time, at=at(2026, 3, 3, 10))
    s.rating_record(
        dossier=on_time, scores=SCORES | {"attitude": 5}, via="kiosk", at=at(2026, 3, 3, 11)
    )
    online = receive(a, MARITAL, channel=Channel.ONLINE, when=at(2026, 3, 1, 20))
    s.dossier_accept(dossier=online, at=at(2026, 3, 2, 9))
    s.dossier_finish(dossier=online, at=at(2026, 3, 9, 9), actor=official)
    posted = receive(a, MARITAL, channel=Channel.POST, when=at(2026, 3, 10, 8), reused=True)
    s.dossier_finish(dossier=posted, at=at(2026, 3, 10, 15), actor=official)
    s.dossier_mark_complaint(dossier=posted, note="Nhận kết quả chậm qua bưu điện")
    twice = supplemented_twice(a)
    receive(a, MARITAL, when=at(2026, 3, 4, 8))  # open, overdue at the end
    receive(a, LAND, when=at(2026, 3, 12, 8), channel=Channel.ONLINE)  # registered only
    receive(a, LAND, when=at(2026, 3, 13, 8))  # open, not yet due
    withdrawn = receive(a, MARITAL, when=at(2026, 3, 2, 9))
    s.dossier_withdraw(dossier=withdrawn, reason="Không cần nữa", at=at(2026, 3, 3, 9))
    carried = receive(a, LAND, when=at(2026, 2, 25, 8))
    s.dossier_finish(dossier=carried, at=at(2026, 3, 3, 9))
    other = receive(personas.commune_b, MARITAL, when=at(2026, 3, 2, 8))
    s.dossier_finish(dossier=other, at=at(2026, 3, 11, 9))  # late, in commune B
    return {"on_time": on_time, "online": online, "twice": twice}


def _get(client: Client, **params: str) -> Any:
    return client.get(URL, params)


def _tiles(html: str) -> dict[str, str]:
    """Tile id → the raw value the page carries (data-value), '' for 'nothing to divide'."""
    return dict(
        re.findall(
            r'id="tile-([a-z_]+)"[^>]*>\s*<span class="label">[^<]*</span>\s*'
            r'<span class="num" data-value="([^"]*)"',
            html,
        )
    )


def _text(html: str, tile: str) -> str:
    match = re.search(rf'id="tile-{tile}".*?<span class="num"[^>]*>([^<]*)</span>', html, re.S)
    assert match, tile
    return unescape(match.group(1)).replace("\xa0", " ")


def test_the_tiles_show_the_reports_figures(personas, period) -> None:  # type: ignore[no-untyped-def]
    report = onestop_report(unit=personas.commune_a, start=START, end=END)
    response = _get(
        personas.client("official_a"),
        unit=personas.commune_a.code,
        **{"from": "2026-03-02", "to": "2026-03-13"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    tiles = _tiles(html)
    keys = [
        "received",
        "finished",
        "handled",
        "open",
        "on_time_rate",
        "late",
        "online_rate",
        "digitisation_rate",
        "reuse_rate",
        "average_days",
        "satisfaction",
    ]
    assert set(tiles) == {*keys, "rating"}
    for key in keys:
        expected = report[key]
        assert tiles[key] == ("" if expected is None else str(expected)), key
    assert float(tiles["rating"]) == report["rating"]["average"]
    # The hand-made period, so that the comparison is not between two empty reports.
    assert (report["received"], report["finished"], report["handled"]) == (7, 5, 7)
    assert (report["on_time"], report["late"]) == (4, 3)
    # People read the rates the Vietnamese way, each with its formula beside it.
    assert _text(html, "online_rate") == "14,29 %"  # 1 of 7
    assert _text(html, "on_time_rate") == "57,14 %"
    assert _text(html, "rating") == "4,11/5"
    assert "chia cho số hồ sơ đã và đang giải quyết" in html
    assert "= đúng hạn ÷ đã và đang giải quyết" in html
    assert "Thời gian chờ bổ sung không tính vào hạn" in html


def test_the_weekly_receipts_add_up_to_the_receipts(personas, period) -> None:  # type: ignore[no-untyped-def]
    for unit in (personas.commune_a, personas.province):
        for start, end in (
            (START, END),
            (dt.date(2026, 3, 4), dt.date(2026, 3, 12)),
            (dt.date(2026, 2, 1), TODAY),
        ):
            weeks = weekly_receipts(unit=unit, start=start, end=end)
            report = onestop_report(unit=unit, start=start, end=end)
            assert sum(week.total for week in weeks) == report["received"], (unit, start, end)
            assert sum(week.by_channel[Channel.ONLINE] for week in weeks) == report["online"]
            assert weeks[0].first == start and weeks[-1].last == end
            assert all(week.monday.weekday() == 0 for week in weeks)
    weeks = weekly_receipts(unit=personas.commune_a, start=START, end=END)
    assert [week.label for week in weeks] == ["02/03–08/03", "09/03–13/03"]
    assert [week.by_channel for week in weeks] == [
        {Channel.ONLINE: 1, Channel.COUNTER: 4, Channel.POST: 0},
        {Channel.ONLINE: 0, Channel.COUNTER: 1, Channel.POST: 1},
    ]
    html = _get(
        personas.client("official_a"), **{"from": "2026-03-02", "to": "2026-03-13"}
    ).content.decode()
    assert "Cộng các tuần: 7 hồ sơ" in html
    assert "Hồ sơ tiếp nhận theo tuần" in html and "09/03–13/03" in html


def test_a_week_at_midnight_belongs_to_vietnams_monday(personas) -> None:  # type: ignore[no-untyped-def]
    # 00:30 on Monday in Việt Nam is still Sunday in UTC: the week is the local one.
    receive(personas.commune_a, MARITAL, when=at(2026, 3, 9, 0, 30))
    weeks = weekly_receipts(unit=personas.commune_a, start=START, end=END)
    assert [week.total for week in weeks] == [0, 1]


def test_the_official_of_commune_b_cannot_choose_commune_a(personas, period) -> None:  # type: ignore[no-untyped-def]
    client = personas.client("official_b")
    assert _get(client, unit=personas.commune_a.code).status_code == 404
    assert _get(client, unit=personas.province.code).status_code == 404
    response = client.get("/onestop/dashboard/export/", {"unit": personas.commune_a.code})
    assert response.status_code == 404
    # By default: the official's own commune, and only it in the picker.
    html = _get(client, **{"from": "2026-03-02", "to": "2026-03-13"}).content.decode()
    assert personas.commune_b.name in html and f'value="{personas.commune_a.code}"' not in html
    assert _tiles(html)["late"] == "1"


def test_anonymous_visitors_are_sent_to_sign_in(personas) -> None:  # type: ignore[no-untyped-def]
    response = personas.client("anonymous").get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_leader_sees_the_province_with_its_ranking_and_map(personas, period) -> None:  # type: ignore[no-untyped-def]
    report = onestop_report(unit=personas.province, start=START, end=END)
    response = _get(personas.client("leader"), **{"from": "2026-03-02", "to": "2026-03-13"})
    assert response.status_code == 200
    html = response.content.decode()
    assert _tiles(html)["handled"] == str(report["handled"]) == "8"
    ranking = html[html.index('id="ranking"') : html.index('id="on-time-map"')]
    a, b = personas.commune_a.name, personas.commune_b.name
    assert f"1. {a}" in ranking and f"2. {b}" in ranking
    assert ranking.index(f"1. {a}") < ranking.index(f"2. {b}")
    assert "38 đơn vị chưa có hồ sơ giải quyết trong kỳ" in ranking
    table = html[html.index('id="by-unit"') :]
    assert len(re.findall(r'<tr id="unit-\d{5}"', table)) == 40
    row_a = re.search(rf'<tr id="unit-{personas.commune_a.code}"[^>]*>(.*?)</tr>', table, re.S)
    assert row_a and '<td class="num">1</td>' in row_a.group(1)
    assert "57,14" in row_a.group(1)  # its on-time rate
    assert table.index(f"unit-{personas.commune_a.code}") < table.index(
        f"unit-{personas.commune_b.code}"
    )
    assert 'class="rate-map"' in html and f"{a}: 57,14" in html
    # Officers only on request for a province.
    assert 'id="by-officer"' not in html
    html = _get(
        personas.client("leader"), officers="1", **{"from": "2026-03-02", "to": "2026-03-13"}
    ).content.decode()
    assert 'id="by-officer"' in html and personas.official_a.get_username() in html


def test_a_commune_shows_its_procedures_and_officers(personas, period) -> None:  # type: ignore[no-untyped-def]
    html = _get(
        personas.client("viewer_a"), **{"from": "2026-03-02", "to": "2026-03-13"}
    ).content.decode()
    assert 'id="ranking"' not in html and 'id="by-unit"' not in html
    procedures = onestop_breakdown(unit=personas.commune_a, start=START, end=END, by="procedure")
    table = html[html.index('id="by-procedure"') : html.index('id="officers"')]
    for row in procedures:
        assert row["name"] in table
    officers = onestop_breakdown(unit=personas.commune_a, start=START, end=END, by="officer")
    official = next(row for row in officers if row["key"] == personas.official_a.pk)
    assert official["finished"] == 3
    table = html[html.index('id="by-officer"') :]
    assert personas.official_a.get_username() in table and "(chưa có kết quả)" in table


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"to": "2026-03-21"}, "Ngày 21/03/2026 ở tương lai"),
        ({"from": "2026-04-01", "to": "2026-04-02"}, "Ngày 01/04/2026 ở tương lai"),
        ({"from": "2026-03-13", "to": "2026-03-02"}, "Từ ngày 13/03/2026 sau đến ngày 02/03/2026"),
        ({"from": "32/13/2026"}, "Ngày không hợp lệ"),
        ({"preset": "week"}, "Khoảng thời gian không hợp lệ"),
    ],
)
def test_bad_periods_are_refused_in_vietnamese_and_nothing_is_computed(
    personas: Any, period: Any, params: dict[str, str], message: str
) -> None:
    client = personas.client("official_a")
    response = _get(client, unit=personas.commune_a.code, **params)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert message in html and "Chưa tính số liệu" in html
    assert 'id="tile-' not in html and 'id="by-procedure"' not in html
    export = client.get("/onestop/dashboard/export/", {"unit": personas.commune_a.code, **params})
    assert export.status_code == 400 and message in export.content.decode()


def test_the_presets_choose_the_period(personas, period) -> None:  # type: ignore[no-untyped-def]
    client = personas.client("official_a")
    for preset, start in (
        ("month", dt.date(2026, 3, 1)),
        ("30", dt.date(2026, 2, 19)),
        ("90", dt.date(2025, 12, 21)),
        ("year", dt.date(2026, 1, 1)),
        (None, dt.date(2026, 2, 19)),  # the default: the last 30 days
    ):
        response = _get(client, **({"preset": preset} if preset else {}))
        html = response.content.decode()
        assert f"từ {start:%d/%m/%Y} đến 20/03/2026" in html, preset
        report = onestop_report(unit=personas.commune_a, start=start, end=TODAY)
        assert _tiles(html)["received"] == str(report["received"])
        assert re.search(rf'preset={preset or "30"}" aria-current', html)


def test_the_downloads_give_the_same_report(personas, period) -> None:  # type: ignore[no-untyped-def]
    client = personas.client("official_a")
    html = _get(client, **{"from": "2026-03-02", "to": "2026-03-13"}).content.decode()
    api = unescape(re.search(r'href="([^"]+)" id="api-link"', html).group(1))  # type: ignore[union-attr]
    assert (
        api
        == f"/api/v1/reports/onestop/?unit={personas.commune_a.code}&from=2026-03-02&to=2026-03-13"
    )
    data = client.get(api).json()
    report = onestop_report(unit=personas.commune_a, start=START, end=END)
    assert data["on_time_rate"] == report["on_time_rate"] and data["received"] == 7
    query = {"unit": personas.commune_a.code, "from": "2026-03-02", "to": "2026-03-13"}
    response = client.get("/onestop/dashboard/export/", query | {"format": "csv"})
    assert response.status_code == 200
    assert "mot-cua-766-19789-2026-03-02-2026-03-13.csv" in response["Content-Disposition"]
    rows = dict(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    expected = dict(flatten(report))
    assert rows["on_time_rate"] == str(expected["on_time_rate"]) == "57.14"
    assert rows["received"] == "7" and rows["rating.count"] == "1"
    response = client.get("/onestop/dashboard/export/", query | {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["late"] == report["late"] == 3
    response = client.get("/onestop/dashboard/export/", query | {"format": "pdf"})
    assert response.status_code == 400 and "Định dạng không hỗ trợ" in response.content.decode()


def test_a_period_before_the_reform_is_counted_and_explained(personas, period) -> None:  # type: ignore[no-untyped-def]
    june = {"from": "2025-06-01", "to": "2025-06-30"}
    client = personas.client("official_a")
    # By default the official's commune, formed on 1 Jul 2025: no dossier, and the page says why.
    response = _get(client, **june)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert personas.commune_a.name in html
    assert f"có hiệu lực từ {personas.commune_a.valid_from:%d/%m/%Y}" in html
    assert _tiles(html)["received"] == "0"
    # Its code named another ward then (one it was merged from): the date decides, scope follows.
    response = _get(client, unit=personas.commune_a.code, **june)
    html = unescape(response.content.decode())
    assert response.status_code == 200 and "Phường Phú Nhuận" in html and "có hiệu lực" not in html
    assert (
        _get(personas.client("official_b"), unit=personas.commune_a.code, **june).status_code == 404
    )
