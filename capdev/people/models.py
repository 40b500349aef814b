"""People: profiles of public servants, experts and staff, separate from logins."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from capdev.core.models import TimeStampedModel
from capdev.people.querysets import PersonQuerySet
from capdev.reference.data import CEFR_LEVELS, LANGUAGE_CODES


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other / not stated")


def language_choices() -> list[tuple[str, str]]:
    from django.conf.locale import LANG_INFO

    return [(code, LANG_INFO[code]["name"]) for code in LANGUAGE_CODES if code in LANG_INFO]


class Person(TimeStampedModel):
    """A person capdev holds data about. May or may not have a login (`user`).

    Erasure anonymises the profile (names, contact details, login) but keeps sex, nationality and
    organisation so that aggregate statistics stay true.
    """

    first_name = models.CharField(_("first name"), max_length=120)
    last_name = models.CharField(_("last name"), max_length=120, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, db_index=True)
    nationality = models.ForeignKey(
        "reference.Country",
        verbose_name=_("nationality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nationals",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)
    demo_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["organisation", "last_name"]),
            # The directory's order, with the e-mail too: a name search can then be checked on
            # the index alone while walking it in order (no table lookup per row).
            models.Index(fields=["last_name", "first_name", "id", "email"], name="person_directory_search"),
            models.Index(fields=["nationality", "sex"]),
            models.Index(Lower("email"), name="person_email_lower"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="person_email_unique",
                violation_error_message=_("Another person already has this e-mail address."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def get_absolute_url(self) -> str:
        return reverse("people:person-detail", args=[self.pk])


class PersonLanguage(models.Model):
    """A language a person speaks, with a CEFR level (A1–C2) or native."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=8, choices=language_choices)
    level = models.CharField(_("level"), max_length=6, choices=CEFR_LEVELS)

    class Meta:
        ordering = ["person", "language"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [models.UniqueConstraint(fields=["person", "language"], name="person_language_unique")]

    def __str__(self) -> str:
        return f"{self.get_language_display()} ({self.get_level_display()})"
