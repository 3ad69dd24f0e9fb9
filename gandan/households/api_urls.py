"""``/api/v1/households/`` and ``/api/v1/poverty/``: included under ``api_v1`` in ``gandan/urls.py``."""

from rest_framework.routers import DefaultRouter

from gandan.households.api import (
    HouseholdViewSet,
    RequestViewSet,
    ReviewViewSet,
    StandardViewSet,
)

router = DefaultRouter()
# No second root view: gandan.geo.api_urls already serves /api/v1/. The router still adds
# the ``.json`` format-suffix routes, as it does for units.
router.include_root_view = False
router.register("households", HouseholdViewSet, basename="household")
router.register("poverty/standards", StandardViewSet, basename="poverty-standard")
router.register("poverty/reviews", ReviewViewSet, basename="poverty-review")
router.register("poverty/requests", RequestViewSet, basename="poverty-request")
urlpatterns = router.urls
