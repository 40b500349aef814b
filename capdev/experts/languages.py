"""The working language(s) of an activity, for matching.

An activity that delivers a catalogue product works in that product version's languages;
otherwise in the official language(s) of the country where it takes place (or of the Action's
country or countries), from the small table below. English when nothing else is known.
"""

from __future__ import annotations

from typing import Any

from capdev.reference import data

_GROUPS: dict[tuple[str, ...], str] = {
    ("es",): "AR BO CL CO CR CU DO EC SV GT HN MX NI PA PY PE UY VE ES GQ",
    ("pt",): "BR PT AO MZ CV GW ST TL",
    ("fr",): "FR BJ BF BI CM CF TD KM CG CD CI DJ GA GN HT MG ML NE RW SN SC TG",
    ("ar",): "BH EG IQ JO KW LY OM PS QA SA SD SY AE YE",
    ("ar", "fr"): "DZ MA TN MR LB",
    ("ru",): "RU BY KZ KG TJ UZ TM",
    ("ru", "en"): "AM AZ GE MD UA",
    ("fr", "nl"): "BE",
    ("en", "fr"): "CA",
}

COUNTRY_LANGUAGES: dict[str, tuple[str, ...]] = {
    code: langs for langs, codes in _GROUPS.items() for code in codes.split()
}

REGION_LANGUAGES: dict[str, tuple[str, ...]] = {
    data.LATIN_AMERICA: ("es",),
    data.EU_NEIGHBOURHOOD: ("en",),
    data.AFRICA: ("en", "fr"),
    data.ASIA: ("en",),
}


def country_languages(code: str | None) -> tuple[str, ...]:
    return COUNTRY_LANGUAGES.get(code or "", ("en",)) if code else ()


def working_languages(activity: Any) -> list[str]:
    """The languages the activity works in, most important first."""
    version = activity.course_version
    if version is not None and version.languages:
        return list(dict.fromkeys(version.languages))
    if activity.country_id:
        return list(country_languages(activity.country_id))
    action = activity.action
    if action.country_id:
        return list(country_languages(action.country_id))
    codes = [c.code for c in action.countries.all()]
    if codes:
        return list(dict.fromkeys(lang for code in codes for lang in country_languages(code)))
    return list(REGION_LANGUAGES.get(action.region, ("en",)))


def activity_region(activity: Any) -> str:
    """The programme region the activity belongs to (its country's, else the Action's)."""
    if activity.country_id and activity.country is not None:
        return str(activity.country.region)
    action = activity.action
    if action.region:
        return str(action.region)
    if action.country_id and action.country is not None:
        return str(action.country.region)
    return ""
