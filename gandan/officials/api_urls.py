from rest_framework.routers import DefaultRouter

from gandan.officials.api import OfficialViewSet

router = DefaultRouter()
# No second root view: gandan.geo.api_urls already serves /api/v1/. The router still adds
# the ``.json`` format-suffix routes, as it does for units.
router.include_root_view = False
router.register("officials", OfficialViewSet, basename="official")
urlpatterns = router.urls
