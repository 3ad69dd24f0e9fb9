from django.urls import path

from gandan.feedback import views_meetings as views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:task_id>/", views.task_detail, name="task"),
]
