"""API representations of requests, Actions and deliverables. Reads nest what a page shows;
write serializers check shape only and the services apply the rules."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from capdev.actions.forms import requestable_organisations
from capdev.actions.models import (
    Action,
    ActionPartner,
    ActionType,
    BudgetLine,
    Channel,
    Deliverable,
    DeliverableKind,
    DeliverableStatus,
    FunderShare,
    Level,
    Objective,
    Phase,
    PhaseTransition,
    Request,
    RequestAttachment,
    RequestOrganisation,
    RequestTransition,
)
from capdev.core.permissions import can
from capdev.organisations.models import Organisation
from capdev.reference.models import Country, Region, SpecificArea, ThematicArea


def _absolute(context: dict[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


# --- requests ------------------------------------------------------------------------------


class RequesterSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name", read_only=True)
    type = serializers.CharField(source="organisation.type", read_only=True)

    class Meta:
        model = RequestOrganisation
        fields = ["organisation", "name", "type", "is_lead"]


class RequestTransitionSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()

    class Meta:
        model = RequestTransition
        fields = ["from_status", "to_status", "at", "by", "note"]

    def get_by(self, obj: RequestTransition) -> str | None:
        return obj.by.get_full_name() if obj.by else None


class AttachmentSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = RequestAttachment
        fields = ["id", "title", "content_type", "size", "download"]

    def get_download(self, obj: RequestAttachment) -> str:
        return _absolute(self.context, reverse("actions:request-attachment", args=[obj.request_id, obj.pk]))


class RequestSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:request-detail")
    organisations = RequesterSerializer(source="requesters", many=True, read_only=True)
    countries: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    specific_areas: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    thematic_area: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    action = serializers.SerializerMethodField()

    class Meta:
        model = Request
        fields = [
            "id",
            "url",
            "reference",
            "title",
            "status",
            "organisations",
            "countries",
            "region",
            "thematic_area",
            "specific_areas",
            "statement_of_need",
            "expected_results",
            "target_groups",
            "channel",
            "received_on",
            "decided_on",
            "decision_reason",
            "action",
        ]
        read_only_fields = fields

    def get_action(self, obj: Request) -> int | None:
        action = getattr(obj, "action", None)
        return action.pk if action is not None else None


class RequestDetailSerializer(RequestSerializer):
    transitions = RequestTransitionSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "transitions", "attachments"]
        read_only_fields = fields


class RequestWriteSerializer(serializers.Serializer):
    """Filing a request: organisations by id (the lead among them), countries by ISO code,
    areas by code. Eligibility is checked by the service."""

    organisations = serializers.PrimaryKeyRelatedField(queryset=requestable_organisations(), many=True)
    lead = serializers.PrimaryKeyRelatedField(
        queryset=requestable_organisations(), required=False, allow_null=True
    )
    countries: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), many=True, required=False
    )
    region = serializers.ChoiceField(choices=Region.choices, required=False, allow_blank=True)
    thematic_area: Any = serializers.SlugRelatedField(slug_field="code", queryset=ThematicArea.objects.all())
    specific_areas: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=SpecificArea.objects.all(), many=True, required=False
    )
    title = serializers.CharField(max_length=255)
    statement_of_need = serializers.CharField()
    expected_results = serializers.CharField(required=False, allow_blank=True)
    target_groups = serializers.CharField(required=False, allow_blank=True)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionSerializer(serializers.Serializer):
    decided_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    action_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    action_type = serializers.ChoiceField(choices=ActionType.choices, required=False, allow_null=True)


# --- Actions -------------------------------------------------------------------------------


class PartnerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name", read_only=True)
    acronym = serializers.CharField(source="organisation.acronym", read_only=True)

    class Meta:
        model = ActionPartner
        fields = ["organisation", "name", "acronym", "is_lead"]


class ObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objective
        fields = ["level", "text", "position"]


class PhaseTransitionSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()

    class Meta:
        model = PhaseTransition
        fields = ["from_phase", "to_phase", "on", "by", "note"]

    def get_by(self, obj: PhaseTransition) -> str | None:
        return obj.by.get_full_name() if obj.by else None


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["id", "label", "category", "planned", "committed", "spent", "over_plan_reason"]


class FunderShareSerializer(serializers.ModelSerializer):
    funder_name = serializers.CharField(source="funder.name", read_only=True)

    class Meta:
        model = FunderShare
        fields = ["funder", "funder_name", "fund", "percent"]


class ActionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:action-detail")
    country: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    thematic_area: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    partners = PartnerSerializer(source="partnerships", many=True, read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "url",
            "name",
            "type",
            "phase",
            "country",
            "region",
            "thematic_area",
            "start_date",
            "end_date",
            "partners",
        ]
        read_only_fields = fields


class ActionDetailSerializer(ActionSerializer):
    countries: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    specific_areas: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    request: Any = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    objectives = ObjectiveSerializer(many=True, read_only=True)
    transitions = PhaseTransitionSerializer(many=True, read_only=True)
    budget_lines = serializers.SerializerMethodField()
    funder_shares = serializers.SerializerMethodField()

    class Meta(ActionSerializer.Meta):
        fields = [
            *ActionSerializer.Meta.fields,
            "countries",
            "specific_areas",
            "summary",
            "currency",
            "request",
            "objectives",
            "transitions",
            "budget_lines",
            "funder_shares",
        ]
        read_only_fields = fields

    def _budget_visible(self, obj: Action) -> bool:
        request = self.context.get("request")
        return request is not None and can(request.user, "actions.view_budget", obj)

    def get_budget_lines(self, obj: Action) -> list[dict[str, Any]] | None:
        """Null for users who may not see budgets (experts)."""
        if not self._budget_visible(obj):
            return None
        return BudgetLineSerializer(obj.budget_lines.all(), many=True).data  # type: ignore[return-value]

    def get_funder_shares(self, obj: Action) -> list[dict[str, Any]] | None:
        if not self._budget_visible(obj):
            return None
        return FunderShareSerializer(obj.funder_shares.select_related("funder"), many=True).data  # type: ignore[return-value]


class ObjectivesWriteSerializer(serializers.Serializer):
    individual = serializers.ListField(child=serializers.CharField(), required=False)
    organisational = serializers.ListField(child=serializers.CharField(), required=False)
    enabling = serializers.ListField(child=serializers.CharField(), required=False)


class ActionWriteSerializer(serializers.Serializer):
    """Co-design fields (summary, objectives) for partners; the rest for staff (the service
    refuses staff-only fields to others)."""

    name = serializers.CharField(max_length=120, required=False)
    type = serializers.ChoiceField(choices=ActionType.choices, required=False)
    region = serializers.ChoiceField(choices=Region.choices, required=False, allow_blank=True)
    thematic_area: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=ThematicArea.objects.all(), required=False
    )
    summary = serializers.CharField(required=False, allow_blank=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    countries: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), many=True, required=False
    )
    specific_areas: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=SpecificArea.objects.all(), many=True, required=False
    )
    objectives = ObjectivesWriteSerializer(required=False)

    def objective_map(self) -> dict[str, list[str]] | None:
        data = self.validated_data.get("objectives")
        if data is None:
            return None
        return {level: data[level] for level in Level.values if level in data}


class PhaseChangeSerializer(serializers.Serializer):
    to_phase = serializers.ChoiceField(choices=Phase.choices)
    on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ShareWriteSerializer(serializers.Serializer):
    funder = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    fund = serializers.CharField(required=False, allow_blank=True, default="")
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)


class SharesWriteSerializer(serializers.Serializer):
    shares = ShareWriteSerializer(many=True)


# --- deliverables --------------------------------------------------------------------------


class DeliverableSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "action",
            "activity",
            "kind",
            "title",
            "language",
            "status",
            "due_date",
            "delivered_on",
            "content_type",
            "size",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, obj: Deliverable) -> str | None:
        if not obj.file:
            return None
        return _absolute(self.context, reverse("actions:deliverable-download", args=[obj.action_id, obj.pk]))


class DeliverableWriteSerializer(serializers.Serializer):
    action = serializers.IntegerField(required=False)
    activity = serializers.IntegerField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=DeliverableKind.choices, required=False)
    title = serializers.CharField(max_length=255, required=False)
    language = serializers.CharField(max_length=8, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=DeliverableStatus.choices, required=False)
    due_date = serializers.DateField(required=False, allow_null=True)
    delivered_on = serializers.DateField(required=False, allow_null=True)
    file = serializers.FileField(required=False, write_only=True)
