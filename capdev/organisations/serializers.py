from __future__ import annotations

from rest_framework import serializers

from capdev.organisations.models import Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:organisation-detail")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "url",
            "name",
            "acronym",
            "type",
            "country",
            "region",
            "parent",
            "website",
            "email",
            "phone",
            "address",
            "description",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
