"""REST endpoints for the knowledge base: lessons (with `?q=` full-text search, the same
filters as the page) and tags. Reads are scoped by `visible_to`; writes go through the services."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from rest_framework import mixins, viewsets
from rest_framework.decorators import action as route
from rest_framework.request import Request
from rest_framework.response import Response

from capdev.api.permissions import CapdevPermission
from capdev.core.pagination import RankedSearchPaginator
from capdev.core.roles import roles_of
from capdev.knowledge import services
from capdev.knowledge.filters import LessonFilter
from capdev.knowledge.models import Lesson, Tag
from capdev.knowledge.querysets import add_api_links
from capdev.knowledge.search import add_snippets
from capdev.knowledge.serializers import LessonSerializer, TagSerializer


class LessonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = LessonSerializer
    filterset_class = LessonFilter
    permission_classes = [CapdevPermission]
    perms = {
        "list": "knowledge.list",
        "retrieve": "obj:knowledge.view",
        "create": "knowledge.add",
        "update": "obj:knowledge.change",
        "partial_update": "obj:knowledge.change",
        "publish": "obj:knowledge.change",
        "unpublish": "obj:knowledge.change",
    }

    def get_queryset(self) -> Any:
        # The links (Actions, areas, countries, tags) are read by add_api_links, not prefetched.
        return Lesson.objects.visible_to(self.request.user).order_by("-created_at", "-id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        if str(request.query_params.get("q", "")).strip() and self.paginator is not None:
            # Ranked by relevance: the keys of every match, in order, give the exact count too.
            self.paginator.django_paginator_class = RankedSearchPaginator  # type: ignore[attr-defined]
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        add_snippets(rows)
        add_api_links(rows, request.user)  # every row's links in two queries
        serializer = self.get_serializer(rows, many=True)
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.create_lesson(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.update_lesson(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    @route(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Publish a draft (409 when already published)."""
        lesson = services.publish_lesson(self.get_object(), actor=request.user)
        return Response(self.get_serializer(lesson).data)

    @route(detail=True, methods=["post"])
    def unpublish(self, request: Request, pk: str | None = None) -> Response:
        """Take a lesson back to draft (409 when it is a draft)."""
        reason = str(request.data.get("reason", ""))[:500] if hasattr(request.data, "get") else ""
        lesson = services.unpublish_lesson(self.get_object(), actor=request.user, reason=reason)
        return Response(self.get_serializer(lesson).data)


class TagViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Tags with the number of lessons (published ones, for readers other than staff)."""

    serializer_class = TagSerializer
    permission_classes = [CapdevPermission]
    perms = {"list": "knowledge.list"}
    filterset_class = None

    def get_queryset(self) -> Any:
        user = self.request.user
        counted = Q() if roles_of(user).is_staff else Q(lessons__published=True)
        qs = Tag.objects.visible_to(user).annotate(lesson_count=Count("lessons", filter=counted))
        text = " ".join(str(self.request.query_params.get("q", "")).split())
        if text:
            qs = qs.filter(key__contains=services.tag_key(text))
        return qs.order_by("key")


ROUTES = [("lessons", LessonViewSet, "lesson"), ("tags", TagViewSet, "tag")]
