from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    """The portfolio dashboard: requests, Actions, countries, experts, activities and
    participants, as charts with data tables, filterable and exportable."""

    name = "capdev.portfolio"
    label = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self) -> None:
        from capdev.core.context_processors import register_nav
        from capdev.portfolio import permissions  # noqa: F401

        register_nav(_("Portfolio"), "portfolio:dashboard", "portfolio.view", "/portfolio/")
