"""Serializers of the cohorts API: reads of runs, programmes, calls, applications and enrolments,
and the payloads of the writes (which go through the services)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from capdev.actions.models import Action, Activity
from capdev.catalogue.models import CourseVersion
from capdev.cohorts.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    NominationQuota,
    Programme,
    RunStatus,
    RunTrainer,
)
from capdev.organisations.models import Organisation
from capdev.people.models import Person
from capdev.reference.models import Country


def status_field(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    """A choice field whose values are listed inline in the schema. Four models here have a
    `status` with different values; inline enums keep them apart without a global name override."""
    schema = {
        "type": "string",
        "enum": [value for value, _label in choices],
        "description": "; ".join(f"`{value}`: {label}" for value, label in choices),
    }
    field_class = extend_schema_field(schema)(type("StatusField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


class RunTrainerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = RunTrainer
        fields = ["person", "name", "role"]
        read_only_fields = fields


class RunSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:run-detail")
    status = status_field(RunStatus.choices, read_only=True)
    trainers = RunTrainerSerializer(many=True, read_only=True)
    seats_taken = serializers.SerializerMethodField(help_text="Active enrolments plus open offers.")

    class Meta:
        model = CourseRun
        fields = [
            "id",
            "url",
            "code",
            "title",
            "course_version",
            "programme",
            "position",
            "action",
            "activity",
            "organiser",
            "host",
            "cohort_label",
            "language",
            "start_date",
            "end_date",
            "venue",
            "city",
            "country",
            "capacity",
            "seats_taken",
            "status",
            "cancellation_reason",
            "trainers",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.INT)
    def get_seats_taken(self, obj: CourseRun) -> int:
        taken = getattr(obj, "seats_taken", None)
        if taken is None:
            from capdev.cohorts.services.seats import seats_taken

            taken = seats_taken([obj.pk])[obj.pk]
        return int(taken)


class RunWriteSerializer(serializers.Serializer):
    """A run to plan or change (the rules are the service's)."""

    title = serializers.CharField(max_length=255)
    code = serializers.SlugField(max_length=80, required=False, allow_blank=True)
    course_version = serializers.PrimaryKeyRelatedField(queryset=CourseVersion.objects.all())
    action = serializers.PrimaryKeyRelatedField(
        queryset=Action.objects.all(), required=False, allow_null=True
    )
    activity = serializers.PrimaryKeyRelatedField(
        queryset=Activity.objects.all(), required=False, allow_null=True
    )
    organiser = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    host = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    cohort_label = serializers.CharField(max_length=120, required=False, allow_blank=True)
    language = serializers.CharField(max_length=8)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    venue = serializers.CharField(max_length=255, required=False, allow_blank=True)
    city = serializers.CharField(max_length=120, required=False, allow_blank=True)
    country = serializers.PrimaryKeyRelatedField(
        queryset=Country.objects.all(), required=False, allow_null=True
    )
    capacity = serializers.IntegerField(min_value=1, max_value=10_000)


class RunStatusSerializer(serializers.Serializer):
    status = serializers.CharField(
        max_length=12,
        help_text="The new status: `open`, `planned`, `in_progress`, `completed` or `cancelled`.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class ProgrammeSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:programme-detail")
    runs = serializers.SerializerMethodField(help_text="The programme's runs, in order.")

    class Meta:
        model = Programme
        fields = [
            "id",
            "url",
            "code",
            "title",
            "cohort_label",
            "description",
            "organiser",
            "action",
            "start_date",
            "end_date",
            "runs",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_runs(self, obj: Programme) -> list[int]:
        return [r.pk for r in sorted(obj.runs.all(), key=lambda r: (r.position, r.start_date, r.pk))]


class ProgrammeWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    code = serializers.SlugField(max_length=60, required=False, allow_blank=True)
    cohort_label = serializers.CharField(max_length=120, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    organiser = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    action = serializers.PrimaryKeyRelatedField(
        queryset=Action.objects.all(), required=False, allow_null=True
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)


class ProgrammeRunSerializer(serializers.Serializer):
    run = serializers.PrimaryKeyRelatedField(queryset=CourseRun.objects.all())


class QuotaSerializer(serializers.ModelSerializer):
    class Meta:
        model = NominationQuota
        fields = ["organisation", "places"]
        read_only_fields = fields


class LanguageRequirementSerializer(serializers.Serializer):
    language = serializers.CharField(max_length=8)
    level = serializers.CharField(max_length=6)


class CallSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:call-detail")
    status = status_field(CallStatus.choices, read_only=True)
    countries: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    languages = LanguageRequirementSerializer(many=True, read_only=True)
    quotas = QuotaSerializer(many=True, read_only=True)

    class Meta:
        model = Call
        fields = [
            "id",
            "url",
            "title",
            "run",
            "programme",
            "description",
            "status",
            "opens_at",
            "deadline",
            "accepts_applications",
            "accepts_nominations",
            "organisation_types",
            "countries",
            "positions",
            "languages",
            "women_target_percent",
            "default_quota",
            "quotas",
            "offer_days",
        ]
        read_only_fields = fields


class CallWriteSerializer(serializers.Serializer):
    """A call for a run or a programme (exactly one), and its candidate profile."""

    run = serializers.PrimaryKeyRelatedField(
        queryset=CourseRun.objects.all(), required=False, allow_null=True
    )
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(), required=False, allow_null=True
    )
    title = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True)
    opens_at = serializers.DateTimeField(required=False, allow_null=True)
    deadline = serializers.DateTimeField()
    accepts_applications = serializers.BooleanField(required=False, default=True)
    accepts_nominations = serializers.BooleanField(required=False, default=True)
    organisation_types = serializers.ListField(child=serializers.CharField(), required=False)
    countries = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all(), many=True, required=False)
    positions = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    languages = LanguageRequirementSerializer(many=True, required=False)
    women_target_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    default_quota = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    offer_days = serializers.IntegerField(min_value=1, max_value=365, required=False, default=5)


class QuotaWriteSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    places = serializers.IntegerField(min_value=0, max_value=10_000)


class ApplicationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:application-detail")
    status = status_field(ApplicationStatus.choices, read_only=True)
    name = serializers.CharField(source="person.full_name", read_only=True)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "url",
            "call",
            "person",
            "name",
            "organisation",
            "source",
            "status",
            "motivation",
            "waitlist_rank",
            "decision_reason",
            "decided_at",
            "offer_expires_on",
            "profile_fit",
            "fit_misses",
            "attachments",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_attachments(self, obj: Application) -> list[str]:
        return [a.title for a in obj.attachments.all()]


class ApplySerializer(serializers.Serializer):
    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.all())
    motivation = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class NominateSerializer(ApplySerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class PositionSerializer(serializers.Serializer):
    position = serializers.IntegerField(min_value=1)


class EnrolmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:enrolment-detail")
    status = status_field(EnrolmentStatus.choices, read_only=True)
    name = serializers.CharField(source="person.full_name", read_only=True)
    cleared_for_face_to_face = serializers.BooleanField(read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "url",
            "run",
            "person",
            "name",
            "application",
            "status",
            "enrolled_at",
            "online_progress",
            "online_started_at",
            "online_completed_at",
            "gate_waived_at",
            "cleared_for_face_to_face",
            "sessions_attended",
            "sessions_counted",
            "attendance_rate",
            "completed_at",
            "withdrawn_at",
        ]
        read_only_fields = fields
