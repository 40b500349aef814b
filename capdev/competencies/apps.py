from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenciesConfig(AppConfig):
    name = "capdev.competencies"
    label = "competencies"
    verbose_name = _("Competency frameworks")

    def ready(self) -> None:
        from capdev.competencies import permissions  # noqa: F401
        from capdev.core.context_processors import register_nav

        register_nav(_("Competencies"), "competencies:framework-list", "competencies.list", "/competencies/")
