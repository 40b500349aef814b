"""REST endpoints for people: reads scoped by visible_to, writes through services."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, viewsets

from capdev.api.permissions import CapdevPermission
from capdev.people import services
from capdev.people.filters import PersonFilter
from capdev.people.models import Person
from capdev.people.serializers import PersonSerializer


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    permission_classes = [CapdevPermission]
    perms = {
        "list": "people.list",
        "retrieve": "obj:people.view",
        "create": "people.add",
        "update": "obj:people.change",
        "partial_update": "obj:people.change",
    }

    def get_queryset(self) -> Any:
        return (
            Person.objects.visible_to(self.request.user)
            .prefetch_related("languages")
            .order_by("last_name", "first_name", "id")
        )

    @staticmethod
    def _languages(data: dict[str, Any]) -> list[tuple[str, str]] | None:
        langs = data.pop("languages", None)
        return None if langs is None else [(row["language"], row["level"]) for row in langs]

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        langs = self._languages(data) or []
        serializer.instance = services.create_person(actor=self.request.user, languages=langs, **data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        langs = self._languages(data)
        serializer.instance = services.update_person(
            serializer.instance, actor=self.request.user, languages=langs, **data
        )


ROUTES = [("people", PersonViewSet, "person")]
