"""``/api/v1/feedback/reports/``: included under ``api_v1`` in ``gandan/urls.py``."""

from rest_framework.routers import DefaultRouter

from gandan.feedback.api import ReportViewSet

router = DefaultRouter()
# No second root view: gandan.geo.api_urls already serves /api/v1/.
router.include_root_view = False
router.register("feedback/reports", ReportViewSet, basename="feedback-report")
urlpatterns = router.urls
