"""Organisations: partner authorities, training institutions, implementers, donors and others."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from capdev.core.models import TimeStampedModel
from capdev.organisations.querysets import OrganisationQuerySet
from capdev.reference.models import Country, Region


class OrganisationType(models.TextChoices):
    PARTNER_AUTHORITY = "partner", _("Partner authority")
    TRAINING_INSTITUTION = "training", _("Training institution")
    IMPLEMENTING = "implementing", _("Implementing organisation")
    DONOR = "donor", _("Donor")
    CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
    INTERNATIONAL = "international", _("International organisation")
    MEMBER_STATE = "member_state", _("EU Member State administration")


class Organisation(TimeStampedModel):
    """An organisation capdev works with. Its region follows its country unless set (regional bodies)."""

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=OrganisationType.choices, db_index=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("Leave empty for international or regional organisations."),
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("general e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    description = models.TextField(_("description"), blank=True)
    demo_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["country", "type"]),
            models.Index(fields=["region", "type"]),
            models.Index(fields=["name", "id"], name="organisation_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:organisation-detail", args=[self.pk])

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.country_id and not self.region:
            self.region = Country.objects.filter(pk=self.country_id).values_list("region", flat=True)[0]
        super().save(*args, **kwargs)


class OrganisationContact(models.Model):
    """A person to contact at an organisation, and in what capacity (e.g. head of training unit)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="contact_roles")
    capacity = models.CharField(_("capacity"), max_length=120)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        ordering = ["-is_primary", "capacity"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person"], name="organisation_contact_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.capacity}"
