"""``/api/v1/meetings/`` (public) and ``/api/v1/tasks/`` (scoped): meetings, opinions and their follow-up."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated

from gandan.feedback.models import Meeting, Opinion, Task
from gandan.feedback.views_meetings import _tasks_in_scope


class TaskSerializer(serializers.ModelSerializer[Task]):
    lead = serializers.CharField(source="lead.name")
    status_display = serializers.CharField(source="get_status_display")
    topic = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "topic",
            "lead",
            "assigned_on",
            "deadline",
            "status",
            "status_display",
            "answer",
            "answered_on",
        ]

    def get_topic(self, task: Task) -> str:
        return task.opinion.topic if task.opinion else task.directive[:200]


class OpinionSerializer(serializers.ModelSerializer[Opinion]):
    tasks = TaskSerializer(many=True, read_only=True)

    class Meta:
        model = Opinion
        fields = ["number", "author", "topic", "text", "tasks"]


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    host_unit = serializers.CharField(source="host_unit.name")
    opinions = OpinionSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "title",
            "held_on",
            "host_unit",
            "attendees",
            "attendees_by_kind",
            "minutes",
            "opinions",
        ]


@extend_schema(tags=["Hội nghị, theo dõi ý kiến"])
class MeetingViewSet(viewsets.ReadOnlyModelViewSet[Meeting]):
    """Meetings and what was raised there, with the follow-up: public, for accountability."""

    permission_classes = [AllowAny]
    serializer_class = MeetingSerializer
    queryset = (
        Meeting.objects.select_related("host_unit")
        .prefetch_related("opinions__tasks__lead")
        .order_by("-held_on")
    )


@extend_schema(tags=["Hội nghị, theo dõi ý kiến"])
class TaskViewSet(viewsets.ReadOnlyModelViewSet[Task]):
    """Follow-up tasks in the caller's scope (lead agency's unit or the author's unit); 404 outside."""

    permission_classes = [IsAuthenticated]
    serializer_class = TaskSerializer

    def get_queryset(self) -> Any:
        return (
            _tasks_in_scope(self.request.user)
            .select_related("lead", "opinion")
            .order_by("deadline", "id")
        )
