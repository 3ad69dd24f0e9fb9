from rest_framework.routers import DefaultRouter

from gandan.geo.api import UnitViewSet

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
urlpatterns = router.urls
