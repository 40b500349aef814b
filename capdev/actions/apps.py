from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "capdev.actions"
    label = "actions"
    verbose_name = _("Requests and Actions")

    def ready(self) -> None:
        from capdev.actions import permissions  # noqa: F401
        from capdev.core.context_processors import register_nav

        register_nav(_("Requests"), "actions:request-list", "requests.list", "/requests/")
        register_nav(_("Actions"), "actions:action-list", "actions.list", "/actions/")
