"""Reference data: countries (ISO 3166-1) with the programme's regions, thematic and specific areas."""

from __future__ import annotations

import functools
import gettext as gettext_module

import pycountry
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from capdev.reference import data


class Region(models.TextChoices):
    """The programme's regions."""

    AFRICA = data.AFRICA, _("Africa")
    ASIA = data.ASIA, _("Asia")
    EU_NEIGHBOURHOOD = data.EU_NEIGHBOURHOOD, _("EU Neighbourhood")
    LATIN_AMERICA = data.LATIN_AMERICA, _("Latin America & Caribbean")
    EU_MEMBER_STATES = data.EU_MEMBER_STATES, _("EU Member States")
    OTHER = data.OTHER, _("Other")


@functools.lru_cache(maxsize=16)
def _iso3166_translations(language: str) -> gettext_module.NullTranslations:
    return gettext_module.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def translated_country_name(name: str, language: str | None = None) -> str:
    """A country's ISO 3166-1 English name in the active language (translations ship with pycountry)."""
    lang = (language or get_language() or "en").split("-")[0]
    if lang == "en":
        return name
    return _iso3166_translations(lang).gettext(name)


class CountryQuerySet(models.QuerySet["Country"]):
    def in_region(self, region: str) -> CountryQuerySet:
        return self.filter(region=region)


class Country(models.Model):
    """An ISO 3166-1 country, in one of the programme's regions."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    alpha3 = models.CharField(max_length=3, unique=True)
    numeric = models.CharField(max_length=3, blank=True)
    name = models.CharField(_("name"), max_length=100)
    iso_name = models.CharField(_("ISO name"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, db_index=True)

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The usual name in the active language (falls back to the ISO name's translation)."""
        translated = translated_country_name(self.name)
        if translated == self.name and self.iso_name and self.iso_name != self.name:
            iso = translated_country_name(self.iso_name)
            if iso != self.iso_name:
                return iso
        return translated


class ThematicArea(models.Model):
    """One of the programme's thematic areas (e.g. International Protection & Asylum)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("thematic area")
        verbose_name_plural = _("thematic areas")

    def __str__(self) -> str:
        return _t(self.name)


class SpecificArea(models.Model):
    """A specific area inside a thematic area (e.g. Migration and Health)."""

    thematic_area = models.ForeignKey(ThematicArea, on_delete=models.PROTECT, related_name="specific_areas")
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["thematic_area__position", "position", "name"]
        verbose_name = _("specific area")
        verbose_name_plural = _("specific areas")

    def __str__(self) -> str:
        return _t(self.name)


def country_choices(
    *, used_by_organisations: bool = False, outside_eu: bool = False
) -> list[tuple[str, str]]:
    """(code, name in the active language) sorted by name, for filter forms. Cached five minutes
    per language: translating 250 names and asking which countries have organisations costs more
    than the rest of a list page. `outside_eu`: without the EU Member States (the countries a
    partner authority, a request or an Action can be in)."""
    from django.core.cache import cache

    lang = (get_language() or "en").split("-")[0]
    key = f"reference:country_choices:{lang}:{int(used_by_organisations)}:{int(outside_eu)}"
    choices: list[tuple[str, str]] | None = cache.get(key)
    if choices is None:
        qs = Country.objects.all()
        if outside_eu:
            qs = qs.exclude(region=Region.EU_MEMBER_STATES)
        if used_by_organisations:
            from capdev.organisations.models import Organisation

            qs = qs.filter(code__in=Organisation.objects.exclude(country=None).values("country_id"))
        choices = sorted(((c.code, c.label) for c in qs.only("code", "name", "iso_name")), key=lambda c: c[1])
        cache.set(key, choices, 300)
    return choices
