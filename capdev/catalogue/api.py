"""REST endpoints for the catalogue of standard products.

Reads start from `visible_to` (outside it: 404); writes go through the services, so the API
refuses exactly what the pages refuse (a DomainError becomes 400/409 with its message).
Adaptations are read here but changed through their own endpoints.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.request import Request
from rest_framework.response import Response

from capdev.api.permissions import CapdevPermission
from capdev.catalogue import services
from capdev.catalogue.filters import CourseVersionFilter
from capdev.catalogue.models import (
    Course,
    CourseKind,
    CourseVersion,
    DeliveryPart,
    LearningObjective,
    Material,
    Module,
    ObjectiveCompetency,
)
from capdev.catalogue.serializers import (
    CompletionRuleSerializer,
    CompletionRuleWriteSerializer,
    CourseCreateSerializer,
    CourseDeriveSerializer,
    CourseModuleSerializer,
    CourseModuleWriteSerializer,
    CourseSerializer,
    CourseVersionDetailSerializer,
    CourseVersionSerializer,
    CourseVersionWriteSerializer,
    DeliveryPartSerializer,
    DeliveryPartWriteSerializer,
    LearningObjectiveSerializer,
    LearningObjectiveWriteSerializer,
)
from capdev.core.errors import DomainError

CHANGE = "obj:catalogue.change"


def _standard_only(version_or_course: Any) -> None:
    course = version_or_course if isinstance(version_or_course, Course) else version_or_course.course
    if course.kind != CourseKind.STANDARD:
        raise DomainError("Adaptations are changed through the adaptation endpoints.", code="adaptation")


def _objectives() -> QuerySet[LearningObjective]:
    mappings = ObjectiveCompetency.objects.select_related("competency", "target_level").order_by(
        "competency__code"
    )
    return LearningObjective.objects.order_by("position").prefetch_related(
        Prefetch("mappings", queryset=mappings)
    )


def _modules() -> QuerySet[Module]:
    return Module.objects.order_by("position").prefetch_related(
        Prefetch("objectives", queryset=_objectives()),
        Prefetch("materials", queryset=Material.objects.order_by("language", "title")),
    )


class CourseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Standard products and adaptations, with the versions the user may see."""

    serializer_class = CourseSerializer
    permission_classes = [CapdevPermission]
    perms = {"list": "catalogue.list", "retrieve": "obj:catalogue.view", "create": "catalogue.add"}

    def get_queryset(self) -> Any:
        user = self.request.user
        return (
            Course.objects.visible_to(user)
            .prefetch_related(
                Prefetch(
                    "versions",
                    queryset=CourseVersion.objects.visible_to(user).order_by("-number"),
                    to_attr="visible_versions",
                )
            )
            .order_by("code", "id")
        )

    def get_serializer_class(self) -> Any:
        return CourseCreateSerializer if self.action == "create" else CourseSerializer

    @extend_schema(request=CourseCreateSerializer, responses={201: CourseVersionDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Create a standard product; answers with its version 1 (a draft)."""
        serializer = CourseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.create_course(actor=request.user, **serializer.validated_data)
        body = CourseVersionDetailSerializer(version, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


class CourseVersionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Versions with their whole content; drafts are edited, published versions only read."""

    filterset_class = CourseVersionFilter
    permission_classes = [CapdevPermission]
    perms = {
        "list": "catalogue.list",
        "retrieve": "obj:catalogue.view",
        "update": CHANGE,
        "partial_update": CHANGE,
        "publish": "obj:catalogue.publish",
        "retire": "obj:catalogue.publish",
        "derive": CHANGE,
        "add_part": CHANGE,
        "add_module": CHANGE,
        "set_rule": CHANGE,
    }

    def get_queryset(self) -> Any:
        qs = (
            CourseVersion.objects.visible_to(self.request.user)
            .select_related("course")
            .prefetch_related("thematic_areas")
            .order_by("course__code", "-number", "id")
        )
        if self.action != "list":
            qs = qs.prefetch_related(
                Prefetch("parts", queryset=DeliveryPart.objects.order_by("position")),
                Prefetch("modules", queryset=_modules()),
                "rules",
            )
        return qs

    def get_serializer_class(self) -> Any:
        if self.action == "list":
            return CourseVersionSerializer
        if self.action in ("update", "partial_update"):
            return CourseVersionWriteSerializer
        return CourseVersionDetailSerializer

    def _detail(self, version: CourseVersion, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=version.pk)
        return Response(
            CourseVersionDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    def _draft(self) -> CourseVersion:
        version = self.get_object()
        _standard_only(version)
        return version

    @extend_schema(request=CourseVersionWriteSerializer, responses=CourseVersionDetailSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        version = self._draft()
        serializer = CourseVersionWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        services.update_version(version, actor=request.user, **serializer.validated_data)
        return self._detail(version)

    @extend_schema(request=None, responses=CourseVersionDetailSerializer)
    @route(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Publish a draft after the publishing checks (every problem is named in `detail`)."""
        version = services.publish_version(self._draft(), actor=request.user)
        return self._detail(version)

    @extend_schema(request=None, responses=CourseVersionDetailSerializer)
    @route(detail=True, methods=["post"])
    def retire(self, request: Request, pk: str | None = None) -> Response:
        version = services.retire_version(self._draft(), actor=request.user)
        return self._detail(version)

    @extend_schema(request=CourseDeriveSerializer, responses={201: CourseVersionDetailSerializer})
    @route(detail=True, methods=["post"])
    def derive(self, request: Request, pk: str | None = None) -> Response:
        """Start the next version (a draft copy of this one)."""
        serializer = CourseDeriveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.derive_version(self._draft(), actor=request.user, **serializer.validated_data)
        return self._detail(version, status.HTTP_201_CREATED)

    @extend_schema(request=DeliveryPartWriteSerializer, responses={201: DeliveryPartSerializer})
    @route(detail=True, methods=["post"], url_path="parts")
    def add_part(self, request: Request, pk: str | None = None) -> Response:
        serializer = DeliveryPartWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        part = services.add_part(self._draft(), actor=request.user, **serializer.validated_data)
        return Response(DeliveryPartSerializer(part).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CourseModuleWriteSerializer, responses={201: CourseModuleSerializer})
    @route(detail=True, methods=["post"], url_path="modules")
    def add_module(self, request: Request, pk: str | None = None) -> Response:
        serializer = CourseModuleWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        module = services.add_module(self._draft(), actor=request.user, **serializer.validated_data)
        return Response(
            CourseModuleSerializer(module, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=CompletionRuleWriteSerializer, responses=CompletionRuleSerializer)
    @route(detail=True, methods=["post"], url_path="rules")
    def set_rule(self, request: Request, pk: str | None = None) -> Response:
        """Add a completion rule or change its threshold or level."""
        serializer = CompletionRuleWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rule = services.set_completion_rule(self._draft(), actor=request.user, **serializer.validated_data)
        return Response(CompletionRuleSerializer(rule).data)


class _ContentViewSet(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Shared by parts, modules and objectives: read if the version is visible, change if the
    user may change the product."""

    permission_classes = [CapdevPermission]
    perms = {
        "retrieve": "obj:catalogue.view",
        "update": CHANGE,
        "partial_update": CHANGE,
        "destroy": CHANGE,
        "add_objective": CHANGE,
        "set_mappings": CHANGE,
    }
    version_path = "version"

    def visible_versions(self) -> QuerySet[CourseVersion]:
        return CourseVersion.objects.visible_to(self.request.user)

    def _version_of(self, obj: Any) -> CourseVersion:
        version: CourseVersion = obj.version if hasattr(obj, "version_id") else obj.module.version
        _standard_only(version)
        return version


class PartViewSet(_ContentViewSet):
    serializer_class = DeliveryPartSerializer

    def get_queryset(self) -> Any:
        return DeliveryPart.objects.filter(version__in=self.visible_versions()).select_related(
            "version__course"
        )

    @extend_schema(request=DeliveryPartWriteSerializer, responses=DeliveryPartSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        part = self.get_object()
        self._version_of(part)
        serializer = DeliveryPartWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        part = services.update_part(part, actor=request.user, **serializer.validated_data)
        return Response(DeliveryPartSerializer(part).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        part = self.get_object()
        self._version_of(part)
        services.remove_part(part, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ModuleViewSet(_ContentViewSet):
    serializer_class = CourseModuleSerializer

    def get_queryset(self) -> Any:
        return _modules().filter(version__in=self.visible_versions()).select_related("version__course")

    @extend_schema(request=CourseModuleWriteSerializer, responses=CourseModuleSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        module = self.get_object()
        self._version_of(module)
        serializer = CourseModuleWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        services.update_module(module, actor=request.user, **serializer.validated_data)
        return Response(
            CourseModuleSerializer(
                self.get_queryset().get(pk=module.pk), context=self.get_serializer_context()
            ).data
        )

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        module = self.get_object()
        self._version_of(module)
        services.remove_module(module, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=LearningObjectiveWriteSerializer, responses={201: LearningObjectiveSerializer})
    @route(detail=True, methods=["post"], url_path="objectives")
    def add_objective(self, request: Request, pk: str | None = None) -> Response:
        """Add a learning objective, with its competency mappings."""
        module = self.get_object()
        self._version_of(module)
        serializer = LearningObjectiveWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        objective = services.add_objective(
            module,
            actor=request.user,
            text=data.get("text", ""),
            is_core=data.get("is_core", False),
            mappings=[(m["competency"], m["target_level"]) for m in data.get("mappings", [])],
        )
        return Response(
            LearningObjectiveSerializer(_objectives().get(pk=objective.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ObjectiveViewSet(_ContentViewSet):
    serializer_class = LearningObjectiveSerializer

    def get_queryset(self) -> Any:
        return (
            _objectives()
            .filter(module__version__in=self.visible_versions())
            .select_related("module__version__course")
        )

    @extend_schema(request=LearningObjectiveWriteSerializer, responses=LearningObjectiveSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change the text or core flag; `mappings`, when given, replaces all mappings."""
        objective = self.get_object()
        self._version_of(objective)
        serializer = LearningObjectiveWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        mappings = data.pop("mappings", None)
        with transaction.atomic():
            services.update_objective(objective, actor=request.user, **data)
            if mappings is not None:
                services.set_mappings(
                    objective,
                    actor=request.user,
                    mappings=[(m["competency"], m["target_level"]) for m in mappings],
                )
        return Response(LearningObjectiveSerializer(_objectives().get(pk=objective.pk)).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        objective = self.get_object()
        self._version_of(objective)
        services.remove_objective(objective, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


ROUTES = [
    ("courses", CourseViewSet, "course"),
    ("course-versions", CourseVersionViewSet, "course-version"),
    ("delivery-parts", PartViewSet, "delivery-part"),
    ("course-modules", ModuleViewSet, "course-module"),
    ("learning-objectives", ObjectiveViewSet, "learning-objective"),
]
