from __future__ import annotations

from rest_framework import serializers

from capdev.reference.models import Country, SpecificArea, ThematicArea


class CountrySerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(source="label", read_only=True)

    class Meta:
        model = Country
        fields = ["code", "alpha3", "name", "display_name", "region"]


class SpecificAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpecificArea
        fields = ["code", "name"]


class ThematicAreaSerializer(serializers.ModelSerializer):
    specific_areas = SpecificAreaSerializer(many=True, read_only=True)

    class Meta:
        model = ThematicArea
        fields = ["code", "name", "specific_areas"]
