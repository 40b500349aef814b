from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "capdev.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue of standard products")

    def ready(self) -> None:
        from capdev.catalogue import permissions  # noqa: F401
        from capdev.core.context_processors import register_nav

        register_nav(_("Catalogue"), "catalogue:course-list", "catalogue.list", "/catalogue/")
        register_nav(
            _("Adaptations"), "adaptations:adaptation-list", "catalogue.list_adaptations", "/adaptations/"
        )
        register_nav(_("Public course catalogue"), "public_catalogue:course-list", None, "/courses/")
