"""REST endpoints for activities (registered through capdev/experts/api.py's ROUTES): reads
scoped by Activity.objects.visible_to, writes through the activity services, and the matching
shortlist of an activity for staff."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action as route
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from capdev.actions import activities as services
from capdev.actions.activity_filters import ActivityFilter
from capdev.actions.models import Action, Activity
from capdev.api.permissions import CapdevPermission
from capdev.core.permissions import can


class ActivitySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:activity-detail")
    action_name = serializers.CharField(source="action.name", read_only=True)
    participants_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "url",
            "uuid",
            "action",
            "action_name",
            "type",
            "title",
            "description",
            "start_date",
            "end_date",
            "mode",
            "venue",
            "city",
            "country",
            "status",
            "participants_women",
            "participants_men",
            "participants_other",
            "participants_total",
            "course_version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["uuid", "status", "created_at", "updated_at"]


class ActivityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    permission_classes = [CapdevPermission]
    perms = {
        "list": "activities.list",
        "retrieve": "obj:activities.view",
        "create": "activities.list",  # the Action-level rule is checked in perform_create
        "update": "obj:actions.manage_activities",
        "partial_update": "obj:actions.manage_activities",
        "shortlist": "obj:experts.match",
    }

    def get_queryset(self) -> Any:
        return (
            Activity.objects.visible_to(self.request.user)
            .select_related("action")
            .order_by("-start_date", "-id")
        )

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        parent: Action = data.pop("action")
        if not Action.objects.visible_to(self.request.user).filter(pk=parent.pk).exists():
            raise ValidationError({"action": "Unknown Action."})
        if not can(self.request.user, "actions.manage_activities", parent):
            raise PermissionDenied
        serializer.instance = services.create_activity(parent, actor=self.request.user, **data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("action", None)
        serializer.instance = services.update_activity(serializer.instance, actor=self.request.user, **data)

    @route(detail=True, methods=["get"])
    def shortlist(self, request: Request, pk: str | None = None) -> Response:
        """The ranked shortlist of experts for this activity, with each score explained."""
        from capdev.experts.matching import shortlist

        activity = self.get_object()
        limit = min(int(request.query_params.get("limit", 25) or 25), 100)
        result = shortlist(activity, limit=limit)

        def row(m: Any) -> dict[str, Any]:
            return {
                "expert": m.expert_id,
                "name": m.expert.person.full_name if m.expert else "",
                "score": m.score,
                "excluded": m.excluded,
                "status": m.deployment_status,
                "components": [
                    {"key": c.key, "points": c.points, "max": c.max_points, "explanation": c.explanation}
                    for c in m.components
                ],
            }

        return Response(
            {
                "activity": activity.pk,
                "languages": result.languages,
                "region": result.region,
                "considered": result.considered,
                "results": [row(m) for m in result.matches],
                "excluded": [row(m) for m in result.excluded],
                "excluded_count": result.excluded_count,
            }
        )
