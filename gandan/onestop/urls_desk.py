"""Staff screens of the one-stop desk (names inside ``app_name = "onestop"``)."""

from django.urls import URLPattern, path

from gandan.onestop import views_desk, views_files

urlpatterns: list[URLPattern] = [
    path("", views_desk.desk, name="desk"),
    path("receive/", views_desk.receive, name="receive"),
    path("<int:pk>/", views_desk.dossier, name="dossier"),
    path("<int:pk>/act/<slug:action>/", views_desk.act, name="act"),
    path("<int:pk>/files/<int:document>/", views_files.document_file, name="document_file"),
    path("<int:pk>/result/", views_files.result_file, name="result_file"),
    path("apologies/", views_desk.apologies, name="apologies"),
    path("apologies/<int:pk>/approve/", views_desk.apology_approve, name="apology_approve"),
    path("apologies/<int:pk>/send/", views_desk.apology_send, name="apology_send"),
]
