"""``/api/v1/meetings/`` (public) and ``/api/v1/tasks/`` (scoped): meetings, opinions and their follow-up."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from gandan.core.api import not_found, service_refusals
from gandan.feedback import selectors, services
from gandan.feedback.access import access_task
from gandan.feedback.models import Meeting, Opinion, Task


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


class TaskDetailSerializer(TaskSerializer):
    actions = serializers.SerializerMethodField(
        help_text="Các bước bạn thực hiện được lúc này (POST …/act/)"
    )

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "actions"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, task: Task) -> list[str]:
        return services.task_actions(self.context["request"].user, task)


class TaskActSerializer(serializers.Serializer[dict[str, Any]]):
    """One follow-up step, as on the task page: the text is the note, the answer or the reason."""

    action = serializers.ChoiceField(choices=list(services.TASK_ACTIONS.items()))
    text = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


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
    queryset = selectors.meetings()


@extend_schema(tags=["Hội nghị, theo dõi ý kiến"])
class TaskViewSet(viewsets.ReadOnlyModelViewSet[Task]):
    """Follow-up tasks in the caller's scope (lead agency's unit or the author's unit); 404 outside."""

    permission_classes = [IsAuthenticated]
    serializer_class = TaskSerializer

    def get_queryset(self) -> Any:
        return selectors.tasks_of(self.request.user)

    def get_serializer_class(self) -> Any:
        return TaskSerializer if self.action == "list" else TaskDetailSerializer

    def get_object(self) -> Task:
        with not_found("Không tìm thấy nhiệm vụ."):
            return access_task(self.request.user, self.kwargs["pk"])

    @extend_schema(
        summary="Một bước theo dõi nhiệm vụ (như trên trang nhiệm vụ)",
        request=TaskActSerializer,
        responses=TaskDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def act(self, request: Request, pk: str) -> Response:
        """Record progress, answer, or the author's acceptance; 404 for a step not yours."""
        task = self.get_object()
        params = TaskActSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        if params.validated_data["action"] not in services.task_actions(request.user, task):
            raise NotFound("Không tìm thấy nhiệm vụ.")
        with service_refusals():
            services.task_act(
                task=task,
                action=params.validated_data["action"],
                data={"text": params.validated_data["text"]},
                actor=request.user,
            )
        return Response(TaskDetailSerializer(task, context={"request": request}).data)
