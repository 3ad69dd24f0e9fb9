"""The meeting pages are public; a task is handled by the lead agency's staff and accepted by the author's commune."""

import datetime as dt

import pytest
import time_machine

from gandan.accounts.services import membership_grant
from gandan.feedback import services
from gandan.feedback.models import TaskStatus
from gandan.feedback.tests.helpers import HUE
from gandan.feedback.tests.meeting_fixtures import meeting_task

pytestmark = pytest.mark.django_db


def test_the_public_meeting_page_shows_opinions_and_their_follow_up(client, personas):
    task = meeting_task(personas)
    page = client.get(f"/meetings/{task.opinion.meeting_id}/").content.decode()
    assert "Đề nghị bố trí biên chế văn phòng Đảng ủy" in page
    assert "Sở Nội vụ" in page and "10/03/2026" in page


def test_the_agency_answers_and_the_authors_commune_accepts(client, personas):
    task = meeting_task(personas)
    specialist = membership_grant(
        username="chuyenvien",
        role="province_specialist",
        unit=personas.province,
        password="gandan-test-2026",
    ).user
    client.force_login(specialist)
    url = f"/meetings/tasks/{task.pk}/"
    assert client.post(url, {"action": "progress", "text": "Đang rà soát"}).status_code == 302
    assert (
        client.post(url, {"action": "answer", "text": "   "}).status_code == 400
    )  # empty answer refused
    assert client.post(url, {"action": "answer", "text": "Đã bố trí 1 biên chế"}).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.ANSWERED
    # A read-only viewer of commune A cannot record the delegate's acceptance …
    assert personas.client("viewer_a").post(url, {"action": "accept"}).status_code == 404
    # … commune A's officer can.
    official = personas.client("official_a")
    assert official.post(url, {"action": "accept"}).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED


def test_commune_b_cannot_see_or_touch_commune_as_task(personas):
    task = meeting_task(personas)
    client = personas.client("official_b")
    assert client.get(f"/meetings/tasks/{task.pk}/").status_code == 404
    assert client.post(f"/meetings/tasks/{task.pk}/", {"action": "accept"}).status_code == 404


def _lead_officer(personas):
    return membership_grant(
        username="chuyenvien",
        role="province_specialist",
        unit=personas.province,
        password="gandan-test-2026",
    ).user


def test_the_lead_agencys_officer_is_offered_the_progress_and_answer_form(client, personas):
    task = meeting_task(personas)
    client.force_login(_lead_officer(personas))
    page = client.get(f"/meetings/tasks/{task.pk}/").content.decode()
    assert 'value="progress"' in page and 'value="answer"' in page
    assert 'value="accept"' not in page


def test_the_task_page_marks_a_late_open_task_overdue(client, personas):
    task = meeting_task(personas)
    client.force_login(_lead_officer(personas))
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 0, tzinfo=HUE)):
        page = client.get(f"/meetings/tasks/{task.pk}/").content.decode()
    assert "quá hạn" in page


def test_the_authors_commune_is_offered_acceptance_only_once_answered(personas):
    task = meeting_task(personas)
    official = personas.client("official_a")
    assert 'value="accept"' not in official.get(f"/meetings/tasks/{task.pk}/").content.decode()
    services.task_answer(task=task, answer="Đã bố trí 1 biên chế", answered_on=dt.date(2026, 2, 1))
    page = official.get(f"/meetings/tasks/{task.pk}/").content.decode()
    assert 'value="accept"' in page and 'value="answer"' not in page


def test_the_api_offers_and_takes_the_same_steps_as_the_task_page(client, personas):
    task = meeting_task(personas)
    client.force_login(_lead_officer(personas))
    url = f"/api/v1/tasks/{task.pk}/"
    assert client.get(url).json()["actions"] == ["progress", "answer"]
    refused = client.post(f"{url}act/", {"action": "answer", "text": " "})
    assert refused.status_code == 400 and "answer" in refused.json()["fields"]
    done = client.post(f"{url}act/", {"action": "answer", "text": "Đã bố trí 1 biên chế"})
    assert done.status_code == 200 and done.json()["status"] == TaskStatus.ANSWERED
    assert "answer" not in done.json()["actions"]
    official = personas.client("official_a")
    assert official.get(url).json()["actions"] == ["accept", "reject"]
    assert official.post(f"{url}act/", {"action": "answer", "text": "x"}).status_code == 404
    assert official.post(f"{url}act/", {"action": "accept"}).status_code == 200
    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED
