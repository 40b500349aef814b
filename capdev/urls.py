"""capdev URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from capdev.core.admin import configure_admin_site

configure_admin_site(admin.site)

urlpatterns = [
    path("", include("capdev.portal.urls")),
    path("accounts/", include("capdev.accounts.urls")),
    path("organisations/", include("capdev.organisations.urls")),
    path("people/", include("capdev.people.urls")),
    path("competencies/exchange/", include("capdev.competencies.exchange.urls")),
    path("competencies/", include("capdev.competencies.urls")),
    path("ims/case/v1p1/", include("capdev.competencies.case_urls")),
    path("catalogue/", include("capdev.catalogue.urls")),
    path("courses/", include("capdev.catalogue.public_urls")),
    path("adaptations/", include("capdev.catalogue.adaptation_urls")),
    path("coverage/", include("capdev.catalogue.coverage_urls")),
    path("", include("capdev.actions.urls")),
    path("experts/", include("capdev.experts.urls")),
    path("", include("capdev.cohorts.urls")),
    path("", include("capdev.delivery.urls")),
    path("learning/", include("capdev.learning.urls")),
    path("knowledge/", include("capdev.knowledge.urls")),
    path("portfolio/", include("capdev.portfolio.urls")),
    path("api/v1/", include("capdev.api.urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("i18n/js/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
]

handler400 = "capdev.core.views.error_400"
handler403 = "capdev.core.views.error_403"
handler404 = "capdev.core.views.error_404"
handler500 = "capdev.core.views.error_500"

if settings.DEBUG:  # uploaded files in development only; production serves MEDIA_ROOT behind auth
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
