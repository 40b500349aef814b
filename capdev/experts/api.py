"""REST endpoints for the roster, deployments and (from the Actions app) activities: reads
scoped by visible_to, writes through services (DomainError → 400/409 JSON)."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.request import Request
from rest_framework.response import Response

from capdev.actions.activity_api import ActivityViewSet
from capdev.actions.models import Activity
from capdev.api.permissions import CapdevPermission
from capdev.core.permissions import can
from capdev.experts import services
from capdev.experts.filters import ExpertFilter
from capdev.experts.models import Deployment, ExpertProfile
from capdev.experts.serializers import DeploymentSerializer, ExpertSerializer


class ExpertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ExpertSerializer
    filterset_class = ExpertFilter
    permission_classes = [CapdevPermission]
    perms = {"list": "experts.list", "retrieve": "obj:experts.view"}

    def get_queryset(self) -> Any:
        return (
            ExpertProfile.objects.visible_to(self.request.user)
            .select_related("person")
            .prefetch_related("person__languages", "thematic_areas", "specific_areas")
            .order_by("person__last_name", "person__first_name", "id")
        )


class InviteSerializer(serializers.Serializer):
    activity = serializers.IntegerField()
    expert = serializers.IntegerField()
    role = serializers.CharField(required=False, allow_blank=True, max_length=60)


class DeploymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Deployments; POST `/deployments/` invites (staff), `/{id}/accept/` and `/{id}/decline/`
    answer (the invited expert)."""

    serializer_class = DeploymentSerializer
    permission_classes = [CapdevPermission]
    perms = {
        "list": None,
        "retrieve": None,
        "create": "experts.invite",
        "accept": "obj:experts.respond",
        "decline": "obj:experts.respond",
    }

    def get_queryset(self) -> Any:
        return Deployment.objects.visible_to(self.request.user).order_by("-created_at", "-id")

    def get_serializer_class(self) -> Any:
        return InviteSerializer if self.action == "create" else DeploymentSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from capdev.experts.matching import score_of

        payload = InviteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        activity = (
            Activity.objects.visible_to(request.user).filter(pk=payload.validated_data["activity"]).first()
        )
        expert = (
            ExpertProfile.objects.visible_to(request.user).filter(pk=payload.validated_data["expert"]).first()
        )
        if activity is None or expert is None:
            return Response({"detail": "Unknown activity or expert."}, status=status.HTTP_404_NOT_FOUND)
        if not can(request.user, "experts.invite", activity):
            return Response(status=status.HTTP_403_FORBIDDEN)
        match = score_of(activity, expert.pk)
        deployment = services.invite_expert(
            activity,
            expert,
            actor=request.user,
            role=payload.validated_data.get("role", ""),
            match_score=match.score if match else None,
        )
        return Response(
            DeploymentSerializer(deployment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @route(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        deployment = services.accept_invitation(self.get_object(), actor=request.user)
        return Response(DeploymentSerializer(deployment, context={"request": request}).data)

    @route(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        deployment = services.decline_invitation(
            self.get_object(), actor=request.user, note=str(request.data.get("note", ""))
        )
        return Response(DeploymentSerializer(deployment, context={"request": request}).data)


ROUTES = [
    ("experts", ExpertViewSet, "expert"),
    ("deployments", DeploymentViewSet, "deployment"),
    ("activities", ActivityViewSet, "activity"),
]
