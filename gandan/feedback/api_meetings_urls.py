from rest_framework.routers import SimpleRouter

from gandan.feedback.api_meetings import MeetingViewSet, TaskViewSet

router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("tasks", TaskViewSet, basename="task")
urlpatterns = router.urls
