"""The rules of citizen reports, through their services: legal clocks, routing across the 2025
reform, the handling workflow, the reporter's rating and reopening, merging, moderation and
escalation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gandan.core.calendar import WorkingCalendar
from gandan.core.models import Event
from gandan.feedback import services
from gandan.feedback.models import CaseType, Category, Channel, Moderation, Report, Status
from gandan.feedback.tests.helpers import HUE, png
from gandan.feedback.tests.url_matrix_staff import report_at
from gandan.geo.selectors import unit_by_code

pytestmark = pytest.mark.django_db

# Friday afternoon before Tết Bính Ngọ: offices close from Saturday 14/02 to Sunday 22/02/2026.
BEFORE_TET = dt.datetime(2026, 2, 13, 16, 30, tzinfo=HUE)


@pytest.fixture
def thuan_hoa():
    return unit_by_code("19789", as_of=dt.date(2026, 3, 2))


@pytest.fixture
def vy_da():
    return unit_by_code("19777", as_of=dt.date(2026, 3, 2))


def category_with_clock(case_type: str) -> Category:
    """A commune category that runs the clock of ``case_type`` (no fixture category uses some)."""
    found = Category.objects.filter(case_type_code=case_type, handled_by="commune").first()
    return found or Category.objects.create(
        code=f"test_{case_type}",
        name=f"Thử {case_type}",
        group="Thử",
        case_type_code=case_type,
        handled_by="commune",
    )


def events_of(report: Report) -> list[str]:
    return list(
        Event.objects.filter(subject_type="feedback.report", subject_id=str(report.pk))
        .order_by("id")
        .values_list("kind", flat=True)
    )


def answered(report: Report, status: str = Status.FIXED) -> Report:
    return services.report_answer(report=report, status=status, answer="Đã vá ổ gà.")


# --- Legal clocks -------------------------------------------------------------------------------


def test_every_case_type_has_a_clock_in_the_rules():
    assert set(CaseType.objects.values_list("code", flat=True)) >= {
        "feedback",
        "regulation_feedback",
        "complaint",
        "denunciation",
    }


@pytest.mark.parametrize(
    ("case_type", "due"),
    [
        # 30 minutes on Friday, nothing during Tết (16–20/02 are days off), then 14 days and
        # 7.5 hours of office time from Monday 23/02.
        ("feedback", dt.datetime(2026, 3, 13, 16, 30, tzinfo=HUE)),
        ("regulation_feedback", dt.datetime(2026, 3, 13, 16, 30, tzinfo=HUE)),
        # Calendar days run through Tết and weekends alike.
        ("complaint", dt.datetime(2026, 3, 15, 16, 30, tzinfo=HUE)),
        ("denunciation", dt.datetime(2026, 3, 15, 16, 30, tzinfo=HUE)),
    ],
)
def test_the_legal_clock_of_each_case_type_counts_from_reception(thuan_hoa, case_type, due):
    report = report_at(
        thuan_hoa, category=category_with_clock(case_type).code, received_at=BEFORE_TET
    )
    assert report.case_type.code == case_type
    assert report.due_at == due


def test_no_office_time_runs_during_tet():
    after_tet = dt.datetime(2026, 2, 23, 7, 0, tzinfo=HUE)
    office_time = WorkingCalendar().working_hours_between(BEFORE_TET, after_tet)
    assert office_time == dt.timedelta(minutes=30)  # Friday 16:30–17:00 only


def test_a_report_received_after_closing_time_starts_its_clock_next_morning():
    feedback = CaseType.objects.get(code="feedback")
    friday_evening = dt.datetime(2026, 3, 6, 18, 0, tzinfo=HUE)
    assert services.due_at(feedback, friday_evening).astimezone(HUE) == dt.datetime(
        2026, 3, 27, 17, 0, tzinfo=HUE
    )


# --- Routing by place and date ------------------------------------------------------------------


def test_a_point_near_thuan_hoa_routes_to_a_legacy_ward_before_the_reform(thuan_hoa):
    report = report_at(thuan_hoa, received_at=dt.datetime(2025, 6, 30, 10, 0, tzinfo=HUE))
    assert report.unit.code == "19783"  # Phường Vĩnh Ninh, of the former Quận Thuận Hóa
    assert report.unit.valid_to == dt.date(2025, 6, 30)
    assert report.agency == f"UBND {report.unit.name}"


def test_the_same_point_routes_to_phuong_thuan_hoa_from_the_reform(thuan_hoa):
    report = report_at(thuan_hoa, received_at=dt.datetime(2025, 7, 1, 10, 0, tzinfo=HUE))
    assert report.unit == thuan_hoa
    assert report.agency == "UBND Phường Thuận Hóa"
    assert report.province_code == "46"


def test_a_point_near_vy_da_routes_to_vy_da(vy_da):
    assert report_at(vy_da).unit == vy_da


def test_a_provincial_category_routes_to_the_province_and_its_agency(thuan_hoa):
    report = report_at(thuan_hoa, category="water_supply")
    assert report.unit == unit_by_code("46", as_of=dt.date(2026, 3, 2))
    assert report.agency == "Công ty Cổ phần Cấp nước Thừa Thiên Huế"


def test_a_point_outside_viet_nam_is_refused_and_nothing_is_written():
    before = Report.objects.count()
    with pytest.raises(ValidationError) as error:
        services.report_submit(
            category=Category.objects.get(code="roads"),
            title="Ổ gà",
            description="Ổ gà",
            latitude=48.85,
            longitude=2.35,
            channel=Channel.WEB,
        )
    assert "ngoài lãnh thổ Việt Nam" in str(error.value)
    assert Report.objects.count() == before


def test_html_in_the_description_is_refused(thuan_hoa):
    with pytest.raises(ValidationError, match="HTML"):
        report_at(thuan_hoa, description="<script>alert(1)</script>")


def test_receiving_writes_one_event_with_the_routed_unit(thuan_hoa):
    report = report_at(thuan_hoa, channel=Channel.PHONE)
    event = Event.objects.get(subject_type="feedback.report", subject_id=str(report.pk))
    assert event.kind == "report.received"
    assert event.data == {"channel": "phone", "unit": "19789", "category": "roads"}
    assert "0905123456" not in str(event.data)


def test_photos_are_kept_with_the_report(thuan_hoa, media):
    report = report_at(thuan_hoa, photos=[png(), png("b.png")])
    assert report.photos.count() == 2


def test_a_file_that_is_not_an_image_is_refused(thuan_hoa, media):
    fake = SimpleUploadedFile("anh.png", b"not an image", content_type="image/png")
    with pytest.raises(ValidationError, match="không phải ảnh JPEG, ảnh PNG hoặc ảnh WebP"):
        report_at(thuan_hoa, photos=[fake])


# --- Transfer -----------------------------------------------------------------------------------


def test_a_report_transfers_to_another_unit_with_its_reason(thuan_hoa, vy_da):
    report = report_at(thuan_hoa)
    services.report_transfer(report=report, unit=vy_da, reason="Địa điểm thuộc phường Vỹ Dạ")
    report.refresh_from_db()
    assert report.unit == vy_da and report.agency == "UBND Phường Vỹ Dạ"
    event = Event.objects.get(kind="report.transferred", subject_id=str(report.pk))
    assert event.data == {"from": "19789", "to": "19777", "reason": "Địa điểm thuộc phường Vỹ Dạ"}


def test_a_report_does_not_transfer_to_its_own_unit(thuan_hoa):
    report = report_at(thuan_hoa)
    with pytest.raises(ValidationError, match="khác đơn vị đang xử lý"):
        services.report_transfer(report=report, unit=thuan_hoa, reason="Thử")


def test_a_closed_report_does_not_transfer(thuan_hoa, vy_da):
    report = answered(report_at(thuan_hoa))
    with pytest.raises(ValidationError, match="đã đóng"):
        services.report_transfer(report=report, unit=vy_da, reason="Thử")


# --- Workflow -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        [Status.IN_PROGRESS],
        [Status.ACTION_SCHEDULED],
        [Status.IN_PROGRESS, Status.ACTION_SCHEDULED],
        [Status.ACTION_SCHEDULED, Status.IN_PROGRESS],
    ],
)
def test_an_open_report_moves_along_the_workflow(thuan_hoa, path):
    report = report_at(thuan_hoa)
    for status in path:
        services.report_set_status(report=report, status=status, note="Đang kiểm tra")
    report.refresh_from_db()
    assert report.status == path[-1]
    assert events_of(report).count("report.status") == len(path)


@pytest.mark.parametrize("status", [Status.RECEIVED, "no_such_status"])
def test_a_report_cannot_move_back_to_received_or_to_an_unknown_state(thuan_hoa, status):
    report = report_at(thuan_hoa)
    services.report_set_status(report=report, status=Status.IN_PROGRESS)
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        services.report_set_status(report=report, status=status)


@pytest.mark.parametrize("status", [Status.FIXED, Status.DUPLICATE])
def test_closing_is_not_a_status_change_but_an_answer_or_a_merge(thuan_hoa, status):
    report = report_at(thuan_hoa)
    with pytest.raises(ValidationError, match="trả lời hoặc gộp"):
        services.report_set_status(report=report, status=status)
    report.refresh_from_db()
    assert report.status == Status.RECEIVED


def test_a_closed_report_does_not_change_status(thuan_hoa):
    report = answered(report_at(thuan_hoa))
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        services.report_set_status(report=report, status=Status.IN_PROGRESS)


# --- Answer ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", [Status.FIXED, Status.CLOSED_NOT_FIXED, Status.NOT_COMPETENT, Status.TRANSFERRED]
)
def test_an_answer_closes_the_report_with_a_final_status(thuan_hoa, status):
    report = answered(report_at(thuan_hoa), status)
    report.refresh_from_db()
    assert report.status == status and not report.is_open
    assert report.answer == "Đã vá ổ gà." and report.answered_at is not None
    event = Event.objects.get(kind="report.answered", subject_id=str(report.pk))
    assert event.data == {"status": status, "on_time": True}


def test_a_late_answer_is_recorded_as_late(thuan_hoa):
    report = report_at(thuan_hoa, received_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=HUE))
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=HUE), tick=False):
        answered(report)
    assert Event.objects.get(kind="report.answered", subject_id=str(report.pk)).data["on_time"] is (
        False
    )


@pytest.mark.parametrize("status", [Status.IN_PROGRESS, Status.DUPLICATE, Status.RECEIVED])
def test_an_answer_needs_a_final_status(thuan_hoa, status):
    report = report_at(thuan_hoa)
    with pytest.raises(ValidationError, match="Trạng thái trả lời"):
        services.report_answer(report=report, status=status, answer="Xong")


def test_an_answer_cannot_be_empty(thuan_hoa):
    report = report_at(thuan_hoa)
    with pytest.raises(ValidationError, match="không được để trống"):
        services.report_answer(report=report, status=Status.FIXED, answer="   ")
    report.refresh_from_db()
    assert report.is_open


def test_a_closed_report_is_not_answered_twice(thuan_hoa):
    report = answered(report_at(thuan_hoa))
    with pytest.raises(ValidationError, match="không trả lời được"):
        answered(report, Status.CLOSED_NOT_FIXED)


# --- Rating and reopening -----------------------------------------------------------------------


def test_the_reporter_rates_an_answer_once(thuan_hoa):
    report = answered(report_at(thuan_hoa))
    services.report_rate(report=report, token=report.reporter_token, satisfied=True)
    report.refresh_from_db()
    assert report.satisfied is True and report.rated_at is not None
    with pytest.raises(ValidationError, match="đã đánh giá"):
        services.report_rate(report=report, token=report.reporter_token, satisfied=False)
    report.refresh_from_db()
    assert report.satisfied is True


def test_nobody_rates_without_the_reporters_token(thuan_hoa):
    report = answered(report_at(thuan_hoa))
    with pytest.raises(ValidationError, match="không đúng"):
        services.report_rate(report=report, token="guessed", satisfied=False)
    with pytest.raises(ValidationError, match="không đúng"):
        services.report_rate(report=report, token="", satisfied=False)


def test_an_open_report_cannot_be_rated(thuan_hoa):
    report = report_at(thuan_hoa)
    with pytest.raises(ValidationError, match="chưa được trả lời"):
        services.report_rate(report=report, token=report.reporter_token, satisfied=True)


def test_a_dissatisfied_reporter_reopens_once_and_the_clock_starts_again(thuan_hoa):
    report = report_at(thuan_hoa, received_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=HUE))
    answered(report)
    services.report_rate(report=report, token=report.reporter_token, satisfied=False)
    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=HUE)  # Monday
    with time_machine.travel(now, tick=False):
        services.report_reopen(report=report, token=report.reporter_token, reason="Vẫn còn ổ gà")
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS and report.reopened == 1
    assert report.received_at == now
    assert report.due_at == services.due_at(report.case_type, now)
    # Answered again and still dissatisfied: no second reopening.
    answered(report)
    services.report_rate(report=report, token=report.reporter_token, satisfied=False)
    with pytest.raises(ValidationError, match="một lần"):
        services.report_reopen(report=report, token=report.reporter_token, reason="Vẫn còn")
    assert events_of(report).count("report.reopened") == 1


def test_a_satisfied_reporter_cannot_reopen(thuan_hoa):
    report = answered(report_at(thuan_hoa))
    services.report_rate(report=report, token=report.reporter_token, satisfied=True)
    with pytest.raises(ValidationError, match="chưa hài lòng"):
        services.report_reopen(report=report, token=report.reporter_token, reason="Thử")


# --- Merging duplicates -------------------------------------------------------------------------


def test_a_duplicate_merges_into_the_original_whose_followers_grow(thuan_hoa):
    original = report_at(thuan_hoa)
    duplicate = report_at(thuan_hoa, title="Ổ gà đường Lê Lợi")
    services.report_merge(report=duplicate, into=original)
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert duplicate.status == Status.DUPLICATE and duplicate.duplicate_of == original
    assert original.followers == 1
    assert Event.objects.get(kind="report.merged").data == {"into": original.code}


def test_a_report_does_not_merge_into_itself_or_into_a_duplicate(thuan_hoa):
    original = report_at(thuan_hoa)
    duplicate = report_at(thuan_hoa)
    third = report_at(thuan_hoa)
    with pytest.raises(ValidationError, match="phản ánh gốc khác"):
        services.report_merge(report=original, into=original)
    services.report_merge(report=duplicate, into=original)
    with pytest.raises(ValidationError, match="phản ánh gốc khác"):
        services.report_merge(report=third, into=duplicate)


def test_reports_of_different_categories_do_not_merge(thuan_hoa):
    road = report_at(thuan_hoa)
    light = report_at(thuan_hoa, category="lighting")
    with pytest.raises(ValidationError, match="khác lĩnh vực"):
        services.report_merge(report=light, into=road)


def test_a_closed_report_does_not_merge(thuan_hoa):
    original = report_at(thuan_hoa)
    closed = answered(report_at(thuan_hoa))
    with pytest.raises(ValidationError, match="đã đóng"):
        services.report_merge(report=closed, into=original)


# --- Moderation ---------------------------------------------------------------------------------


def test_moderation_hides_and_shows_text_and_keeps_the_history(thuan_hoa, personas):
    report = report_at(thuan_hoa)
    officer = personas.official_a
    services.report_moderate(
        report=report, action="hide_text", reason="Lời lẽ xúc phạm", actor=officer
    )
    report.refresh_from_db()
    assert report.text_hidden
    services.report_moderate(report=report, action="show_text", reason="Đã xem lại", actor=officer)
    report.refresh_from_db()
    assert not report.text_hidden
    history = list(report.moderations.values_list("action", "reason", "by"))
    assert history == [
        ("hide_text", "Lời lẽ xúc phạm", officer.pk),
        ("show_text", "Đã xem lại", officer.pk),
    ]
    assert events_of(report).count("report.moderated") == 2


def test_moderation_redacts_and_restores_a_photo(thuan_hoa, personas, media):
    report = report_at(thuan_hoa, photos=[png()])
    photo = report.photos.get()
    services.report_moderate(
        report=report,
        action="redact_photo",
        reason="Lộ biển số xe",
        photo=photo,
        actor=personas.official_a,
    )
    photo.refresh_from_db()
    assert photo.redacted
    services.report_moderate(
        report=report,
        action="restore_photo",
        reason="Đã làm mờ",
        photo=photo,
        actor=personas.official_a,
    )
    photo.refresh_from_db()
    assert not photo.redacted


def test_moderation_refuses_another_reports_photo(thuan_hoa, personas, media):
    report = report_at(thuan_hoa)
    other = report_at(thuan_hoa, photos=[png()])
    with pytest.raises(ValidationError, match="không thuộc phản ánh này"):
        services.report_moderate(
            report=report,
            action="redact_photo",
            reason="Thử",
            photo=other.photos.get(),
            actor=personas.official_a,
        )
    assert not other.photos.get().redacted
    assert not Moderation.objects.exists()


@pytest.mark.parametrize(("action", "reason"), [("delete", "Thử"), ("hide_text", "")])
def test_moderation_needs_a_known_action_and_a_reason(thuan_hoa, personas, action, reason):
    report = report_at(thuan_hoa)
    with pytest.raises(ValidationError):
        services.report_moderate(
            report=report, action=action, reason=reason, actor=personas.official_a
        )
    report.refresh_from_db()
    assert not report.text_hidden
    assert not Moderation.objects.exists()


# --- Escalation ---------------------------------------------------------------------------------


def test_escalation_flags_overdue_open_reports_once(thuan_hoa):
    january = dt.datetime(2026, 1, 5, 9, 0, tzinfo=HUE)
    overdue = report_at(thuan_hoa, received_at=january)
    overdue_but_answered = answered(report_at(thuan_hoa, received_at=january))
    not_yet_due = report_at(thuan_hoa, received_at=dt.datetime(2026, 2, 27, 9, 0, tzinfo=HUE))
    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=HUE)
    assert services.reports_escalate(now=now) == 1
    assert services.reports_escalate(now=now + dt.timedelta(days=1)) == 0
    for report in (overdue, overdue_but_answered, not_yet_due):
        report.refresh_from_db()
    assert overdue.escalated_at == now
    assert overdue_but_answered.escalated_at is None and not_yet_due.escalated_at is None
    assert Event.objects.filter(kind="report.escalated").count() == 1


def test_every_event_the_report_workflow_writes_is_a_declared_kind_with_vietnamese_wording(
    thuan_hoa, vy_da
):
    from gandan.core.events import is_declared
    from gandan.feedback.events import FollowupEvent, ReportEvent

    report = report_at(thuan_hoa)
    services.report_set_status(report=report, status=Status.IN_PROGRESS)
    services.report_transfer(report=report, unit=vy_da, reason="Thuộc phường Vỹ Dạ")
    services.report_answer(report=report, status=Status.FIXED, answer="Đã vá.")
    services.report_rate(report=report, token=report.reporter_token, satisfied=False)
    services.report_reopen(report=report, token=report.reporter_token, reason="Vẫn còn ổ gà")
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert kinds and all(is_declared(kind) for kind in kinds)
    for kind in [*ReportEvent, *FollowupEvent]:
        event = Event(kind=kind)
        assert event.label and event.label != kind.value
