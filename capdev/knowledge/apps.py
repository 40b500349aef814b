from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "capdev.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from capdev.core.context_processors import register_nav
        from capdev.knowledge import permissions  # noqa: F401

        register_nav(_("Knowledge"), "knowledge:lesson-list", "knowledge.list", "/knowledge/")
