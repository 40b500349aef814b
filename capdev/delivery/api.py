"""REST endpoints for sessions and attendance: reads scoped by visible_to, writes through the
services (DomainError → 400/409 JSON).

- `/sessions/`: list (SessionFilter), retrieve; create and change for staff and the run's lead
  trainers; `/{id}/cancel/` and `/{id}/reinstate/`;
- `/sessions/{id}/attendance/`: GET the class with each mark; POST the marks of the whole class
  in one request (staff and the run's trainers);
- `/attendance/`: attendance marks (AttendanceFilter), read only.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from capdev.api.permissions import CapdevPermission
from capdev.cohorts.models import CourseRun
from capdev.core.permissions import can
from capdev.delivery import services
from capdev.delivery.filters import AttendanceFilter, SessionFilter
from capdev.delivery.models import Attendance, Session
from capdev.delivery.serializers import (
    AttendanceSerializer,
    CancelSerializer,
    MarkAttendanceSerializer,
    SessionSerializer,
    SessionWriteSerializer,
    SheetSerializer,
)


class SessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    filterset_class = SessionFilter
    permission_classes = [CapdevPermission]
    perms = {
        "list": None,
        "retrieve": None,
        "create": None,  # checked on the run in create()
        "update": "obj:delivery.manage_sessions",
        "partial_update": "obj:delivery.manage_sessions",
        "cancel": "obj:delivery.manage_sessions",
        "reinstate": "obj:delivery.manage_sessions",
        "attendance": "obj:delivery.take_attendance",
    }

    def get_queryset(self) -> Any:
        return (
            Session.objects.visible_to(self.request.user)
            .select_related("run")
            .prefetch_related("trainers")
            .order_by("starts_at", "id")
        )

    def get_serializer_class(self) -> Any:
        if self.action in ("create", "update", "partial_update"):
            return SessionWriteSerializer
        return SessionSerializer

    def _read(self, session: Session) -> Response:
        session = self.get_queryset().get(pk=session.pk)
        return Response(SessionSerializer(session, context={"request": self.request}).data)

    @extend_schema(request=SessionWriteSerializer, responses={201: SessionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = SessionWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        run = data.pop("run")
        if not CourseRun.objects.visible_to(request.user).filter(pk=run.pk).exists():
            raise ValidationError({"run": "Unknown run."})
        if not can(request.user, "delivery.manage_sessions", run):
            raise PermissionDenied
        trainers = data.pop("trainers", None)
        session = services.create_session(run, actor=request.user, trainers=trainers, **data)
        response = self._read(session)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=SessionWriteSerializer, responses=SessionSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        session = self.get_object()
        partial = kwargs.pop("partial", False)
        payload = SessionWriteSerializer(session, data=request.data, partial=partial)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        run = data.pop("run", None)
        if run is not None and run.pk != session.run_id:
            raise ValidationError({"run": "A session cannot move to another run."})
        trainers = data.pop("trainers", None)
        services.update_session(session, actor=request.user, trainers=trainers, **data)
        return self._read(session)

    @extend_schema(request=SessionWriteSerializer, responses=SessionSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=CancelSerializer, responses=SessionSerializer)
    @route(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel the session, with a reason; the participants' attendance figures are refreshed."""
        session = self.get_object()
        payload = CancelSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.cancel_session(session, actor=request.user, reason=payload.validated_data["reason"])
        return self._read(session)

    @extend_schema(request=None, responses=SessionSerializer)
    @route(detail=True, methods=["post"])
    def reinstate(self, request: Request, pk: str | None = None) -> Response:
        """Undo a cancellation."""
        session = self.get_object()
        services.reinstate_session(session, actor=request.user)
        return self._read(session)

    @extend_schema(
        methods=["GET"], request=None, responses=SheetSerializer, summary="The class with each mark"
    )
    @extend_schema(
        methods=["POST"],
        request=MarkAttendanceSerializer,
        responses=SheetSerializer,
        summary="Mark the whole class in one request",
        description=(
            "All marks are saved together or none is (400/409 with a message naming the participants "
            "refused, e.g. present/late without the online part). A mark that does not change records "
            "nothing; a changed mark is an audited correction."
        ),
    )
    @route(detail=True, methods=["get", "post"])
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        session = Session.objects.select_related("run", "part").get(pk=session.pk)
        result = None
        if request.method == "POST":
            payload = MarkAttendanceSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            marks = [
                services.Mark(m["enrolment"], m["status"], m.get("note", ""))
                for m in payload.validated_data["marks"]
            ]
            result = services.mark_attendance(session, marks, actor=request.user)
        gate = services.gate_applies(session, services.gating_part(session.run.course_version_id))
        body: dict[str, Any] = {
            "session": session.pk,
            "online_part_required": gate,
            "participants": list(services.sheet_rows(session)),
        }
        if result is not None:
            body.update(
                {"created": result.created, "corrected": result.corrected, "unchanged": result.unchanged}
            )
        return Response(SheetSerializer(body, context={"request": request}).data)


class AttendanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Attendance marks the user may see (their runs, their organisations' people, their own)."""

    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilter
    permission_classes = [CapdevPermission]
    perms = {"list": None, "retrieve": None}

    def get_queryset(self) -> Any:
        return (
            Attendance.objects.visible_to(self.request.user)
            .select_related("session")
            .order_by("-session__starts_at", "-session_id", "-enrolment_id")
        )


ROUTES = [
    ("sessions", SessionViewSet, "session"),
    ("attendance", AttendanceViewSet, "attendance"),
]
