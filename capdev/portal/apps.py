from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The home dashboard, the personal spaces and other pages that read across every app."""

    name = "capdev.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from capdev.core.context_processors import register_nav
        from capdev.portal import permissions  # noqa: F401  (rules)

        register_nav(_("My learning"), "portal:my-learning", "portal.my_learning_nav", "/my/learning/")
        register_nav(_("My runs"), "portal:my-runs", "portal.my_runs", "/my/runs/")
        register_nav(_("My calendar"), "delivery:my-calendar", "portal.my_learning", "/calendar/")
        register_nav(_("Attendance"), "delivery:attendance-list", "delivery.list_attendance", "/attendance/")
        register_nav(_("Participants"), "portal:participant-list", "portal.participants", "/participants/")
        register_nav(_("Run overview"), "portal:run-overview", "portal.run_overview", "/overview/runs/")
