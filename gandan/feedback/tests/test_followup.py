"""Meetings, opinions and the tasks that follow them up, and the report per agency and meeting."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from gandan.feedback import selectors, services
from gandan.feedback.models import Agency, MeetingKind, Task, TaskStatus
from gandan.geo.selectors import unit_by_code

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def setting():
    hue = unit_by_code("46", as_of=TODAY)
    lead = Agency.objects.create(code="so_noi_vu", name="Sở Nội vụ", unit=hue)
    other = Agency.objects.create(code="so_tai_chinh", name="Sở Tài chính", unit=hue)
    meeting = services.meeting_record(
        kind=MeetingKind.VOTER_MEETING,
        title="Tiếp xúc cử tri",
        held_on=dt.date(2026, 1, 5),
        host_unit=hue,
        attendees=120,
        attendees_by_kind={"Cử tri": 110},
    )
    return hue, lead, other, meeting


def test_an_opinion_becomes_a_task_that_is_answered_and_accepted(setting):
    _hue, lead, other, meeting = setting
    opinion = services.opinion_add(
        meeting=meeting, author="Cử tri Nguyễn Văn A", topic="Đường", text="Sửa đường thôn"
    )
    task = services.task_assign(
        lead=lead,
        partners=[other],
        opinion=opinion,
        assigned_on=dt.date(2026, 1, 10),
        deadline=dt.date(2026, 2, 10),
    )
    services.task_progress(task=task, note="Đang khảo sát")
    assert Task.objects.get().status == TaskStatus.IN_PROGRESS
    services.task_answer(task=task, answer="Đã bố trí vốn", answered_on=dt.date(2026, 2, 1))
    with pytest.raises(ValidationError):
        services.task_progress(task=task, note="Muộn")
    services.task_accept(task=task, accepted=False, reason="Chưa rõ thời gian thi công")
    assert task.status == TaskStatus.REJECTED  # back to the agency
    services.task_answer(task=task, answer="Thi công tháng 4", answered_on=dt.date(2026, 2, 20))
    services.task_accept(task=task, accepted=True)
    assert task.status == TaskStatus.ACCEPTED


def test_bad_input_is_refused_and_nothing_saved(setting):
    hue, lead, _other, meeting = setting
    with pytest.raises(ValidationError, match="phải sau ngày giao"):
        services.task_assign(
            lead=lead,
            directive="Chỉ đạo",
            assigned_on=dt.date(2026, 2, 1),
            deadline=dt.date(2026, 1, 1),
        )
    with pytest.raises(ValidationError, match="ý kiến hoặc có nội dung chỉ đạo"):
        services.task_assign(
            lead=lead, assigned_on=dt.date(2026, 2, 1), deadline=dt.date(2026, 3, 1)
        )
    conference = {"kind": MeetingKind.CONFERENCE, "title": "Họp", "host_unit": hue, "attendees": 10}
    for changes, message in [
        ({"held_on": dt.date(2099, 1, 1)}, "tương lai"),
        ({"held_on": dt.date(2026, 1, 1), "attendees_by_kind": {"A": 11}}, "vượt tổng số"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.meeting_record(**conference, **changes)
    assert not Task.objects.exists()


def test_a_directive_creates_a_task_without_a_meeting(setting):
    _hue, lead, _other, _meeting = setting
    task = services.task_assign(
        lead=lead,
        directive="Rà soát biên chế văn phòng Đảng ủy xã",
        assigned_on=dt.date(2026, 1, 2),
        deadline=dt.date(2026, 1, 30),
    )
    counts = selectors.task_counts(Task.objects.filter(pk=task.pk), dt.date(2026, 2, 1))
    assert counts["late_open"] == 1


@pytest.mark.slow  # a demo at a tenth of the scale: about 20 s
def test_the_demo_conference_reads_nine_answered_three_in_progress_one_late():
    call_command("demo", "--no-progress", "--scale", "0.1", stdout=StringIO())
    out = StringIO()
    call_command("report", "tasks", "--unit", "46", "--as-of", "2026-11-27", stdout=out)
    report = json.loads(out.getvalue())
    assert (
        report["by_meeting"][0]["summary"] == "13 ý kiến: 9 đã trả lời, 3 đang thực hiện, 1 quá hạn"
    )
    assert report["by_meeting"][0]["opinions"] == 13
    late = [row for row in report["by_agency"] if row["late"]]
    assert {row["agency"] for row in late} == {"Sở Xây dựng", "Ban Tổ chức Thành ủy"}


def test_reminders_go_once_a_week_to_agencies_with_an_email(setting):
    from django.core import mail

    _hue, lead, _other, _meeting = setting
    lead.email = "sonoivu@hue.gov.vn"
    lead.save()
    today = dt.date.today()  # noqa: DTZ011
    services.task_assign(
        lead=lead,
        directive="Báo cáo biên chế",
        assigned_on=today - dt.timedelta(days=10),
        deadline=today + dt.timedelta(days=3),
    )
    call_command("tasks_remind", stdout=StringIO())
    call_command("tasks_remind", stdout=StringIO())
    assert len(mail.outbox) == 1 and "Báo cáo biên chế" in mail.outbox[0].subject
