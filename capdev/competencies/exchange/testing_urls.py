"""URLconf for the exchange tests: the project's URLs, plus the exchange pages when capdev/urls.py
does not mount them yet (so the tests pass before and after the mount line is added)."""

from django.urls import include, path

from capdev.urls import handler400, handler403, handler404, handler500
from capdev.urls import urlpatterns as project_urlpatterns

_mounted = any(getattr(p, "app_name", None) == "competency_exchange" for p in project_urlpatterns)
urlpatterns = list(project_urlpatterns)
if not _mounted:
    urlpatterns.insert(0, path("competencies/exchange/", include("capdev.competencies.exchange.urls")))

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
