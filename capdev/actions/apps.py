from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "capdev.actions"
    label = "actions"
    verbose_name = _("Requests and Actions")

    def ready(self) -> None:
        from capdev.actions import permissions  # noqa: F401
