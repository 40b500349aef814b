from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The home dashboard and other pages that read across every app."""

    name = "capdev.portal"
    label = "portal"
    verbose_name = _("Portal")
