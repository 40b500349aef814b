from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "capdev.experts"
    label = "experts"
    verbose_name = _("Expert roster")

    def ready(self) -> None:
        from capdev.core.context_processors import register_nav
        from capdev.experts import permissions, services  # noqa: F401  (rules, personal-data registry)

        register_nav(_("Activities"), "actions:activity-list", "activities.list", "/activities/")
        register_nav(_("Experts"), "experts:expert-list", "experts.list", "/experts/")
        register_nav(
            _("My invitations"), "experts:invitation-list", "experts.invitations_nav", "/experts/invitations/"
        )
