from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "capdev.delivery"
    label = "delivery"
    verbose_name = _("Sessions and attendance")

    def ready(self) -> None:
        import importlib
        from importlib.util import find_spec

        # Permission rules and personal-data registrations, once the modules exist.
        for module in ("permissions", "services", "panels"):
            if find_spec(f"{self.name}.{module}") is not None:
                importlib.import_module(f"{self.name}.{module}")

        from capdev.core.context_processors import register_nav

        # Trainers reach their attendance sheets from "Today" (staff from the runs' pages).
        register_nav(_("Today"), "delivery:today", "delivery.today_nav", "/sessions/today/")
