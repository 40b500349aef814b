"""API representations of the catalogue. Reads nest a version's whole content; writes are
validated here for shape only and applied by the services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from capdev.catalogue.models import (
    CompletionRule,
    Course,
    CourseVersion,
    DeliveryMode,
    DeliveryPart,
    LearningObjective,
    Material,
    Module,
    ObjectiveCompetency,
    PartKind,
    QualificationFramework,
    RuleKind,
)
from capdev.competencies.models import CompetencyItem, FrameworkVersion, ProficiencyLevel
from capdev.organisations.models import Organisation
from capdev.reference.models import ThematicArea


class ObjectiveMappingSerializer(serializers.ModelSerializer):
    competency_code = serializers.CharField(source="competency.code", read_only=True)
    competency_statement = serializers.CharField(source="competency.statement", read_only=True)
    target_level_name = serializers.CharField(source="target_level.name", read_only=True)

    class Meta:
        model = ObjectiveCompetency
        fields = [
            "competency",
            "competency_code",
            "competency_statement",
            "target_level",
            "target_level_name",
        ]


class LearningObjectiveSerializer(serializers.ModelSerializer):
    mappings = ObjectiveMappingSerializer(many=True, read_only=True)

    class Meta:
        model = LearningObjective
        fields = ["id", "module", "lineage", "position", "text", "is_core", "mappings"]
        read_only_fields = ["module", "lineage", "position"]


class CourseMaterialSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Material
        fields = ["id", "module", "language", "title", "url", "content_type", "size", "download"]

    def get_download(self, obj: Material) -> str | None:
        if not obj.file:
            return None
        from django.urls import reverse

        path = reverse("catalogue:material-download", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class CourseModuleSerializer(serializers.ModelSerializer):
    objectives = LearningObjectiveSerializer(many=True, read_only=True)
    materials = CourseMaterialSerializer(many=True, read_only=True)

    class Meta:
        model = Module
        fields = [
            "id",
            "version",
            "lineage",
            "position",
            "title",
            "summary",
            "part",
            "local_examples",
            "objectives",
            "materials",
        ]
        read_only_fields = ["version", "lineage", "position"]


class DeliveryPartSerializer(serializers.ModelSerializer):
    description = serializers.CharField(read_only=True)

    class Meta:
        model = DeliveryPart
        fields = [
            "id",
            "version",
            "position",
            "kind",
            "title",
            "days",
            "weeks",
            "hours",
            "gates_next",
            "description",
        ]
        read_only_fields = ["version", "position"]


class CompletionRuleSerializer(serializers.ModelSerializer):
    sentence = serializers.CharField(read_only=True)

    class Meta:
        model = CompletionRule
        fields = ["id", "kind", "threshold", "level", "sentence"]


class CourseVersionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:course-version-detail")
    code = serializers.CharField(source="course.code", read_only=True)
    thematic_areas: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    total_hours = serializers.DecimalField(max_digits=7, decimal_places=1, read_only=True)

    class Meta:
        model = CourseVersion
        fields = [
            "id",
            "url",
            "uuid",
            "course",
            "code",
            "number",
            "status",
            "title",
            "summary",
            "target_audience",
            "thematic_areas",
            "languages",
            "mode",
            "framework_version",
            "contact_hours",
            "self_study_hours",
            "assessment_hours",
            "total_hours",
            "ects_credits",
            "qualification_framework",
            "qualification_level",
            "accredited_by",
            "based_on",
            "derived_from",
            "change_note",
            "published_at",
            "retired_at",
        ]
        read_only_fields = fields


class CourseVersionDetailSerializer(CourseVersionSerializer):
    parts = DeliveryPartSerializer(many=True, read_only=True)
    modules = CourseModuleSerializer(many=True, read_only=True)
    rules = CompletionRuleSerializer(many=True, read_only=True)

    class Meta(CourseVersionSerializer.Meta):
        fields = [*CourseVersionSerializer.Meta.fields, "parts", "modules", "rules"]
        read_only_fields = fields


class CourseVersionWriteSerializer(serializers.Serializer):
    """The fields of a draft that `update_version` changes (all optional for PATCH)."""

    title = serializers.CharField(max_length=255, required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    target_audience = serializers.CharField(required=False, allow_blank=True)
    thematic_areas = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=ThematicArea.objects.all(), required=False
    )
    languages = serializers.ListField(child=serializers.CharField(max_length=8), required=False)
    mode = serializers.ChoiceField(choices=DeliveryMode.choices, required=False)
    framework_version = serializers.PrimaryKeyRelatedField(
        queryset=FrameworkVersion.objects.all(), allow_null=True, required=False
    )
    contact_hours = serializers.DecimalField(max_digits=6, decimal_places=1, required=False)
    self_study_hours = serializers.DecimalField(max_digits=6, decimal_places=1, required=False)
    assessment_hours = serializers.DecimalField(max_digits=6, decimal_places=1, required=False)
    ects_credits = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, required=False)
    qualification_framework = serializers.ChoiceField(
        choices=QualificationFramework.choices, allow_blank=True, required=False
    )
    qualification_level = serializers.IntegerField(allow_null=True, required=False)
    accredited_by = serializers.CharField(max_length=255, allow_blank=True, required=False)
    change_note = serializers.CharField(allow_blank=True, required=False)


class CourseSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:course-detail")
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = ["id", "url", "uuid", "code", "kind", "owner", "adapted_from", "versions", "created_at"]
        read_only_fields = fields

    def get_versions(self, obj: Course) -> list[dict[str, Any]]:
        visible = getattr(obj, "visible_versions", None)
        rows = visible if visible is not None else obj.versions.all()
        return [{"id": v.pk, "number": v.number, "status": v.status, "title": v.title} for v in rows]


class CourseCreateSerializer(CourseVersionWriteSerializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    title = serializers.CharField(max_length=255)
    code = serializers.SlugField(max_length=60, required=False, allow_blank=True)


class DeliveryPartWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PartKind.choices, required=False)
    title = serializers.CharField(max_length=255, allow_blank=True, required=False)
    days = serializers.IntegerField(allow_null=True, required=False)
    weeks = serializers.IntegerField(allow_null=True, required=False)
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True, required=False)
    gates_next = serializers.BooleanField(required=False)


class CourseModuleWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255, required=False)
    summary = serializers.CharField(allow_blank=True, required=False)
    part = serializers.PrimaryKeyRelatedField(
        queryset=DeliveryPart.objects.all(), allow_null=True, required=False
    )
    local_examples = serializers.CharField(allow_blank=True, required=False)


class ObjectiveMappingWriteSerializer(serializers.Serializer):
    competency = serializers.PrimaryKeyRelatedField(queryset=CompetencyItem.objects.all())
    target_level = serializers.PrimaryKeyRelatedField(queryset=ProficiencyLevel.objects.all())


class LearningObjectiveWriteSerializer(serializers.Serializer):
    text = serializers.CharField(required=False)
    is_core = serializers.BooleanField(required=False)
    mappings = ObjectiveMappingWriteSerializer(many=True, required=False)


class CompletionRuleWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    threshold = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, required=False)
    level = serializers.PrimaryKeyRelatedField(
        queryset=ProficiencyLevel.objects.all(), allow_null=True, required=False
    )


class CourseDeriveSerializer(serializers.Serializer):
    change_note = serializers.CharField(allow_blank=True, required=False)
