"""API representations of frameworks, versions, items and scales."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from capdev.competencies.models import CompetencyItem, Framework, FrameworkVersion, ProficiencyLevel
from capdev.organisations.models import Organisation


class ProficiencyLevelSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, help_text=_("An existing level to keep (its identifier)."))

    class Meta:
        model = ProficiencyLevel
        fields = ["id", "uuid", "position", "name", "description", "is_threshold"]
        read_only_fields = ["uuid", "position"]


class VersionBriefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:framework-version-detail")

    class Meta:
        model = FrameworkVersion
        fields = ["id", "url", "number", "status", "published_at"]


class FrameworkSerializer(serializers.ModelSerializer):
    """A framework and the versions the user may see. Creating one also creates its draft v1
    (description, languages, subject and licence go to that version)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:framework-detail")
    owner = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    versions = serializers.SerializerMethodField()
    description = serializers.CharField(write_only=True, required=False, allow_blank=True)
    languages = serializers.ListField(child=serializers.CharField(), write_only=True, required=False)
    subject = serializers.CharField(write_only=True, required=False, allow_blank=True)
    licence = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta:
        model = Framework
        fields = [
            "id",
            "url",
            "uuid",
            "title",
            "owner",
            "versions",
            "description",
            "languages",
            "subject",
            "licence",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["uuid", "created_at", "updated_at"]

    def get_versions(self, obj: Framework) -> list[dict[str, Any]]:
        versions = getattr(obj, "visible_versions", None)
        if versions is None:
            from capdev.competencies.models import FrameworkVersion as FV

            versions = FV.objects.visible_to(self.context["request"].user).filter(framework=obj)
        return VersionBriefSerializer(versions, many=True, context=self.context).data  # type: ignore[return-value]


class FrameworkVersionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:framework-version-detail")
    levels = ProficiencyLevelSerializer(many=True, read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = FrameworkVersion
        fields = [
            "id",
            "url",
            "uuid",
            "framework",
            "number",
            "status",
            "title",
            "description",
            "languages",
            "subject",
            "licence",
            "change_note",
            "derived_from",
            "published_at",
            "retired_at",
            "levels",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "uuid",
            "framework",
            "number",
            "status",
            "derived_from",
            "published_at",
            "retired_at",
            "created_at",
            "updated_at",
        ]


class CompetencyItemSerializer(serializers.ModelSerializer):
    """An item of a version's tree. `version` and `parent` are set when creating; afterwards the
    place changes through the `move` endpoint."""

    url = serializers.HyperlinkedIdentityField(view_name="api:competency-item-detail")
    position = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    code = serializers.CharField(required=False, allow_blank=True, max_length=64)
    alignments = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = CompetencyItem
        fields = [
            "id",
            "url",
            "uuid",
            "lineage",
            "version",
            "parent",
            "position",
            "code",
            "kind",
            "nature",
            "statement",
            "notes",
            "alignments",
        ]
        read_only_fields = ["uuid", "lineage"]
        extra_kwargs = {"kind": {"required": False}, "statement": {"allow_blank": True}}
        validators: list[Any] = []  # unique codes are checked by the service, with its message

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        fields["version"].queryset = FrameworkVersion.objects.visible_to(user)  # type: ignore[attr-defined]
        fields["parent"].queryset = CompetencyItem.objects.visible_to(user)  # type: ignore[attr-defined]
        if self.instance is not None:
            fields["version"].read_only = True
            fields["parent"].read_only = True
            fields["position"].read_only = True
        return fields


class MoveSerializer(serializers.Serializer):
    """One of: `direction` (up, down, indent, outdent); `target` and `place` (before, after,
    inside); or `parent` (null for the top level) with an optional `position`."""

    direction = serializers.ChoiceField(choices=["up", "down", "indent", "outdent"], required=False)
    target = serializers.IntegerField(required=False)
    place = serializers.ChoiceField(choices=["before", "after", "inside"], required=False)
    position = serializers.IntegerField(required=False, allow_null=True, min_value=0)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        # "parent" is also an attribute of every DRF field: declare it here, not on the class.
        fields["parent"] = serializers.IntegerField(required=False, allow_null=True)
        return fields


class ScaleSerializer(serializers.ModelSerializer):
    """A version's proficiency scale, lowest level first; PUT replaces it."""

    version = serializers.HyperlinkedIdentityField(view_name="api:framework-version-detail")
    levels = ProficiencyLevelSerializer(many=True)

    class Meta:
        model = FrameworkVersion
        fields = ["id", "version", "levels"]
        read_only_fields = ["id"]


class CompareSerializer(serializers.Serializer):
    """What changed from `old` to `new` (items by id, matched across versions by lineage)."""

    old = serializers.IntegerField()
    new = serializers.IntegerField()
    added = serializers.ListField(child=serializers.DictField())
    removed = serializers.ListField(child=serializers.DictField())
    reworded = serializers.ListField(child=serializers.DictField())
    moved = serializers.ListField(child=serializers.DictField())
    unchanged = serializers.IntegerField()
    scale_changed = serializers.BooleanField()
