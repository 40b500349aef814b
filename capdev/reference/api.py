from __future__ import annotations

from typing import Any

from rest_framework import viewsets

from capdev.reference.models import Country, ThematicArea
from capdev.reference.serializers import CountrySerializer, ThematicAreaSerializer


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CountrySerializer
    queryset = Country.objects.all().order_by("code")
    filterset_fields = ["region"]
    lookup_field = "code"


class ThematicAreaViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ThematicAreaSerializer
    lookup_field = "code"

    def get_queryset(self) -> Any:
        return ThematicArea.objects.prefetch_related("specific_areas")


ROUTES = [("countries", CountryViewSet, "country"), ("thematic-areas", ThematicAreaViewSet, "thematic-area")]
