"""REST endpoints of runs, programmes, calls, applications and enrolments: reads scoped by
`visible_to`, writes through the services (DomainError → 400/409 JSON), permissions through
`CapdevPermission` and `can()`."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from capdev.api.permissions import CapdevPermission
from capdev.cohorts import services
from capdev.cohorts.filters import ApplicationFilter, CallFilter, EnrolmentFilter, ProgrammeFilter, RunFilter
from capdev.cohorts.models import Application, Call, CourseRun, Enrolment, Programme, RunTrainer
from capdev.cohorts.serializers import (
    ApplicationSerializer,
    ApplySerializer,
    CallSerializer,
    CallWriteSerializer,
    EnrolmentSerializer,
    NominateSerializer,
    PositionSerializer,
    ProgrammeRunSerializer,
    ProgrammeSerializer,
    ProgrammeWriteSerializer,
    QuotaWriteSerializer,
    ReasonSerializer,
    RunSerializer,
    RunStatusSerializer,
    RunWriteSerializer,
)
from capdev.cohorts.services.seats import seats_taken
from capdev.core.permissions import can
from capdev.core.roles import roles_of
from capdev.people.models import Person

READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet)


def _visible_or_404(queryset: Any, user: Any, obj: Any, what: str) -> Any:
    if obj is None:
        return None
    if not queryset.visible_to(user).filter(pk=obj.pk).exists():
        raise NotFound(f"Unknown {what}.")
    return obj


class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Course runs: read (scoped), plan and change (staff), `/{id}/status/` moves the status."""

    filterset_class = RunFilter
    permission_classes = [CapdevPermission]
    perms = {
        "list": "cohorts.list_runs",
        "retrieve": "obj:cohorts.view_run",
        "create": "cohorts.manage_runs",
        "partial_update": "obj:cohorts.manage_runs",
        "change_status": "obj:cohorts.manage_runs",
    }

    def get_queryset(self) -> Any:
        return (
            CourseRun.objects.visible_to(self.request.user)
            .prefetch_related(Prefetch("trainers", RunTrainer.objects.select_related("person")))
            .order_by("-start_date", "title", "id")
        )

    serializer_class = RunSerializer

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            taken = seats_taken(r.pk for r in page)
            for run in page:
                run.seats_taken = taken[run.pk]
        return page

    def _detail(self, run: CourseRun, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=run.pk)
        return Response(RunSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=RunWriteSerializer, responses={201: RunSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = RunWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        run = services.create_run(actor=request.user, **payload.validated_data)
        return self._detail(run, status.HTTP_201_CREATED)

    @extend_schema(request=RunWriteSerializer, responses=RunSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run = self.get_object()
        payload = RunWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        return self._detail(services.update_run(run, actor=request.user, **payload.validated_data))

    @extend_schema(request=RunStatusSerializer, responses=RunSerializer)
    @route(detail=True, methods=["post"], url_path="status")
    def change_status(self, request: Request, pk: str | None = None) -> Response:
        run = self.get_object()
        payload = RunStatusSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        return self._detail(
            services.change_run_status(
                run, actor=request.user, status=data["status"], reason=data.get("reason", "")
            )
        )


class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Programmes: read (scoped); staff create, change, and add or remove runs."""

    filterset_class = ProgrammeFilter
    permission_classes = [CapdevPermission]
    perms = {
        "list": "cohorts.list_programmes",
        "retrieve": "obj:cohorts.view_programme",
        "create": "cohorts.manage_programmes",
        "partial_update": "obj:cohorts.manage_programmes",
        "add_run": "obj:cohorts.manage_programmes",
        "remove_run": "obj:cohorts.manage_programmes",
    }
    serializer_class = ProgrammeSerializer

    def get_queryset(self) -> Any:
        return (
            Programme.objects.visible_to(self.request.user)
            .prefetch_related(
                Prefetch("runs", CourseRun.objects.only("id", "programme_id", "position", "start_date"))
            )
            .order_by("-start_date", "title", "id")
        )

    def _detail(self, programme: Programme, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=programme.pk)
        return Response(ProgrammeSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ProgrammeWriteSerializer, responses={201: ProgrammeSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = ProgrammeWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._detail(
            services.create_programme(actor=request.user, **payload.validated_data), status.HTTP_201_CREATED
        )

    @extend_schema(request=ProgrammeWriteSerializer, responses=ProgrammeSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        programme = self.get_object()
        payload = ProgrammeWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        return self._detail(
            services.update_programme(programme, actor=request.user, **payload.validated_data)
        )

    def _run(self, request: Request) -> CourseRun:
        payload = ProgrammeRunSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        run = payload.validated_data["run"]
        _visible_or_404(CourseRun.objects, request.user, run, "run")
        return run

    @extend_schema(request=ProgrammeRunSerializer, responses=ProgrammeSerializer)
    @route(detail=True, methods=["post"], url_path="add-run")
    def add_run(self, request: Request, pk: str | None = None) -> Response:
        programme = self.get_object()
        services.add_run(programme, self._run(request), actor=request.user)
        return self._detail(programme)

    @extend_schema(request=ProgrammeRunSerializer, responses=ProgrammeSerializer)
    @route(detail=True, methods=["post"], url_path="remove-run")
    def remove_run(self, request: Request, pk: str | None = None) -> Response:
        programme = self.get_object()
        services.remove_run(programme, self._run(request), actor=request.user)
        return self._detail(programme)


class CallViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Calls for participants: read (open calls for everyone, every call for staff); staff create,
    change, open, close and set quotas."""

    filterset_class = CallFilter
    permission_classes = [CapdevPermission]
    perms = {
        "list": "cohorts.list_calls",
        "retrieve": "obj:cohorts.view_call",
        "create": "cohorts.manage_calls",
        "partial_update": "obj:cohorts.manage_calls",
        "open": "obj:cohorts.manage_calls",
        "close": "obj:cohorts.manage_calls",
        "quota": "obj:cohorts.manage_calls",
    }
    serializer_class = CallSerializer

    def get_queryset(self) -> Any:
        return (
            Call.objects.visible_to(self.request.user)
            .prefetch_related("countries", "quotas")
            .order_by("-deadline", "id")
        )

    def _detail(self, call: Call, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=call.pk)
        return Response(CallSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @staticmethod
    def _values(data: dict[str, Any]) -> dict[str, Any]:
        values = dict(data)
        if "languages" in values:
            values["languages"] = [dict(item) for item in values["languages"]]
        return values

    @extend_schema(request=CallWriteSerializer, responses={201: CallSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = CallWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = self._values(payload.validated_data)
        run, programme = values.pop("run", None), values.pop("programme", None)
        _visible_or_404(CourseRun.objects, request.user, run, "run")
        _visible_or_404(Programme.objects, request.user, programme, "programme")
        countries = values.pop("countries", [])
        call = services.create_call(
            actor=request.user, run=run, programme=programme, countries=countries, **values
        )
        return self._detail(call, status.HTTP_201_CREATED)

    @extend_schema(request=CallWriteSerializer, responses=CallSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        call = self.get_object()
        payload = CallWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        values = self._values(payload.validated_data)
        values.pop("run", None)
        values.pop("programme", None)
        countries = values.pop("countries", None)
        return self._detail(services.update_call(call, actor=request.user, countries=countries, **values))

    @extend_schema(request=None, responses=CallSerializer)
    @route(detail=True, methods=["post"])
    def open(self, request: Request, pk: str | None = None) -> Response:
        return self._detail(services.open_call(self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=CallSerializer)
    @route(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        return self._detail(services.close_call(self.get_object(), actor=request.user))

    @extend_schema(request=QuotaWriteSerializer, responses=CallSerializer)
    @route(detail=True, methods=["post"])
    def quota(self, request: Request, pk: str | None = None) -> Response:
        call = self.get_object()
        payload = QuotaWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.set_quota(call, data["organisation"], actor=request.user, places=data["places"])
        return self._detail(call)


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Applications: POST applies for oneself; `/nominate/` (focal points) and `/add-candidate/`
    (staff) put someone else forward; decisions are actions on an application."""

    filterset_class = ApplicationFilter
    permission_classes = [CapdevPermission]
    serializer_class = ApplicationSerializer
    perms = {
        "list": "cohorts.list_applications",
        "retrieve": "obj:cohorts.view_application",
        "create": "cohorts.apply",
        "nominate": "cohorts.nominate",
        "add_candidate": "cohorts.select",
        "shortlist": "obj:cohorts.select",
        "accept": "obj:cohorts.select",
        "waitlist": "obj:cohorts.select",
        "reject": "obj:cohorts.select",
        "move": "obj:cohorts.select",
        "withdraw": "obj:cohorts.withdraw_application",
        "accept_offer": "obj:cohorts.answer_offer",
        "decline_offer": "obj:cohorts.answer_offer",
    }

    def get_queryset(self) -> Any:
        return (
            Application.objects.visible_to(self.request.user)
            .select_related("person")
            .prefetch_related("attachments")
            .order_by("-created_at", "-id")
        )

    def _detail(self, application: Application, code: int = status.HTTP_200_OK) -> Response:
        fresh = (
            Application.objects.select_related("person")
            .prefetch_related("attachments")
            .get(pk=application.pk)
        )
        return Response(ApplicationSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _call(self, payload: Any) -> Call:
        call = payload.validated_data["call"]
        _visible_or_404(Call.objects, self.request.user, call, "call")
        return call

    @extend_schema(request=ApplySerializer, responses={201: ApplicationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = ApplySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        call = self._call(payload)
        if not can(request.user, "cohorts.apply", call):
            raise PermissionDenied("This call takes nominations by focal points only.")
        person_id = roles_of(request.user).person_id
        assert person_id is not None  # cohorts.apply requires a person record
        person = Person.objects.get(pk=person_id)
        application = services.apply_to_call(
            call, person, actor=request.user, motivation=payload.validated_data.get("motivation", "")
        )
        return self._detail(application, status.HTTP_201_CREATED)

    def _someone(self, request: Request) -> tuple[Call, Person, str]:
        payload = NominateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        call = self._call(payload)
        person = _visible_or_404(Person.objects, request.user, payload.validated_data["person"], "person")
        return call, person, payload.validated_data.get("motivation", "")

    @extend_schema(request=NominateSerializer, responses={201: ApplicationSerializer})
    @route(detail=False, methods=["post"])
    def nominate(self, request: Request) -> Response:
        call, person, motivation = self._someone(request)
        application = services.nominate_candidate(call, person, actor=request.user, motivation=motivation)
        return self._detail(application, status.HTTP_201_CREATED)

    @extend_schema(request=NominateSerializer, responses={201: ApplicationSerializer})
    @route(detail=False, methods=["post"], url_path="add-candidate")
    def add_candidate(self, request: Request) -> Response:
        call, person, motivation = self._someone(request)
        application = services.add_candidate(call, person, actor=request.user, motivation=motivation)
        return self._detail(application, status.HTTP_201_CREATED)

    def _reason(self, request: Request) -> str:
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return str(payload.validated_data.get("reason", ""))

    @extend_schema(request=None, responses=ApplicationSerializer)
    @route(detail=True, methods=["post"])
    def shortlist(self, request: Request, pk: str | None = None) -> Response:
        return self._detail(services.shortlist_application(self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=ApplicationSerializer)
    @route(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._detail(services.accept_application(self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=ApplicationSerializer)
    @route(detail=True, methods=["post"])
    def waitlist(self, request: Request, pk: str | None = None) -> Response:
        return self._detail(services.waitlist_application(self.get_object(), actor=request.user))

    @extend_schema(request=ReasonSerializer, responses=ApplicationSerializer)
    @route(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        return self._detail(
            services.reject_application(application, actor=request.user, reason=self._reason(request))
        )

    @extend_schema(request=PositionSerializer, responses=ApplicationSerializer)
    @route(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        payload = PositionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._detail(
            services.move_on_waitlist(
                application, actor=request.user, position=payload.validated_data["position"]
            )
        )

    @extend_schema(request=ReasonSerializer, responses=ApplicationSerializer)
    @route(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        return self._detail(
            services.withdraw_application(application, actor=request.user, reason=self._reason(request))
        )

    @extend_schema(request=None, responses=ApplicationSerializer)
    @route(detail=True, methods=["post"], url_path="accept-offer")
    def accept_offer(self, request: Request, pk: str | None = None) -> Response:
        return self._detail(services.accept_offer(self.get_object(), actor=request.user))

    @extend_schema(request=ReasonSerializer, responses=ApplicationSerializer)
    @route(detail=True, methods=["post"], url_path="decline-offer")
    def decline_offer(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        return self._detail(
            services.decline_offer(application, actor=request.user, note=self._reason(request))
        )


class EnrolmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Enrolments: read (scoped: staff all, trainers their runs', focal points their people's,
    everyone their own); `/{id}/withdraw/` with a reason."""

    filterset_class = EnrolmentFilter
    permission_classes = [CapdevPermission]
    serializer_class = EnrolmentSerializer
    perms = {
        "list": None,
        "retrieve": "obj:cohorts.view_enrolment",
        "withdraw": "obj:cohorts.withdraw_enrolment",
    }

    def get_queryset(self) -> Any:
        return (
            Enrolment.objects.visible_to(self.request.user)
            .select_related("person", "run")
            .order_by("run_id", "person__last_name", "person__first_name", "id")
        )

    @extend_schema(request=ReasonSerializer, responses=EnrolmentSerializer)
    @route(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        enrolment = self.get_object()
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        enrolment = services.withdraw_enrolment(
            enrolment, actor=request.user, reason=payload.validated_data.get("reason", "")
        )
        fresh = self.get_queryset().get(pk=enrolment.pk)
        return Response(EnrolmentSerializer(fresh, context=self.get_serializer_context()).data)


ROUTES = [
    ("runs", RunViewSet, "run"),
    ("programmes", ProgrammeViewSet, "programme"),
    ("calls", CallViewSet, "call"),
    ("applications", ApplicationViewSet, "application"),
    ("enrolments", EnrolmentViewSet, "enrolment"),
]
