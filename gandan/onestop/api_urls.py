"""``/api/v1/procedures/`` and ``/api/v1/dossiers/``: included under ``api_v1`` in ``gandan/urls.py``."""

from rest_framework.routers import DefaultRouter

from gandan.onestop.api import DossierViewSet, ProcedureViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("dossiers", DossierViewSet, basename="dossier")
urlpatterns = router.urls
