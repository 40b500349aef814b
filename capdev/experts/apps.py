from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "capdev.experts"
    label = "experts"
    verbose_name = _("Expert roster")

    def ready(self) -> None:
        from capdev.experts import permissions  # noqa: F401
