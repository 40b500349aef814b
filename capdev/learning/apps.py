from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "capdev.learning"
    label = "learning"
    verbose_name = _("Online learning")

    def ready(self) -> None:
        # Permission rules, the copier and personal-data registrations (services), file cleanup
        # (signals) and the sections of the run and enrolment pages (panels). "My online courses"
        # is reached from the participant's "My learning" (portal), not from the navigation bar.
        from capdev.learning import panels, permissions, services, signals  # noqa: F401
