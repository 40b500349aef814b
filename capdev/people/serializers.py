from __future__ import annotations

from typing import Any

from rest_framework import serializers

from capdev.people.models import Person, PersonLanguage


class PersonLanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonLanguage
        fields = ["language", "level"]


class PersonSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail")
    languages = PersonLanguageSerializer(many=True, required=False)

    class Meta:
        model = Person
        fields = [
            "id",
            "url",
            "first_name",
            "last_name",
            "sex",
            "nationality",
            "organisation",
            "position",
            "email",
            "phone",
            "languages",
            "erased_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["erased_at", "created_at", "updated_at"]
        extra_kwargs = {"email": {"required": False}}

    def validate_organisation(self, value: Any) -> Any:
        from capdev.core.roles import roles_of
        from capdev.organisations.querysets import scoped_org_ids

        user = self.context["request"].user
        if roles_of(user).is_staff:
            return value
        allowed = scoped_org_ids(user, "focal_point")
        if self.instance is not None and self.instance.organisation_id:
            allowed = allowed | {self.instance.organisation_id}
        if value is None or value.pk not in allowed:
            raise serializers.ValidationError("Choose one of your own organisations.")
        return value
