"""The staff screens for citizen reports (queue, report page and its forms, entering a report
received by phone or at the counter) and the staff API, for each persona of the scope matrix."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from gandan.core.calendar import WorkingCalendar
from gandan.core.models import AccessLog, Event
from gandan.feedback import services
from gandan.feedback.models import ANSWERED_STATUSES, Channel, Report, Status
from gandan.feedback.rules import answer_templates
from gandan.feedback.tests.helpers import HUE, png
from gandan.feedback.tests.url_matrix_staff import new_report_data, report_at, report_of_a

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=HUE)


def page_of(client, url, expect=200, **params):
    response = client.get(url, params)
    assert response.status_code == expect, response.status_code
    return response.content.decode()


def page_url(report: Report) -> str:
    return f"/feedback/staff/{report.code}/"


def contact_views(report: Report) -> int:
    return AccessLog.objects.filter(
        subject_type="feedback.report", subject_id=str(report.pk), what="reporter_contact"
    ).count()


# --- The queue ---------------------------------------------------------------------------------


def test_the_queue_lists_the_communes_open_reports_soonest_due_first(personas):
    later = report_at(personas.commune_a, title="Cây đổ chắn đường")
    sooner = report_at(
        personas.commune_a,
        title="Ổ gà trước chợ",
        received_at=dt.datetime(2026, 2, 2, 9, 0, tzinfo=HUE),
    )
    page = page_of(personas.client("official_a"), "/feedback/staff/")
    assert "Phản ánh cần xử lý" in page
    assert page.index(sooner.code) < page.index(later.code)
    assert "Phường Thuận Hóa" in page and sooner.category.name in page


def test_the_queue_hides_another_communes_reports(personas):
    report_of_a(personas)
    mine = report_at(personas.commune_b, title="Rác thải bờ sông", category="waste")
    page = page_of(personas.client("official_b"), "/feedback/staff/")
    assert mine.code in page
    assert report_of_a(personas).code not in page


def test_a_province_leader_sees_every_communes_reports(personas):
    a, b = report_of_a(personas), report_at(personas.commune_b)
    page = page_of(personas.client("leader"), "/feedback/staff/")
    assert a.code in page and b.code in page


def test_the_queue_never_shows_the_reporters_contact(personas):
    report_of_a(personas)
    page = page_of(personas.client("official_a"), "/feedback/staff/")
    assert "0905123456" not in page and "Trần Văn Bảo" not in page
    assert not AccessLog.objects.exists()


def test_the_queue_shows_open_reports_unless_asked_for_others(personas):
    open_one = report_of_a(personas)
    fixed = services.report_answer(
        report=report_at(personas.commune_a), status=Status.FIXED, answer="Đã vá."
    )
    client = personas.client("official_a")
    page = page_of(client, "/feedback/staff/")
    assert open_one.code in page and fixed.code not in page
    page = page_of(client, "/feedback/staff/", status="fixed")
    assert open_one.code not in page and fixed.code in page
    page = page_of(client, "/feedback/staff/", status="all")
    assert open_one.code in page and fixed.code in page


def test_the_queue_filters_by_category(personas):
    road = report_of_a(personas)
    light = report_at(personas.commune_a, category="lighting", title="Đèn hỏng")
    page = page_of(personas.client("official_a"), "/feedback/staff/", category="lighting")
    assert light.code in page and road.code not in page


def test_a_bad_filter_is_reported_and_ignored(personas):
    road = report_of_a(personas)
    page = page_of(personas.client("official_a"), "/feedback/staff/", category="nope")
    assert "Lĩnh vực không hợp lệ" in page
    assert road.code in page


def test_the_queue_marks_reports_due_within_a_working_day_and_overdue_ones(personas):
    with time_machine.travel(MONDAY, tick=False):
        report = report_at(personas.commune_a)
    due = report.due_at
    client = personas.client("official_a")
    with time_machine.travel(MONDAY, tick=False):
        page = page_of(client, "/feedback/staff/")
        assert "— sắp đến hạn" not in page and "— quá hạn" not in page
    # Two office hours before the deadline.
    soon = due - dt.timedelta(hours=2)
    assert WorkingCalendar().working_hours_between(soon, due) <= dt.timedelta(hours=8)
    with time_machine.travel(soon, tick=False):
        page = page_of(client, "/feedback/staff/")
        assert "— sắp đến hạn" in page and "— quá hạn" not in page
    with time_machine.travel(due + dt.timedelta(hours=1), tick=False):
        page = page_of(client, "/feedback/staff/")
        assert "— quá hạn" in page
        assert report.code in page_of(client, "/feedback/staff/", overdue="1")


def test_the_overdue_filter_keeps_only_overdue_open_reports(personas):
    late = report_at(personas.commune_a, received_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=HUE))
    fresh = report_of_a(personas)
    page = page_of(personas.client("official_a"), "/feedback/staff/", overdue="1")
    assert late.code in page and fresh.code not in page


def test_the_statistics_count_as_overdue_exactly_the_reports_the_queue_and_the_api_call_overdue(
    personas,
):
    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=HUE)
    with time_machine.travel(now, tick=False):
        # Told to the unit above in February, then answered and reopened: a fresh clock runs.
        reopened = report_at(
            personas.commune_a, received_at=dt.datetime(2026, 1, 6, 9, 0, tzinfo=HUE)
        )
        services.reports_escalate(now=dt.datetime(2026, 2, 20, 9, 0, tzinfo=HUE))
        services.report_answer(report=reopened, status=Status.FIXED, answer="Đã vá.")
        services.report_rate(report=reopened, token=reopened.reporter_token, satisfied=False)
        services.report_reopen(report=reopened, token=reopened.reporter_token, reason="Vẫn còn")
        # Past their deadline, the hourly escalation not yet run on them.
        late = {
            report_at(personas.commune_a, received_at=dt.datetime(2026, 1, d, 9, 0, tzinfo=HUE))
            for d in (5, 7)
        }
        report_of_a(personas)
        client = personas.client("official_a")
        queue = page_of(client, "/feedback/staff/", overdue="1")
        listed = client.get(API, {"overdue": "true"}).json()["results"]
        stats = page_of(
            client, "/feedback/stats/", unit="19789", **{"from": "2026-01-01", "to": "2026-03-02"}
        )
    assert {r["code"] for r in listed} == {r.code for r in late}
    assert all(r.code in queue for r in late) and reopened.code not in queue
    assert f"{len(late)} quá hạn" in stats


def test_the_queue_flags_escalated_reports(personas):
    late = report_at(personas.commune_a, received_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=HUE))
    services.reports_escalate()
    page = page_of(personas.client("official_a"), "/feedback/staff/")
    assert late.code in page and "đã báo cấp trên" in page


def test_the_queue_links_to_entering_a_report_only_for_writing_roles(personas):
    assert "/feedback/staff/new/" in page_of(personas.client("official_a"), "/feedback/staff/")
    assert "/feedback/staff/new/" not in page_of(personas.client("viewer_a"), "/feedback/staff/")


# --- The report page -----------------------------------------------------------------------------


def test_the_handling_officer_sees_everything_and_the_contact_view_is_logged(personas):
    report = report_of_a(personas)
    page = page_of(personas.client("official_a"), page_url(report))
    assert report.title in page and report.description in page
    assert "Trần Văn Bảo" in page and "0905123456" in page and "bao@example.vn" in page
    assert "Tiếp nhận" in page  # the timeline
    assert "Lịch sử kiểm duyệt" in page
    log = AccessLog.objects.get()
    assert log.user == personas.official_a and log.what == "reporter_contact"
    assert log.subject_type == "feedback.report" and log.subject_id == str(report.pk)
    assert log.province_code == "46"


@pytest.mark.parametrize("persona", ["viewer_a", "leader"])
def test_readers_see_the_report_but_not_the_contact_nor_the_forms(personas, persona):
    report = report_of_a(personas)
    page = page_of(personas.client(persona), page_url(report))
    assert report.title in page
    assert "0905123456" not in page and "Trần Văn Bảo" not in page
    assert 'name="action"' not in page
    assert contact_views(report) == 0


def test_another_communes_officer_gets_404_for_the_report(personas):
    page_of(personas.client("official_b"), page_url(report_of_a(personas)), expect=404)
    assert contact_views(report_of_a(personas)) == 0


def test_an_anonymous_report_shows_no_contact_and_logs_nothing(personas):
    report = report_at(personas.commune_a, reporter_name="", reporter_phone="", reporter_email="")
    page = page_of(personas.client("official_a"), page_url(report))
    assert "không để lại thông tin liên hệ" in page
    assert contact_views(report) == 0


def test_hidden_text_is_marked_for_staff(personas):
    report = report_of_a(personas)
    services.report_moderate(
        report=report, action="hide_text", reason="Xúc phạm", actor=personas.official_a
    )
    page = page_of(personas.client("viewer_a"), page_url(report))
    assert "đang bị ẩn với công chúng" in page
    assert "Xúc phạm" in page and "Ẩn nội dung" in page  # the moderation history


def test_the_officer_moves_a_report_to_in_progress(personas):
    report = report_of_a(personas)
    client = personas.client("official_a")
    response = client.post(
        page_url(report), {"action": "status", "status": "in_progress", "note": "Đã giao tổ 3"}
    )
    assert response.status_code == 302 and response["Location"] == page_url(report)
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    event = Event.objects.get(kind="report.status", subject_id=str(report.pk))
    assert event.actor == personas.official_a and event.data["note"] == "Đã giao tổ 3"
    page = page_of(client, page_url(report))
    assert "Đã chuyển tình trạng sang “Đang xử lý”." in page
    assert "Đã giao tổ 3" in page  # in the timeline


def test_the_officer_answers_and_closes_a_report(personas):
    report = report_of_a(personas)
    response = personas.client("official_a").post(
        page_url(report), {"action": "answer", "status": "fixed", "answer": "Đã vá ổ gà."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.FIXED and report.answer == "Đã vá ổ gà."
    page = page_of(personas.client("official_a"), page_url(report))
    assert "Phản ánh đã đóng" in page and "đúng hạn" in page


def test_an_empty_answer_is_refused_in_vietnamese_and_changes_nothing(personas):
    report = report_of_a(personas)
    response = personas.client("official_a").post(
        page_url(report), {"action": "answer", "status": "fixed", "answer": "   "}
    )
    assert response.status_code == 400
    assert "Chưa thực hiện được" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.RECEIVED and report.answer == ""
    assert not Event.objects.filter(kind="report.answered").exists()


def test_a_service_refusal_is_shown_with_status_400(personas):
    report = report_of_a(personas)
    services.report_set_status(report=report, status=Status.IN_PROGRESS)
    response = personas.client("official_a").post(
        page_url(report), {"action": "answer", "status": "closed_not_fixed", "answer": "<b>x</b>"}
    )
    assert response.status_code == 400
    assert "Nội dung không được chứa mã HTML." in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS


@pytest.mark.parametrize(
    "data",
    [
        {"action": "status", "status": "fixed"},  # not a choice of this form
        {"action": "delete"},
        {},
    ],
)
def test_a_bad_form_is_refused_with_status_400(personas, data):
    report = report_of_a(personas)
    response = personas.client("official_a").post(page_url(report), data)
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == Status.RECEIVED


def test_the_officer_transfers_a_report_to_another_commune_which_then_owns_it(personas):
    report = report_of_a(personas)
    response = personas.client("official_a").post(
        page_url(report),
        {"action": "transfer", "unit": "19777", "reason": "Địa điểm thuộc phường Vỹ Dạ"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/feedback/staff/"  # no longer in the officer's scope
    report.refresh_from_db()
    assert report.unit == personas.commune_b
    page_of(personas.client("official_a"), page_url(report), expect=404)
    assert report.code in page_of(personas.client("official_b"), "/feedback/staff/")


@pytest.mark.parametrize(
    ("code", "message"),
    [("99999", "Không có đơn vị mã"), ("19783", "Không có đơn vị mã"), ("19789", "khác đơn vị")],
)
def test_a_transfer_needs_another_unit_valid_today(personas, code, message):
    # 19783 (Phường Vĩnh Ninh) ended with the reform on 30/06/2025.
    report = report_of_a(personas)
    response = personas.client("official_a").post(
        page_url(report), {"action": "transfer", "unit": code, "reason": "Thử"}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    report.refresh_from_db()
    assert report.unit == personas.commune_a


def test_the_officer_merges_a_duplicate_into_an_earlier_report(personas):
    original = report_of_a(personas)
    duplicate = report_at(personas.commune_a, title="Ổ gà lặp lại")
    response = personas.client("official_a").post(
        page_url(duplicate), {"action": "merge", "into": original.code.lower()}
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == Status.DUPLICATE and duplicate.duplicate_of == original
    page = page_of(personas.client("official_a"), page_url(original))
    assert duplicate.code in page  # listed among the merged duplicates


def test_a_report_outside_the_scope_cannot_be_named_as_the_original(personas):
    elsewhere = report_at(personas.commune_b)
    report = report_of_a(personas)
    response = personas.client("official_a").post(
        page_url(report), {"action": "merge", "into": elsewhere.code}
    )
    assert response.status_code == 400
    assert "trong phạm vi của bạn" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.RECEIVED


def test_the_officer_redacts_a_photo_with_a_reason(personas, media):
    report = report_at(personas.commune_a, photos=[png()])
    photo = report.photos.get()
    response = personas.client("official_a").post(
        page_url(report),
        {"action": "moderate", "moderation": "redact_photo", "photo": photo.pk, "reason": "Lộ mặt"},
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.redacted
    page = page_of(personas.client("official_a"), page_url(report))
    assert f"Ảnh số {photo.pk} đã bị che" in page and "Lộ mặt" in page


def test_a_photo_action_without_the_photo_is_refused(personas):
    report = report_of_a(personas)
    response = personas.client("official_a").post(
        page_url(report), {"action": "moderate", "moderation": "redact_photo", "reason": "Thử"}
    )
    assert response.status_code == 400
    assert "Ảnh không thuộc phản ánh này." in response.content.decode()
    assert not report.moderations.exists()


@pytest.mark.parametrize("persona", ["viewer_a", "leader", "official_b"])
def test_only_a_role_that_writes_for_the_commune_may_act(personas, persona):
    report = report_of_a(personas)
    response = personas.client(persona).post(
        page_url(report), {"action": "answer", "status": "fixed", "answer": "Đã vá."}
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == Status.RECEIVED


def test_answer_templates_cover_every_final_status_in_vietnamese(personas):
    assert set(answer_templates()) == set(ANSWERED_STATUSES)
    for templates in answer_templates().values():
        assert 4 <= len(templates) <= 5
    page = page_of(personas.client("official_a"), page_url(report_of_a(personas)))
    assert 'id="answer-template"' in page
    assert "Đã chuyển cơ quan có thẩm quyền" in page


# --- Entering a report received by phone or at the counter ---------------------------------------


def test_an_officer_enters_a_phone_report_at_the_communes_centre(personas):
    data = new_report_data(personas)
    data.pop("latitude"), data.pop("longitude")
    data["commune"] = personas.commune_a.code
    client = personas.client("official_a")
    response = client.post("/feedback/staff/new/", data)
    assert response.status_code == 302
    report = Report.objects.get(title="Đèn đường hỏng")
    assert response["Location"] == page_url(report)
    assert report.unit == personas.commune_a and report.channel == Channel.PHONE
    assert report.created_by == personas.official_a
    assert report.reporter_phone == "0914000111"
    page = page_of(client, response["Location"])
    assert f"/feedback/r/{report.code}/?t={report.reporter_token}" in page


def test_a_counter_report_with_a_photo_and_no_reporter(personas, media):
    data = new_report_data(personas) | {
        "channel": "counter",
        "reporter_name": "",
        "reporter_phone": "",
        "photos": [png()],
    }
    response = personas.client("official_a").post("/feedback/staff/new/", data)
    assert response.status_code == 302
    report = Report.objects.get(title="Đèn đường hỏng")
    assert report.channel == Channel.COUNTER and report.photos.count() == 1
    assert report.reporter_name == ""


def test_entering_a_report_warns_of_similar_open_reports_nearby(personas):
    earlier = report_at(personas.commune_a, category="lighting", title="Đèn tối")
    response = personas.client("official_a").post(
        "/feedback/staff/new/", new_report_data(personas), follow=True
    )
    assert "xem xét gộp" in response.content.decode()
    assert earlier.code in response.content.decode()


def test_a_report_without_a_place_is_refused_in_vietnamese(personas):
    data = new_report_data(personas)
    data.pop("latitude"), data.pop("longitude")
    response = personas.client("official_a").post("/feedback/staff/new/", data)
    assert response.status_code == 400
    assert "Cần vị trí" in response.content.decode()
    assert not Report.objects.exists()


def test_a_report_in_the_future_is_refused(personas):
    data = new_report_data(personas) | {"received_at": "2099-01-01T08:00"}
    response = personas.client("official_a").post("/feedback/staff/new/", data)
    assert response.status_code == 400
    assert "không thể ở tương lai" in response.content.decode()
    assert not Report.objects.exists()


def test_an_officer_of_another_commune_enters_a_report_routed_to_its_place(personas):
    response = personas.client("official_b").post("/feedback/staff/new/", new_report_data(personas))
    assert response.status_code == 302 and response["Location"] == "/feedback/staff/"
    report = Report.objects.get(title="Đèn đường hỏng")
    assert report.unit == personas.commune_a  # routed by place, whoever typed it


@pytest.mark.parametrize("persona", ["viewer_a", "leader"])
def test_roles_that_do_not_write_cannot_enter_reports(personas, persona):
    client = personas.client(persona)
    assert client.get("/feedback/staff/new/").status_code == 404
    assert client.post("/feedback/staff/new/", new_report_data(personas)).status_code == 404
    assert not Report.objects.exists()


def test_the_commune_list_offers_only_the_officers_communes(personas):
    page = page_of(personas.client("official_b"), "/feedback/staff/new/")
    assert 'value="19777" selected' in page and 'value="19789"' not in page


# --- The staff API ---------------------------------------------------------------------------------

API = "/api/v1/feedback/reports/"


def test_the_api_refuses_anonymous_users(personas):
    assert personas.client("anonymous").get(API).status_code == 401


def test_the_api_lists_the_reports_in_scope_without_contact(personas):
    report = report_of_a(personas)
    report_at(personas.commune_b)
    response = personas.client("official_a").get(API)
    assert response.status_code == 200
    body = response.json()
    assert [r["code"] for r in body["results"]] == [report.code]
    row = body["results"][0]
    assert row["unit"]["code"] == "19789" and row["category"]["code"] == "roads"
    assert row["overdue"] is False and row["status"] == "received"
    assert "reporter" not in row and "0905123456" not in response.content.decode()
    assert "reporter_token" not in row
    assert personas.client("official_b").get(API).json()["count"] == 1
    assert personas.client("leader").get(API).json()["count"] == 2


def test_the_api_filters_by_status_category_unit_and_overdue(personas):
    road = report_of_a(personas)
    light = report_at(personas.commune_a, category="lighting")
    late = report_at(personas.commune_b, received_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=HUE))
    services.report_answer(report=light, status=Status.FIXED, answer="Đã thay bóng.")
    client = personas.client("leader")

    def codes(**params):
        response = client.get(API, params)
        assert response.status_code == 200, response.content
        return {r["code"] for r in response.json()["results"]}

    assert codes(status="open") == {road.code, late.code}
    assert codes(status="fixed") == {light.code}
    assert codes(category="lighting") == {light.code}
    assert codes(unit="19777") == {late.code}
    assert codes(unit="46") == {road.code, light.code, late.code}
    assert codes(overdue="true") == {late.code}


@pytest.mark.parametrize(
    "params",
    [
        {"status": "all"},
        {"status": "open"},
        {"status": "fixed"},
        {"status": "all", "category": "lighting"},
        {"status": "all", "unit": "19777"},
        {"status": "all", "overdue": "1"},
    ],
)
def test_the_queue_and_the_api_list_the_same_reports_for_the_same_filter(personas, params):
    report_of_a(personas)
    light = report_at(personas.commune_a, category="lighting")
    report_at(personas.commune_b, received_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=HUE))
    services.report_answer(report=light, status=Status.FIXED, answer="Đã thay bóng.")
    client = personas.client("leader")
    on_screen = set(re.findall(r"PA-[A-Z0-9]{7}", page_of(client, "/feedback/staff/", **params)))
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    assert on_screen == {r["code"] for r in response.json()["results"]}


def test_the_api_refuses_an_unknown_category_in_vietnamese(personas):
    response = personas.client("official_a").get(API, {"category": "nope"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "category" in response.json()["fields"]


def test_the_api_gives_the_contact_to_the_handling_officer_and_logs_it(personas):
    report = report_of_a(personas)
    response = personas.client("official_a").get(f"{API}{report.code}/")
    assert response.status_code == 200
    body = response.json()
    assert body["reporter"] == {
        "name": "Trần Văn Bảo",
        "phone": "0905123456",
        "email": "bao@example.vn",
    }
    assert [e["kind"] for e in body["events"]] == ["report.received"]
    assert contact_views(report) == 1


@pytest.mark.parametrize("persona", ["viewer_a", "leader"])
def test_the_api_gives_readers_the_report_without_the_contact(personas, persona):
    report = report_of_a(personas)
    response = personas.client(persona).get(f"{API}{report.code}/")
    assert response.status_code == 200
    assert response.json()["reporter"] is None
    assert "0905123456" not in response.content.decode()
    assert contact_views(report) == 0


def test_the_api_answers_404_outside_the_scope_and_for_unknown_codes(personas):
    report = report_of_a(personas)
    client = personas.client("official_b")
    assert client.get(f"{API}{report.code}/").status_code == 404
    assert client.get(f"{API}PA-NOPE/").status_code == 404
    assert contact_views(report) == 0


def test_the_api_is_documented_under_its_tag(personas):
    response = personas.client("anonymous").get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/feedback/reports/{code}/" in schema["paths"]
    assert schema["paths"]["/api/v1/feedback/reports/"]["get"]["tags"] == ["Phản ánh, kiến nghị"]


def test_the_api_offers_the_handling_steps_the_page_shows(personas):
    report = report_of_a(personas)
    official = personas.client("official_a")
    assert official.get(f"{API}{report.code}/").json()["actions"] == [
        "status",
        "answer",
        "transfer",
        "merge",
        "moderate",
    ]
    assert personas.client("viewer_a").get(f"{API}{report.code}/").json()["actions"] == []
    services.report_answer(report=report, status=Status.FIXED, answer="Đã vá.")
    assert official.get(f"{API}{report.code}/").json()["actions"] == ["moderate"]
    page = page_of(official, page_url(report))
    assert 'value="moderate"' in page and 'value="answer"' not in page


def test_an_officer_answers_a_report_through_the_api_as_on_the_page(personas):
    report = report_of_a(personas)
    client = personas.client("official_a")
    url = f"{API}{report.code}/act/"
    refused = client.post(url, {"action": "answer", "status": "fixed", "answer": "<b>x</b>"})
    assert refused.status_code == 400
    assert "Nội dung không được chứa mã HTML." in refused.json()["fields"]["answer"]
    done = client.post(url, {"action": "answer", "status": "fixed", "answer": "Đã vá ổ gà."})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "fixed" and done.json()["actions"] == ["moderate"]
    again = client.post(url, {"action": "transfer", "unit": "19777", "reason": "Thử"})
    assert again.status_code == 400 and "action" in again.json()["fields"]


@pytest.mark.parametrize("persona", ["viewer_a", "leader", "official_b"])
def test_the_api_lets_only_a_handler_act(personas, persona):
    report = report_of_a(personas)
    response = personas.client(persona).post(
        f"{API}{report.code}/act/", {"action": "answer", "status": "fixed", "answer": "Đã vá."}
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == Status.RECEIVED


def test_an_officer_cannot_enter_a_phone_number_the_public_form_refuses(personas):
    data = new_report_data(personas) | {"reporter_phone": "gọi tôi"}
    response = personas.client("official_a").post("/feedback/staff/new/", data)
    assert response.status_code == 400
    assert "Số điện thoại không hợp lệ" in response.content.decode()
    assert not Report.objects.filter(title="Đèn đường hỏng").exists()


def test_the_queues_pager_keeps_the_filters(personas, monkeypatch):
    from gandan.core import paging

    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    report_of_a(personas)
    report_at(personas.commune_a, title="Cây đổ chắn đường")
    page = page_of(personas.client("official_a"), "/feedback/staff/", status="open")
    assert 'href="?status=open&amp;page=2"' in page
