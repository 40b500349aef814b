from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "capdev.learning"
    label = "learning"
    verbose_name = _("Online learning")

    def ready(self) -> None:
        # Permission rules, the copier and personal-data registrations (services), file cleanup
        # (signals), the sections of the run and enrolment pages (panels), and the navigation.
        from capdev.core.context_processors import register_nav
        from capdev.learning import panels, permissions, services, signals  # noqa: F401

        register_nav(_("My online courses"), "learning:my-courses", "learning.my_courses", "/learning/my/")
