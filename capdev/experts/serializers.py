from __future__ import annotations

from typing import Any

from rest_framework import serializers

from capdev.experts.models import Deployment, ExpertProfile
from capdev.people.serializers import PersonLanguageSerializer


class ExpertSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:expert-detail")
    name = serializers.CharField(source="person.full_name", read_only=True)
    sex = serializers.CharField(source="person.sex", read_only=True)
    nationality = serializers.CharField(source="person.nationality_id", read_only=True)
    languages = PersonLanguageSerializer(source="person.languages", many=True, read_only=True)
    thematic_areas: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    specific_areas: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = ExpertProfile
        fields = [
            "id",
            "url",
            "person",
            "name",
            "sex",
            "nationality",
            "languages",
            "institution",
            "institution_type",
            "proposed_by",
            "years_experience",
            "thematic_areas",
            "specific_areas",
            "regions",
            "consent_to_contact",
            "active",
            "feedback_average",
            "feedback_count",
        ]
        read_only_fields = fields


class DeploymentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:deployment-detail")

    class Meta:
        model = Deployment
        fields = [
            "id",
            "url",
            "activity",
            "expert",
            "status",
            "role",
            "match_score",
            "responded_at",
            "feedback_score",
            "feedback",
            "created_at",
        ]
        read_only_fields = fields
