"""REST endpoints for requests, Actions and deliverables: reads start from visible_to, writes go
through the services, permissions through CapdevPermission and `can()`."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response

from capdev.actions import budget, deliverables, services
from capdev.actions.filters import ActionFilter, DeliverableFilter, RequestFilter
from capdev.actions.models import Action, ActionPartner, Activity, Deliverable, Request
from capdev.actions.serializers import (
    ActionDetailSerializer,
    ActionSerializer,
    ActionWriteSerializer,
    BudgetLineSerializer,
    DecisionSerializer,
    DeliverableSerializer,
    DeliverableWriteSerializer,
    NoteSerializer,
    PhaseChangeSerializer,
    PhaseTransitionSerializer,
    RequestDetailSerializer,
    RequestSerializer,
    RequestWriteSerializer,
    SharesWriteSerializer,
)
from capdev.api.permissions import CapdevPermission
from capdev.core.permissions import can


class RequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Requests: list and read (scoped), file, and the workflow steps."""

    filterset_class = RequestFilter
    permission_classes = [CapdevPermission]
    perms = {
        "list": "requests.list",
        "retrieve": "obj:requests.view",
        "create": "requests.file",
        "analyse": "obj:requests.analyse",
        "submit": "obj:requests.analyse",
        "approve": "obj:requests.decide",
        "reject": "obj:requests.decide",
        "withdraw": "obj:requests.withdraw",
    }

    def get_queryset(self) -> Any:
        qs = (
            Request.objects.visible_to(self.request.user)
            .select_related("thematic_area", "action")
            .prefetch_related("requesters__organisation", "countries", "specific_areas")
            .order_by("-received_on", "-id")
        )
        if self.action != "list":
            qs = qs.prefetch_related("transitions__by", "attachments")
        return qs

    def get_serializer_class(self) -> Any:
        if self.action == "list":
            return RequestSerializer
        if self.action == "create":
            return RequestWriteSerializer
        return RequestDetailSerializer

    def _detail(self, obj: Request, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(
            RequestDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(request=RequestWriteSerializer, responses={201: RequestDetailSerializer})
    def create(self, request: ApiRequest, *args: Any, **kwargs: Any) -> Response:
        serializer = RequestWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = services.file_request(actor=request.user, **serializer.validated_data)
        return self._detail(obj, status.HTTP_201_CREATED)

    def _note(self, request: ApiRequest) -> str:
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return str(serializer.validated_data["note"])

    @extend_schema(request=NoteSerializer, responses=RequestDetailSerializer)
    @route(detail=True, methods=["post"])
    def analyse(self, request: ApiRequest, pk: str | None = None) -> Response:
        return self._detail(
            services.start_analysis(self.get_object(), actor=request.user, note=self._note(request))
        )

    @extend_schema(request=NoteSerializer, responses=RequestDetailSerializer)
    @route(detail=True, methods=["post"])
    def submit(self, request: ApiRequest, pk: str | None = None) -> Response:
        return self._detail(
            services.submit_to_committee(self.get_object(), actor=request.user, note=self._note(request))
        )

    @extend_schema(request=NoteSerializer, responses=RequestDetailSerializer)
    @route(detail=True, methods=["post"])
    def withdraw(self, request: ApiRequest, pk: str | None = None) -> Response:
        return self._detail(
            services.withdraw_request(self.get_object(), actor=request.user, reason=self._note(request))
        )

    @extend_schema(request=DecisionSerializer, responses={201: ActionDetailSerializer})
    @route(detail=True, methods=["post"])
    def approve(self, request: ApiRequest, pk: str | None = None) -> Response:
        obj = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        created = services.approve_request(
            obj,
            actor=request.user,
            decided_on=data.get("decided_on"),
            reason=data["reason"],
            action_name=data["action_name"],
            action_type=data.get("action_type"),
        )
        return Response(
            ActionDetailSerializer(created, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=DecisionSerializer, responses=RequestDetailSerializer)
    @route(detail=True, methods=["post"])
    def reject(self, request: ApiRequest, pk: str | None = None) -> Response:
        obj = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return self._detail(
            services.reject_request(
                obj, actor=request.user, reason=data["reason"], decided_on=data.get("decided_on")
            )
        )


class ActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Actions with partners, objectives, phase transitions, budget lines and funder shares."""

    filterset_class = ActionFilter
    permission_classes = [CapdevPermission]
    perms = {
        "list": "actions.list",
        "retrieve": "obj:actions.view",
        "partial_update": "obj:actions.change",
        "phase": "obj:actions.manage",
        "budget_lines": "obj:actions.manage",
        "funder_shares": "obj:actions.manage",
    }

    def get_queryset(self) -> Any:
        qs = (
            Action.objects.visible_to(self.request.user)
            .select_related("country", "thematic_area")
            .prefetch_related(
                Prefetch(
                    "partnerships",
                    queryset=ActionPartner.objects.select_related("organisation").order_by("-is_lead", "id"),
                )
            )
            .order_by("-start_date", "name", "id")
        )
        if self.action != "list":
            qs = qs.select_related("request").prefetch_related(
                "countries", "specific_areas", "objectives", "transitions__by"
            )
        return qs

    def get_serializer_class(self) -> Any:
        if self.action == "list":
            return ActionSerializer
        if self.action == "partial_update":
            return ActionWriteSerializer
        return ActionDetailSerializer

    def _detail(self, obj: Action, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(
            ActionDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(request=ActionWriteSerializer, responses=ActionDetailSerializer)
    def partial_update(self, request: ApiRequest, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        serializer = ActionWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        objectives = serializer.objective_map()
        values.pop("objectives", None)
        if values:
            obj = services.update_action(obj, actor=request.user, **values)
        if objectives is not None:
            obj = services.set_objectives(obj, actor=request.user, objectives=objectives)
        return self._detail(obj)

    @extend_schema(request=PhaseChangeSerializer, responses={201: PhaseTransitionSerializer})
    @route(detail=True, methods=["post"])
    def phase(self, request: ApiRequest, pk: str | None = None) -> Response:
        obj = self.get_object()
        serializer = PhaseChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        transition = services.change_phase(obj, actor=request.user, **serializer.validated_data)
        return Response(PhaseTransitionSerializer(transition).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BudgetLineSerializer, responses={201: BudgetLineSerializer})
    @route(detail=True, methods=["post"], url_path="budget-lines")
    def budget_lines(self, request: ApiRequest, pk: str | None = None) -> Response:
        obj = self.get_object()
        serializer = BudgetLineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        line = budget.add_budget_line(obj, actor=request.user, **serializer.validated_data)
        return Response(BudgetLineSerializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SharesWriteSerializer, responses=ActionDetailSerializer)
    @route(detail=True, methods=["put"], url_path="funder-shares")
    def funder_shares(self, request: ApiRequest, pk: str | None = None) -> Response:
        obj = self.get_object()
        serializer = SharesWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        budget.set_funder_shares(obj, actor=request.user, shares=serializer.validated_data["shares"])
        return self._detail(obj)


class DeliverableViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The deliverables of the Actions the user sees; staff register and update them."""

    filterset_class = DeliverableFilter
    permission_classes = [CapdevPermission]
    perms = {
        "list": "actions.list",
        "retrieve": "obj:actions.view",
        "create": "actions.manage",
        "update": "obj:actions.manage",
        "partial_update": "obj:actions.manage",
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return (
            Deliverable.objects.filter(action__in=Action.objects.visible_to(self.request.user).values("pk"))
            .select_related("action")
            .order_by("action_id", "due_date", "id")
        )

    def get_serializer_class(self) -> Any:
        if self.action in ("create", "update", "partial_update"):
            return DeliverableWriteSerializer
        return DeliverableSerializer

    def _values(self, data: dict[str, Any], action_obj: Action) -> dict[str, Any]:
        values = {k: v for k, v in data.items() if k not in ("action", "file")}
        if "activity" in values:
            activity_id = values.pop("activity")
            values["activity"] = (
                Activity.objects.filter(pk=activity_id, action=action_obj).first() if activity_id else None
            )
            if activity_id and values["activity"] is None:
                from capdev.core.errors import DomainError

                raise DomainError("The activity must belong to this Action.", field="activity")
        return values

    @extend_schema(request=DeliverableWriteSerializer, responses={201: DeliverableSerializer})
    def create(self, request: ApiRequest, *args: Any, **kwargs: Any) -> Response:
        serializer = DeliverableWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        action_obj = Action.objects.visible_to(request.user).filter(pk=data.get("action") or 0).first()
        if action_obj is None:
            raise NotFound("No such Action.")
        if not can(request.user, "actions.manage", action_obj):
            raise PermissionDenied
        item = deliverables.add_deliverable(
            action_obj, actor=request.user, upload=data.get("file"), **self._values(data, action_obj)
        )
        return Response(
            DeliverableSerializer(item, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=DeliverableWriteSerializer, responses=DeliverableSerializer)
    def partial_update(self, request: ApiRequest, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        serializer = DeliverableWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        item = deliverables.update_deliverable(
            item, actor=request.user, upload=data.get("file"), **self._values(data, item.action)
        )
        return Response(DeliverableSerializer(item, context=self.get_serializer_context()).data)

    def update(self, request: ApiRequest, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)


ROUTES = [
    ("requests", RequestViewSet, "request"),
    ("actions", ActionViewSet, "action"),
    ("deliverables", DeliverableViewSet, "deliverable"),
]
