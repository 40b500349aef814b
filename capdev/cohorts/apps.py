from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "capdev.cohorts"
    label = "cohorts"
    verbose_name = _("Course runs and cohorts")

    def ready(self) -> None:
        from capdev.cohorts import permissions, services  # noqa: F401  (rules, personal-data registry)
        from capdev.core.context_processors import register_nav

        # The "Delivery" menu (core.context_processors.MENUS lists these URL names).
        register_nav(_("Course runs"), "cohorts:run-list", "cohorts.list_runs", "/runs/")
        register_nav(_("Programmes"), "cohorts:programme-list", "cohorts.programmes_nav", "/programmes/")
        register_nav(_("Calls for participants"), "cohorts:call-list", "cohorts.list_calls", "/calls/")
        register_nav(
            _("Applications"), "cohorts:application-list", "cohorts.list_applications", "/applications/"
        )
