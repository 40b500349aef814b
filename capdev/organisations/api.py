"""REST endpoints for organisations: reads scoped by visible_to, writes through services."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, viewsets

from capdev.api.permissions import CapdevPermission
from capdev.organisations import services
from capdev.organisations.filters import OrganisationFilter
from capdev.organisations.models import Organisation
from capdev.organisations.serializers import OrganisationSerializer


class OrganisationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    permission_classes = [CapdevPermission]
    perms = {
        "list": "organisations.list",
        "retrieve": "obj:organisations.view",
        "create": "organisations.add",
        "update": "obj:organisations.change",
        "partial_update": "obj:organisations.change",
    }

    def get_queryset(self) -> Any:
        return (
            Organisation.objects.visible_to(self.request.user)
            .select_related("country")
            .order_by("name", "id")
        )

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.create_organisation(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.update_organisation(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )


ROUTES = [("organisations", OrganisationViewSet, "organisation")]
