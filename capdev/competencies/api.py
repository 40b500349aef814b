"""REST endpoints for competency frameworks: reads scoped by visible_to, writes through services.

- /frameworks/                  list, create (v1 draft with the default scale), retrieve, update
- /framework-versions/          list (?framework=, ?status=), retrieve, update a draft;
                                POST publish/, retire/, derive/; GET compare/?with=<id>
- /competency-items/            list (?version=, ?parent=, ?top_level=, ?kind=, ?nature=, ?q=),
                                create, retrieve, update, delete (with sub-items); POST move/
- /competency-scales/<version>/ a version's proficiency scale; PUT replaces it
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from capdev.api.permissions import CapdevPermission
from capdev.competencies import services
from capdev.competencies.filters import CompetencyItemFilter, FrameworkFilter, FrameworkVersionFilter
from capdev.competencies.models import CompetencyItem, Framework, FrameworkVersion
from capdev.competencies.serializers import (
    CompareSerializer,
    CompetencyItemSerializer,
    FrameworkSerializer,
    FrameworkVersionSerializer,
    MoveSerializer,
    ScaleSerializer,
)
from capdev.core.permissions import can


class FrameworkViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = FrameworkSerializer
    filterset_class = FrameworkFilter
    permission_classes = [CapdevPermission]
    perms = {
        "list": "competencies.list",
        "retrieve": "obj:competencies.view",
        "create": "competencies.add",
        "update": "obj:competencies.change",
        "partial_update": "obj:competencies.change",
    }

    def get_queryset(self) -> Any:
        versions = FrameworkVersion.objects.visible_to(self.request.user).order_by("-number")
        return (
            Framework.objects.visible_to(self.request.user)
            .select_related("owner")
            .prefetch_related(Prefetch("versions", queryset=versions, to_attr="visible_versions"))
            .order_by("title", "id")
        )

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.create_framework(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        data = {k: v for k, v in serializer.validated_data.items() if k in services.FRAMEWORK_FIELDS}
        serializer.instance = services.update_framework(serializer.instance, actor=self.request.user, **data)


class FrameworkVersionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = FrameworkVersionSerializer
    filterset_class = FrameworkVersionFilter
    permission_classes = [CapdevPermission]
    perms = {
        "list": "competencies.list",
        "retrieve": "obj:competencies.view",
        "update": "obj:competencies.change",
        "partial_update": "obj:competencies.change",
        "publish": "obj:competencies.publish",
        "retire": "obj:competencies.publish",
        "derive": "obj:competencies.change",
        "compare": "obj:competencies.view",
    }

    def get_queryset(self) -> Any:
        return (
            FrameworkVersion.objects.visible_to(self.request.user)
            .select_related("framework")
            .prefetch_related("levels")
            .order_by("framework_id", "-number")
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.update_version(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def _answer(self, version: FrameworkVersion, code: int = status.HTTP_200_OK) -> Response:
        version = self.get_queryset().get(pk=version.pk)
        return Response(self.get_serializer(version).data, status=code)

    @extend_schema(request=None, responses=FrameworkVersionSerializer)
    @route(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(services.publish_version(self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=FrameworkVersionSerializer)
    @route(detail=True, methods=["post"])
    def retire(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(services.retire_version(self.get_object(), actor=request.user))

    @extend_schema(request=None, responses={201: FrameworkVersionSerializer})
    @route(detail=True, methods=["post"])
    def derive(self, request: Request, pk: str | None = None) -> Response:
        note = str(request.data.get("change_note", "")) if hasattr(request.data, "get") else ""
        draft = services.derive_version(self.get_object(), actor=request.user, change_note=note)
        return self._answer(draft, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("with", int, required=True, description="The older version's id.")],
        responses=CompareSerializer,
    )
    @route(detail=True, methods=["get"])
    def compare(self, request: Request, pk: str | None = None) -> Response:
        version = self.get_object()
        try:
            other = self.get_queryset().get(pk=int(request.query_params.get("with", "")))
        except (ValueError, FrameworkVersion.DoesNotExist):
            raise ValidationError(
                {"with": "Give the id of a version of the same framework you can see."}
            ) from None
        result = services.compare_versions(other, version)

        def brief(item: CompetencyItem) -> dict[str, Any]:
            return {
                "id": item.pk,
                "code": item.code,
                "statement": item.statement,
                "lineage": str(item.lineage),
            }

        return Response(
            {
                "old": other.pk,
                "new": version.pk,
                "added": [brief(i) for i in result.added],
                "removed": [brief(i) for i in result.removed],
                "reworded": [
                    {"old": brief(c.old), "new": brief(c.new), "fields": c.fields} for c in result.reworded
                ],
                "moved": [
                    {
                        "old": brief(c.old),
                        "new": brief(c.new),
                        "reparented": c.reparented,
                        "old_parent": c.old_parent.pk if c.old_parent else None,
                        "new_parent": c.new_parent.pk if c.new_parent else None,
                    }
                    for c in result.moved
                ],
                "unchanged": result.unchanged,
                "scale_changed": result.scale_changed,
            }
        )


class CompetencyItemViewSet(viewsets.ModelViewSet):
    serializer_class = CompetencyItemSerializer
    filterset_class = CompetencyItemFilter
    permission_classes = [CapdevPermission]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    perms = {
        "list": "competencies.list",
        "retrieve": "obj:competencies.view",
        "create": None,  # checked against the version in perform_create
        "update": "obj:competencies.change",
        "partial_update": "obj:competencies.change",
        "destroy": "obj:competencies.change",
        "move": "obj:competencies.change",
    }

    def get_queryset(self) -> Any:
        return (
            CompetencyItem.objects.visible_to(self.request.user)
            .select_related("version__framework")
            .order_by("version_id", "parent_id", "position", "id")
        )

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        version = data.pop("version")
        if not can(self.request.user, "competencies.change", version):
            raise PermissionDenied
        serializer.instance = services.add_item(
            version,
            actor=self.request.user,
            statement=data.pop("statement", ""),
            parent=data.pop("parent", None),
            position=data.pop("position", None),
            **data,
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.update_item(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance: CompetencyItem) -> None:
        services.delete_item(instance, actor=self.request.user)

    @extend_schema(request=MoveSerializer, responses=CompetencyItemSerializer)
    @route(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        params = MoveSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        siblings = CompetencyItem.objects.filter(version_id=item.version_id)
        if data.get("direction"):
            item = services.shift_item(item, actor=request.user, direction=data["direction"])
        elif data.get("target"):
            target = siblings.filter(pk=data["target"]).first()
            if target is None:
                raise ValidationError({"target": "Give the id of an item of the same version."})
            item = services.place_item(item, actor=request.user, target=target, place=data.get("place", ""))
        elif "parent" in data:
            parent = siblings.filter(pk=data["parent"]).first() if data["parent"] else None
            if data["parent"] and parent is None:
                raise ValidationError({"parent": "Give the id of an item of the same version, or null."})
            item = services.move_item(item, actor=request.user, parent=parent, position=data.get("position"))
        elif data.get("position") is not None:
            item = services.move_item(item, actor=request.user, position=data["position"])
        else:
            raise ValidationError({"direction": "Say where to move the item: direction, target or parent."})
        item.refresh_from_db()
        return Response(self.get_serializer(item).data)


class ScaleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A version's proficiency scale (the id is the version's)."""

    serializer_class = ScaleSerializer
    permission_classes = [CapdevPermission]
    http_method_names = ["get", "put", "head", "options"]
    perms = {
        "list": "competencies.list",
        "retrieve": "obj:competencies.view",
        "update": "obj:competencies.change",
    }

    def get_queryset(self) -> Any:
        return (
            FrameworkVersion.objects.visible_to(self.request.user)
            .prefetch_related("levels")
            .order_by("framework_id", "-number")
        )

    def perform_update(self, serializer: Any) -> None:
        levels = [dict(level) for level in serializer.validated_data.get("levels", [])]
        serializer.instance = services.set_scale(serializer.instance, actor=self.request.user, levels=levels)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


ROUTES = [
    ("frameworks", FrameworkViewSet, "framework"),
    ("framework-versions", FrameworkVersionViewSet, "framework-version"),
    ("competency-items", CompetencyItemViewSet, "competency-item"),
    ("competency-scales", ScaleViewSet, "competency-scale"),
]
