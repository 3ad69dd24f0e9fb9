"""Screens: the periodic review and the regular review on request (inside ``app_name = "households"``)."""

from django.urls import URLPattern, path

from gandan.households import views_review

urlpatterns: list[URLPattern] = [
    path("reviews/", views_review.reviews, name="reviews"),
    path("reviews/open/", views_review.review_open, name="review_open"),
    path("reviews/<int:pk>/", views_review.review, name="review"),
    path(
        "reviews/<int:pk>/households/<int:household_pk>/",
        views_review.survey,
        name="survey",
    ),
    path("requests/", views_review.requests, name="requests"),
    path("requests/new/", views_review.request_new, name="request_new"),
    path("requests/<int:pk>/", views_review.request_detail, name="request"),
]
