"""Printable forms and the rating kiosk of the one-stop desk (staff), under /onestop/."""

from django.urls import path

from gandan.onestop import views_forms, views_rating

urlpatterns = [
    path("<int:pk>/forms/<str:form>.pdf", views_forms.form_pdf, name="form"),
    path("<int:pk>/rate/", views_rating.rate_kiosk, name="rate_kiosk"),
]
