"""REST API v1: every app's viewsets on one router, plus the OpenAPI schema and its docs.

Each app lists its endpoints in `<app>/api.py` as `ROUTES = [(prefix, viewset, basename), ...]`;
they are discovered here so that apps never edit this file.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import DefaultRouter

app_name = "api"
router = DefaultRouter()

for config in apps.get_app_configs():
    if not config.name.startswith("capdev.") or find_spec(f"{config.name}.api") is None:
        continue
    for prefix, viewset, basename in getattr(import_module(f"{config.name}.api"), "ROUTES", []):
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api:schema"), name="docs"),
]
