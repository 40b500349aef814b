"""Demo expert roster: profiles for the 60 named experts of the demo programme (people of EU
Member State administrations, `expert-01` … `expert-60`, expert-01 being the trainer login),
their availability windows, and synthetic experts for benchmarks (50 per scale unit).

Deterministic (seeded `random.Random` per expert / per block) and idempotent (`demo_key` on each
profile: a second load creates only what is missing). Named profiles go through the services;
the synthetic block is bulk-created. Deployments and feedback come with the activities
(`capdev.demo.activities`), which must run after this module.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction

from capdev.demo import names
from capdev.experts import services
from capdev.experts.models import Availability, ExpertProfile, InstitutionType
from capdev.organisations.models import Organisation
from capdev.people.models import Person, PersonLanguage
from capdev.reference import data
from capdev.reference.models import SpecificArea, ThematicArea

Progress = Callable[[str], None]
D = datetime.date
SYN_EXPERTS_PER_UNIT = 50

# Home institution (demo key) → type of institution.
INSTITUTION_TYPES: dict[str, str] = {
    "de-bamf": InstitutionType.ASYLUM,
    "de-bmi": InstitutionType.INTERIOR,
    "de-aa": InstitutionType.FOREIGN_AFFAIRS,
    "at-bmi": InstitutionType.INTERIOR,
    "at-bfa": InstitutionType.ASYLUM,
    "fr-ofpra": InstitutionType.ASYLUM,
    "fr-dgef": InstitutionType.INTERIOR,
    "fr-meae": InstitutionType.FOREIGN_AFFAIRS,
    "be-dvz": InstitutionType.INTERIOR,
    "be-cgrs": InstitutionType.ASYLUM,
    "nl-ind": InstitutionType.ASYLUM,
    "nl-jenv": InstitutionType.JUSTICE,
    "es-missm": InstitutionType.LABOUR,
    "es-oar": InstitutionType.ASYLUM,
    "es-ed": InstitutionType.ACADEMIA,
    "it-dlci": InstitutionType.INTERIOR,
    "it-mlps": InstitutionType.LABOUR,
    "pt-aima": InstitutionType.INTERIOR,
    "pt-mne": InstitutionType.FOREIGN_AFFAIRS,
    "pl-udsc": InstitutionType.ASYLUM,
    "se-mv": InstitutionType.ASYLUM,
    "fi-migri": InstitutionType.ASYLUM,
    "gr-mma": InstitutionType.ASYLUM,
    "ro-igi": InstitutionType.BORDER,
    "mt-ipa": InstitutionType.ASYLUM,
    "ie-ipo": InstitutionType.ASYLUM,
    "cz-oamp": InstitutionType.INTERIOR,
}

# Type of institution → the thematic areas its people usually know.
THEMES: dict[str, tuple[str, ...]] = {
    InstitutionType.ASYLUM: ("protection",),
    InstitutionType.INTERIOR: ("irregular", "legal"),
    InstitutionType.FOREIGN_AFFAIRS: ("horizontal", "development"),
    InstitutionType.LABOUR: ("legal", "development"),
    InstitutionType.JUSTICE: ("irregular", "protection"),
    InstitutionType.BORDER: ("irregular",),
    InstitutionType.ACADEMIA: ("horizontal",),
    InstitutionType.HEALTH: ("horizontal",),
    InstitutionType.LOCAL: ("legal",),
    InstitutionType.OTHER: ("horizontal",),
}

# A language spoken well makes work in a region likely.
LANGUAGE_REGIONS: dict[str, tuple[str, ...]] = {
    "es": (data.LATIN_AMERICA,),
    "pt": (data.LATIN_AMERICA, data.AFRICA),
    "fr": (data.AFRICA, data.EU_NEIGHBOURHOOD),
    "ar": (data.EU_NEIGHBOURHOOD, data.AFRICA),
    "ru": (data.EU_NEIGHBOURHOOD, data.ASIA),
    "en": (data.ASIA, data.AFRICA),
}
GOOD_LEVELS = {"B2", "C1", "C2", "native"}
PARTNER_REGIONS = (data.AFRICA, data.ASIA, data.EU_NEIGHBOURHOOD, data.LATIN_AMERICA)

# Experts deployed on the named activities (capdev.demo.activities): they consented to be contacted.
DEPLOYED = {f"expert-{n:02d}" for n in (1, 2, 5, 7, 9, 12, 14, 18, 22, 30)}

# The trainer login's profile, written by hand (DOMAIN.md: a ToT trainer in Portuguese).
KATRIN: dict[str, Any] = {
    "thematic": ("protection", "horizontal"),
    "specific": ("asylum_procedures", "legal_assistance", "training_capacities", "health"),
    "regions": [data.LATIN_AMERICA, data.ASIA],
    "years": 18,
    "bio": "Senior trainer on asylum procedures at the BAMF; designs and delivers Training of Trainers "
    "courses and coaches new trainers. Deployed in Brazil, Costa Rica and El Salvador.",
    "windows": ((D(2026, 11, 30), D(2027, 3, 31), "Remote or on mission"),),
}


def _profile_values(rng: random.Random, inst_type: str, languages: list[tuple[str, str]]) -> dict[str, Any]:
    """Thematic and specific areas, regions, experience and consent, drawn for one expert."""
    themes = list(THEMES.get(inst_type, ("horizontal",)))
    if rng.random() < 0.4:
        extra = rng.choice(("irregular", "legal", "protection", "development", "horizontal"))
        if extra not in themes:
            themes.append(extra)
    regions: set[str] = set()
    for code, level in languages:
        if level in GOOD_LEVELS and code in LANGUAGE_REGIONS and rng.random() < 0.7:
            regions.add(rng.choice(LANGUAGE_REGIONS[code]))
    if not regions or rng.random() < 0.3:
        regions.add(rng.choice(PARTNER_REGIONS))
    return {
        "themes": themes,
        "regions": sorted(regions),
        "years": rng.randrange(4, 31),
        "consent": rng.random() < 0.92,
    }


def _specifics(rng: random.Random, themes: list[str], by_theme: dict[str, list[str]]) -> list[str]:
    pool = [code for theme in themes for code in by_theme.get(theme, [])]
    return sorted(set(rng.sample(pool, k=min(len(pool), rng.randrange(1, 4))))) if pool else []


def _windows(rng: random.Random) -> list[tuple[D, D]]:
    """One to three availability windows between September 2026 and the end of 2027."""
    out = []
    start = D(2026, 9, 1) + datetime.timedelta(days=rng.randrange(0, 90))
    for _ in range(rng.randrange(1, 4)):
        end = start + datetime.timedelta(days=rng.randrange(14, 90))
        out.append((start, end))
        start = end + datetime.timedelta(days=rng.randrange(20, 120))
    return out


def _load_named(say: Progress) -> int:
    people = {
        p.demo_key: p
        for p in Person.objects.filter(demo_key__startswith="expert-").select_related("organisation")
        if p.demo_key
    }
    existing = set(
        ExpertProfile.objects.filter(demo_key__startswith="expert-").values_list("demo_key", flat=True)
    )
    themes = dict(ThematicArea.objects.values_list("code", "pk"))
    specifics = {s.code: s for s in SpecificArea.objects.select_related("thematic_area")}
    by_theme: dict[str, list[str]] = {}
    for s in specifics.values():
        by_theme.setdefault(s.thematic_area.code, []).append(s.code)
    created = 0
    for key in sorted(people):
        if key in existing:
            continue
        person = people[key]
        rng = random.Random(f"capdev-demo:expert-profile:{key}")
        org = person.organisation
        inst_type = (
            INSTITUTION_TYPES.get(org.demo_key or "", InstitutionType.OTHER) if org else InstitutionType.OTHER
        )
        languages = list(person.languages.values_list("language", "level"))
        drawn = _profile_values(rng, inst_type, languages)
        if key == "expert-01":
            theme_codes, specific_codes = list(KATRIN["thematic"]), list(KATRIN["specific"])
            regions, years, consent, bio = KATRIN["regions"], KATRIN["years"], True, KATRIN["bio"]
            windows = [(a, b) for a, b, _note in KATRIN["windows"]]
        else:
            theme_codes = drawn["themes"]
            specific_codes = _specifics(rng, theme_codes, by_theme)
            regions, years = drawn["regions"], drawn["years"]
            consent = bool(drawn["consent"]) or key in DEPLOYED
            bio = f"{person.position} at {org.name}." if org else ""
            windows = _windows(rng)
        profile = services.create_profile(
            person,
            actor=None,
            institution=org,
            institution_type=inst_type,
            proposed_by=org if org and org.type == "member_state" else None,
            regions=regions,
            years_experience=years,
            bio=bio,
            consent_to_contact=consent,
            thematic_areas=[themes[c] for c in theme_codes if c in themes],
            specific_areas=[specifics[c] for c in specific_codes if c in specifics],
        )
        ExpertProfile.objects.filter(pk=profile.pk).update(demo_key=key)
        for start, end in windows:
            services.add_availability(profile, actor=None, start_date=start, end_date=end)
        created += 1
    say(f"Named experts: {created} profiles created, {len(existing)} already there.")
    return created


def synthetic_expert_keys(unit: int) -> list[str]:
    first = unit * SYN_EXPERTS_PER_UNIT + 1
    return [f"syn-expert-{n}" for n in range(first, first + SYN_EXPERTS_PER_UNIT)]


def _load_synthetic(scale: int, say: Progress) -> int:
    existing = set(
        ExpertProfile.objects.filter(demo_key__startswith="syn-expert-").values_list("demo_key", flat=True)
    )
    themes = dict(ThematicArea.objects.values_list("code", "pk"))
    specific_ids = dict(SpecificArea.objects.values_list("code", "pk"))
    by_theme: dict[str, list[str]] = {}
    for code, theme in SpecificArea.objects.values_list("code", "thematic_area__code"):
        by_theme.setdefault(theme, []).append(code)
    homes: dict[str, list[Organisation]] = {}
    for org in Organisation.objects.filter(type="member_state"):
        homes.setdefault(org.country_id or "", []).append(org)
    countries = sorted(homes) or list(data.EU_MS_CODES)
    created = 0
    for unit in range(scale):
        keys = [k for k in synthetic_expert_keys(unit) if k not in existing]
        if not keys:
            continue
        rng = random.Random(f"capdev-demo:syn-experts:{unit}")
        persons, specs = [], []
        for key in synthetic_expert_keys(unit):
            country = rng.choice(countries)
            group = names.group_for(country, rng)
            sex = "F" if rng.random() < 0.45 else "M"
            first, last = names.draw_name(rng, group, sex)
            languages = list(names.draw_languages(rng, group))
            if rng.random() < 0.6:
                extra = rng.choice(("es", "fr", "pt", "ar", "ru", "en"))
                if extra not in {c for c, _l in languages}:
                    languages.append((extra, rng.choice(("B1", "B2", "C1", "C2"))))
            org = rng.choice(homes[country]) if homes.get(country) else None
            inst_type = (
                INSTITUTION_TYPES.get(org.demo_key or "", InstitutionType.OTHER)
                if org
                else rng.choice(list(THEMES))
            )
            drawn = _profile_values(rng, inst_type, languages)
            spec: dict[str, Any] = {
                "key": key,
                "org": org,
                "type": inst_type,
                "languages": languages,
                "specific": _specifics(rng, drawn["themes"], by_theme),
                "windows": _windows(rng),
                "fb": (rng.random() < 0.6),
                **drawn,
            }
            if key in existing:
                continue
            persons.append(
                Person(
                    demo_key=f"person-{key}",
                    first_name=first,
                    last_name=last,
                    sex=sex,
                    nationality_id=country,
                    organisation=org,
                    position=rng.choice(names.EXPERT_POSITIONS),
                )
            )
            specs.append(spec)
        Person.objects.bulk_create(persons)
        PersonLanguage.objects.bulk_create(
            PersonLanguage(person_id=p.pk, language=code, level=level)
            for p, s in zip(persons, specs, strict=True)
            for code, level in dict(s["languages"]).items()
        )
        profiles = [
            ExpertProfile(
                person_id=p.pk,
                demo_key=s["key"],
                institution=s["org"],
                institution_type=s["type"],
                proposed_by=s["org"],
                regions=s["regions"],
                years_experience=s["years"],
                consent_to_contact=s["consent"],
            )
            for p, s in zip(persons, specs, strict=True)
        ]
        ExpertProfile.objects.bulk_create(profiles)
        t_through = ExpertProfile.thematic_areas.through
        t_through.objects.bulk_create(
            t_through(expertprofile_id=e.pk, thematicarea_id=themes[c])
            for e, s in zip(profiles, specs, strict=True)
            for c in s["themes"]
        )
        s_through = ExpertProfile.specific_areas.through
        s_through.objects.bulk_create(
            s_through(expertprofile_id=e.pk, specificarea_id=specific_ids[c])
            for e, s in zip(profiles, specs, strict=True)
            for c in s["specific"]
        )
        Availability.objects.bulk_create(
            Availability(expert_id=e.pk, start_date=a, end_date=b)
            for e, s in zip(profiles, specs, strict=True)
            for a, b in s["windows"]
        )
        created += len(profiles)
    if created:
        say(f"Synthetic experts: {created} created.")
    return created


@transaction.atomic
def load_experts(scale: int = 1, progress: Progress | None = None) -> dict[str, int]:
    """Profiles of the named experts and 50 × `scale` synthetic experts; needs `load_demo` first."""
    say: Progress = progress or (lambda _message: None)
    _load_named(say)
    _load_synthetic(scale, say)
    return {"experts": ExpertProfile.objects.count(), "availabilities": Availability.objects.count()}
