"""REST API v1: every app's viewsets on one router, plus the OpenAPI schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import DefaultRouter

from capdev.organisations.api import OrganisationViewSet
from capdev.people.api import PersonViewSet
from capdev.reference.api import CountryViewSet, ThematicAreaViewSet

app_name = "api"
router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("people", PersonViewSet, basename="person")
router.register("countries", CountryViewSet, basename="country")
router.register("thematic-areas", ThematicAreaViewSet, basename="thematic-area")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api:schema"), name="docs"),
]
