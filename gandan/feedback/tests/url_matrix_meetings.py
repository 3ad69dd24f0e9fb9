"""Who may open the meeting and task pages."""

from gandan.core.testing.url_matrix import (
    API_ANONYMOUS,
    LOGIN,
    SCOPED_API,
    SCOPED_PAGE,
    STAFF_ONLY,
    Row,
    everyone,
    expect,
)
from gandan.feedback.tests.meeting_fixtures import meeting_task

URLS = {
    "meetings/": Row(lambda p: "/meetings/", everyone(200)),
    "meetings/<int:meeting_id>/": Row(
        lambda p: f"/meetings/{meeting_task(p).opinion.meeting_id}/", everyone(200)
    ),
    "meetings/tasks/": Row(lambda p: "/meetings/tasks/", STAFF_ONLY),
    "meetings/tasks/<int:task_id>/": Row(
        lambda p: f"/meetings/tasks/{meeting_task(p).pk}/",
        SCOPED_PAGE,  # commune A raised it; the province leads it
        post_data=lambda p: {"action": "progress", "text": "Đang làm"},
        post=expect(
            404, 404, 404, 404, LOGIN
        ),  # only a writer at the lead agency's unit may record progress
    ),
}

URLS.update(
    {
        "api/v1/^meetings/$": Row(lambda p: "/api/v1/meetings/", everyone(200)),
        "api/v1/^meetings/(?P<pk>[^/.]+)/$": Row(
            lambda p: f"/api/v1/meetings/{meeting_task(p).opinion.meeting_id}/", everyone(200)
        ),
        "api/v1/^tasks/$": Row(
            lambda p: "/api/v1/tasks/", expect(200, 200, 200, 200, API_ANONYMOUS)
        ),
        "api/v1/^tasks/(?P<pk>[^/.]+)/$": Row(
            lambda p: f"/api/v1/tasks/{meeting_task(p).pk}/", SCOPED_API
        ),
        "api/v1/^tasks/(?P<pk>[^/.]+)/act/$": Row(
            lambda p: f"/api/v1/tasks/{meeting_task(p).pk}/act/",
            expect(405, 405, 405, 405, API_ANONYMOUS),
            post_data=lambda p: {"action": "progress", "text": "Đang làm"},
            post=expect(
                404, 404, 404, 404, API_ANONYMOUS
            ),  # only the lead agency's unit records progress
        ),
    }
)
