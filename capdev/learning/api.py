"""REST endpoints of the online part (read-only): a version's lessons, participants' online
progress and SCORM attempts. Querysets start from `visible_to` (outside it: 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from rest_framework import mixins, viewsets

from capdev.api.permissions import CapdevPermission
from capdev.cohorts.models import Enrolment
from capdev.learning.filters import OnlineLessonFilter, OnlineProgressFilter, ScormAttemptFilter
from capdev.learning.models import LessonImage, OnlineLesson, ScormAttempt
from capdev.learning.serializers import (
    OnlineLessonSerializer,
    OnlineProgressDetailSerializer,
    OnlineProgressSerializer,
    ScormAttemptSerializer,
)


class OnlineLessonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Lessons of the versions whose online content the user may read (`?version=`, `?module=`).
    `body` is the sanitised text, images written `<img src="image:N">` (see `images`)."""

    serializer_class = OnlineLessonSerializer
    filterset_class = OnlineLessonFilter
    permission_classes = [CapdevPermission]
    perms: dict[str, str | None] = {"list": None, "retrieve": None}

    def get_queryset(self) -> Any:
        return (
            OnlineLesson.objects.visible_to(self.request.user)
            .select_related("module")
            .prefetch_related(Prefetch("images", queryset=LessonImage.objects.order_by("number")))
            .order_by("module__version_id", "module__position", "position", "pk")
        )


class OnlineProgressViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Participants' online progress (the enrolments the user sees); one participant's lessons
    and packages with their status on the detail (`?run=`, `?state=`, `?q=`)."""

    filterset_class = OnlineProgressFilter
    permission_classes = [CapdevPermission]
    perms: dict[str, str | None] = {"list": None, "retrieve": "obj:learning.view_course"}

    def get_serializer_class(self) -> Any:
        return OnlineProgressDetailSerializer if self.action == "retrieve" else OnlineProgressSerializer

    def get_queryset(self) -> Any:
        return (
            Enrolment.objects.visible_to(self.request.user)
            .select_related("person", "run")
            .order_by("run_id", "person__last_name", "person__first_name", "pk")
        )


class ScormAttemptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """SCORM results of the enrolments the user sees (`?enrolment=`, `?package=`, `?done=`)."""

    serializer_class = ScormAttemptSerializer
    filterset_class = ScormAttemptFilter
    permission_classes = [CapdevPermission]
    perms: dict[str, str | None] = {"list": None, "retrieve": None}

    def get_queryset(self) -> Any:
        return ScormAttempt.objects.visible_to(self.request.user).select_related("package").order_by("pk")


ROUTES = [
    ("online-lessons", OnlineLessonViewSet, "online-lesson"),
    ("online-progress", OnlineProgressViewSet, "online-progress"),
    ("scorm-attempts", ScormAttemptViewSet, "scorm-attempt"),
]
