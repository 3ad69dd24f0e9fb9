"""The meeting pages are public; a task is handled by the lead agency's staff and accepted by the author's commune."""

import pytest

from gandan.accounts.services import membership_grant
from gandan.feedback.models import TaskStatus
from gandan.feedback.tests.meeting_fixtures import meeting_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
