"""The demo programme: a realistic, named cast plus a synthetic part for benchmarks.

Rules the loader keeps:

- Deterministic. Everything random comes from `random.Random` seeded with a fixed string (per
  organisation, per expert roster, per synthetic block), never from the global generator or the
  clock, so two loads into fresh databases write the same names, positions and languages.
- Idempotent. Every organisation and person it writes carries a `demo_key`, its natural key; a
  second load creates only what is missing and never changes or deletes what exists (an existing
  login keeps its password). `--scale 3` after `--scale 1` adds synthetic blocks 2 and 3 only:
  each synthetic block (100 organisations, 1,000 people) depends on its own number alone.
- Named part through the services (validation and an audit trail); the `demo_key`, which the
  services do not accept, is set with a queryset `.update()` right after. Synthetic part with
  `bulk_create` in blocks, without per-row audit, so that 100,000 people load in seconds.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.db import transaction

from capdev.accounts import services as account_services
from capdev.accounts.models import User
from capdev.core.errors import ConflictError
from capdev.core.roles import Role
from capdev.demo import names
from capdev.demo.accounts import DEMO_LOGINS, DEMO_PASSWORD
from capdev.demo.names import (
    CIVIL_SOCIETY,
    EXPERT_INSTITUTIONS,
    PARTNER,
    PARTNER_ORGS,
    PROGRAMME_ORGS,
    TEAM,
    TRAINING,
    OrgSpec,
    PersonSpec,
)
from capdev.organisations import services as organisation_services
from capdev.organisations.models import Organisation, OrganisationContact
from capdev.people import services as people_services
from capdev.people.models import Person, PersonLanguage
from capdev.reference.models import Country

SYN_ORGS_PER_UNIT = 100
SYN_PEOPLE_PER_UNIT = 1000
EXPERTS = 60
EXPERT_WOMEN = 25  # 41.7 %, the share of women in the programme's expert roster

Progress = Callable[[str], None]


def named_organisations() -> tuple[OrgSpec, ...]:
    """Every named organisation, parents first."""
    return PROGRAMME_ORGS + PARTNER_ORGS + EXPERT_INSTITUTIONS


# Demo logins: e-mail -> (person key, organisation key, role). The e-mails of DEMO_LOGINS plus a
# second focal point, in Costa Rica, to show that focal points only see their own organisation.
LOGINS: dict[str, tuple[str, str, str]] = {
    "staff@capdev.example": ("icmpd-01", "icmpd", Role.PROGRAMME_STAFF),
    "steering@capdev.example": ("intpa-01", "intpa", Role.STEERING_COMMITTEE),
    "focal@capdev.example": ("dpu-01", "dpu", Role.FOCAL_POINT),
    "trainer@capdev.example": ("expert-01", "de-bamf", Role.TRAINER),
    "participant@capdev.example": ("dpu-tot-01", "dpu", Role.PARTICIPANT),
    "focal.costarica@capdev.example": ("dgme-01", "dgme", Role.FOCAL_POINT),
}


@dataclass(frozen=True)
class CohortSpec:
    """A group of people beyond an organisation's usual staff (the participants of a course).

    `women`: exactly this many of the group are women (otherwise each person's sex is drawn);
    `languages`: (code, minimum CEFR level) everyone of the group declares at least, e.g. the
    English a diploma call asks for. Keys are `<prefix>-01`, `<prefix>-02`...
    """

    org: str
    prefix: str
    size: int
    titles: tuple[str, ...]
    women: int | None = None
    languages: tuple[tuple[str, str], ...] = ()


_TRAINER_ES = "Capacitador|Capacitadora"
_DIPLOMA_EN = (
    "Migration policy officer",
    "Senior policy analyst, migration",
    "Head of the migration policy unit",
    "Labour migration officer",
    "Policy adviser, diaspora and migration",
    "Border management officer",
)
_DIPLOMA_FR = (
    "Chargé de la politique migratoire|Chargée de la politique migratoire",
    "Conseiller en migration|Conseillère en migration",
    "Analyste des politiques migratoires",
    "Chef du service de la migration de travail|Cheffe du service de la migration de travail",
    "Officier de police aux frontières|Officière de police aux frontières",
)
_DIPLOMA_PT = (
    "Técnico de políticas migratórias|Técnica de políticas migratórias",
    "Inspetor de fronteiras|Inspetora de fronteiras",
    "Assessor de migração e diáspora|Assessora de migração e diáspora",
)
_AWARD_EN = (
    "Training officer",
    "Head of the training section",
    "Instructor, border and residence procedures",
)
_AWARD_FR = (
    "Formateur|Formatrice",
    "Responsable de la formation",
    "Chargé de formation|Chargée de formation",
)
_B2_EN = (("en", "B2"),)

# The Brazil III Training of Trainers pilot (July 2022) had 14 DPU officers; the delivery demo
# (capdev.demo.delivery) enrols the other groups: a second DPU cohort, the Costa Rica V,
# El Salvador II and Kyrgyzstan ToTs, the Mediterranean institute's award, and the applicants to
# the three cohorts of the Migration Management Diploma Programme.
COHORTS: tuple[CohortSpec, ...] = (
    CohortSpec("dpu", "dpu-tot", 14, ("Defensor Público Federal|Defensora Pública Federal",)),
    CohortSpec(
        "dpu",
        "dpu-tot2",
        12,
        (
            "Defensor Público Federal|Defensora Pública Federal",
            "Analista Técnico-Administrativo|Analista Técnica-Administrativa",
        ),
    ),
    CohortSpec(
        "dgme",
        "dgme-tot",
        9,
        (_TRAINER_ES, "Oficial de migración", "Inspector migratorio|Inspectora migratoria"),
        women=6,
    ),
    CohortSpec(
        "minsa-cr",
        "minsa-tot",
        7,
        (
            "Médico de salud pública|Médica de salud pública",
            "Enfermero de salud pública|Enfermera de salud pública",
            "Promotor de salud|Promotora de salud",
        ),
        women=4,
    ),
    CohortSpec(
        "rree-sv",
        "rree-tot",
        6,
        ("Oficial consular", "Técnico de protección consular|Técnica de protección consular"),
    ),
    CohortSpec("ad-sv", "ades-tot", 4, ("Docente", "Coordinador académico|Coordinadora académica")),
    CohortSpec(
        "dgvse-sv",
        "dgvse-tot",
        5,
        ("Técnico de atención a la diáspora|Técnica de atención a la diáspora", _TRAINER_ES),
    ),
    CohortSpec("sms-kg-tc", "sms-tot", 12, ("Trainer", "Training officer", "Migration officer"), women=7),
    CohortSpec("rbd-jo", "award-jo", 4, _AWARD_EN),
    CohortSpec("gs-lb", "award-lb", 4, _AWARD_EN),
    CohortSpec("mol-ly", "award-ly", 3, _AWARD_EN),
    CohortSpec("dmsf-ma", "award-ma", 4, _AWARD_FR),
    CohortSpec("ote-tn", "award-tn", 3, _AWARD_FR),
    # Applicants to the diploma (Mobility Partnership and CAMM countries), 7 per country.
    *(
        CohortSpec(org, f"mmdp-{code}", 7, titles, languages=_B2_EN)
        for org, code, titles in (
            ("dmsf-ma", "ma", _DIPLOMA_FR),
            ("onm-tn", "tn", _DIPLOMA_FR),
            ("moi-jo", "jo", _DIPLOMA_EN),
            ("gs-lb", "lb", _DIPLOMA_EN),
            ("ncfrmi-ng", "ng", _DIPLOMA_EN),
            ("gis-gh", "gh", _DIPLOMA_EN),
            ("dgase-sn", "sn", _DIPLOMA_FR),
            ("def-cv", "cv", _DIPLOMA_PT),
            ("psda-ge", "ge", _DIPLOMA_EN),
            ("mcs-am", "am", _DIPLOMA_EN),
            ("bma-md", "md", _DIPLOMA_EN),
            ("sms-kg", "kg", _DIPLOMA_EN),
        )
    ),
)

CONTACT_CAPACITY = {PARTNER: "Focal point", TRAINING: "Head of training", CIVIL_SOCIETY: "Coordinator"}


class _Emails:
    """Hands out unique e-mail addresses (first.last@domain, then first.last2@domain, ...)."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken = {e.lower() for e in taken}

    def __call__(self, first: str, last: str, domain: str) -> str:
        local = f"{names.slug(first)}.{names.slug(last)}"
        email, n = f"{local}@{domain}", 1
        while email in self.taken:
            n += 1
            email = f"{local}{n}@{domain}"
        self.taken.add(email)
        return email


def _member(
    rng: random.Random, key: str, org: OrgSpec, position: str, emails: _Emails, sex: str | None = None
) -> PersonSpec:
    assert org.country is not None
    group = names.group_for(org.country, rng)
    drawn = "F" if rng.random() < 0.5 else "M"  # drawn even when given: later draws stay the same
    sex = sex or drawn
    first, last = names.draw_name(rng, group, sex)
    return PersonSpec(
        key=key,
        first_name=first,
        last_name=last,
        sex=sex,
        nationality=org.country,
        org=org.key,
        position=names.gendered(position, sex),
        email=emails(first, last, org.domain),
        languages=names.draw_languages(rng, group),
    )


def _head_title(org: OrgSpec) -> str:
    lang = names.admin_language(org.country or "")
    if org.type == TRAINING:
        return names.HEAD_OF_TRAINING[lang]
    if org.type == CIVIL_SOCIETY:
        return names.HEAD_OF_CIVIL_SOCIETY[lang]
    return names.HEAD_OF_COOPERATION[lang]


def experts(emails: _Emails | None = None) -> list[PersonSpec]:
    """The expert roster: 60 people from EU Member State administrations, 25 of them women."""
    emails = emails or _Emails(LOGINS)
    rng = random.Random("capdev-demo:experts")
    written = [p for p in TEAM if p.key.startswith("expert-")]
    institutions = list(EXPERT_INSTITUTIONS)
    count = EXPERTS - len(written)
    women = EXPERT_WOMEN - sum(p.sex == "F" for p in written)
    sexes = ["F"] * women + ["M"] * (count - women)
    rng.shuffle(sexes)
    placements = institutions + [rng.choice(institutions) for _ in range(count - len(institutions))]
    out = list(written)
    for i, (sex, inst) in enumerate(zip(sexes, placements, strict=True), start=len(written) + 1):
        assert inst.country is not None
        group = names.group_for(inst.country, rng)
        first, last = names.draw_name(rng, group, sex)
        languages = list(names.draw_languages(rng, group))
        if rng.random() < 0.6:  # a working language of the partner countries
            extra = rng.choice(("es", "fr", "pt", "ar", "ru"))
            if extra not in {code for code, _level in languages}:
                languages.append((extra, rng.choice(("B2", "C1", "C2"))))
        out.append(
            PersonSpec(
                key=f"expert-{i:02d}",
                first_name=first,
                last_name=last,
                sex=sex,
                nationality=inst.country,
                org=inst.key,
                position=rng.choice(names.EXPERT_POSITIONS),
                email=emails(first, last, inst.domain),
                languages=tuple(languages),
            )
        )
    return out


def named_people() -> list[PersonSpec]:
    """Everyone in the named part: team, donors, experts and the partners' public servants."""
    emails = _Emails(p.email for p in TEAM)
    people = [p for p in TEAM if not p.key.startswith("expert-")]
    people += experts(emails)
    written = {p.key for p in TEAM}
    orgs = {o.key: o for o in named_organisations()}
    for org in PARTNER_ORGS + PROGRAMME_ORGS:
        rng = random.Random(f"capdev-demo:people:{org.key}")
        for i in range(1, org.people + 1):
            key = f"{org.key}-{i:02d}"
            if key in written:
                continue
            positions = org.positions or names.POSITIONS[names.admin_language(org.country or "")]
            title = _head_title(org) if i == 1 else rng.choice(positions)
            people.append(_member(rng, key, org, title, emails))
    for cohort in COHORTS:
        rng = random.Random(f"capdev-demo:people:{cohort.prefix}")
        sexes: list[str | None] = [None] * cohort.size
        if cohort.women is not None:
            sexes = [*["F"] * cohort.women, *["M"] * (cohort.size - cohort.women)]
            random.Random(f"capdev-demo:sexes:{cohort.prefix}").shuffle(sexes)
        for i in range(1, cohort.size + 1):
            key = f"{cohort.prefix}-{i:02d}"
            if key in written:
                continue
            person = _member(rng, key, orgs[cohort.org], rng.choice(cohort.titles), emails, sexes[i - 1])
            if cohort.languages:
                person = replace(person, languages=_at_least(person.languages, cohort.languages))
            people.append(person)
    return people


def _at_least(
    spoken: tuple[tuple[str, str], ...], wanted: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str], ...]:
    """`spoken` with each of `wanted` (code, level) raised to that level when it is lower or
    missing."""
    order = ["A1", "A2", "B1", "B2", "C1", "C2", "native"]
    out = dict(spoken)
    for code, level in wanted:
        have = out.get(code)
        if have is None or order.index(have) < order.index(level):
            out[code] = level
    return tuple(out.items())


def named_contacts(people: Iterable[PersonSpec] | None = None) -> list[tuple[str, str, str]]:
    """(organisation key, person key, capacity): the first person of each partner authority,
    training institution and civil-society organisation is its primary contact."""
    keys = {p.key for p in (named_people() if people is None else people)}
    return [
        (org.key, f"{org.key}-01", CONTACT_CAPACITY[org.type])
        for org in PARTNER_ORGS + PROGRAMME_ORGS
        if org.type in CONTACT_CAPACITY and f"{org.key}-01" in keys
    ]


# --- The synthetic part ------------------------------------------------------------------------

_COMBOS: list[tuple[str, str, str, str]] = []


def _combos() -> list[tuple[str, str, str, str]]:
    """Every (country, city, type, name pattern), in a fixed shuffled order."""
    if not _COMBOS:
        combos = [
            (country, city, org_type, pattern)
            for country, cities in names.CITIES.items()
            for city in cities
            for org_type, pattern in names.ORG_PATTERNS[names.admin_language(country)]
        ]
        random.Random("capdev-demo:syn-org-combos").shuffle(combos)
        _COMBOS.extend(combos)
    return _COMBOS


def synthetic_organisation(n: int) -> OrgSpec:
    """Synthetic organisation number `n` (1-based): a regional office or training centre."""
    combos = _combos()
    country, city, org_type, pattern = combos[(n - 1) % len(combos)]
    series = (n - 1) // len(combos)
    name = pattern.format(city=city) + (f" ({series + 1})" if series else "")
    return OrgSpec(
        key=f"syn-org-{n}",
        name=name,
        type=org_type,
        country=country,
        website=f"https://www.org{n}.example",
        email=f"info@org{n}.example",
        address=city,
        domain=f"org{n}.example",
    )


def synthetic_organisations(unit: int) -> list[OrgSpec]:
    """The organisations of synthetic block `unit` (0-based)."""
    start = unit * SYN_ORGS_PER_UNIT
    return [synthetic_organisation(n) for n in range(start + 1, start + SYN_ORGS_PER_UNIT + 1)]


def synthetic_people(unit: int, orgs: list[OrgSpec] | None = None) -> list[PersonSpec]:
    """The people of synthetic block `unit` (0-based), spread unevenly over the block's
    organisations, with names of their organisation's country."""
    orgs = orgs if orgs is not None else synthetic_organisations(unit)
    rng = random.Random(f"capdev-demo:syn-people:{unit}")
    weights = [rng.choice((1, 2, 3, 5, 8)) for _ in orgs]
    placed = rng.choices(orgs, weights=weights, k=SYN_PEOPLE_PER_UNIT)
    out = []
    for i, org in enumerate(placed):
        n = unit * SYN_PEOPLE_PER_UNIT + i + 1
        country = org.country or ""
        group = names.group_for(country, rng)
        sex = "F" if rng.random() < 0.5 else "M"
        first, last = names.draw_name(rng, group, sex)
        out.append(
            PersonSpec(
                key=f"syn-person-{n}",
                first_name=first,
                last_name=last,
                sex=sex,
                nationality=country,
                org=org.key,
                position=names.gendered(rng.choice(names.POSITIONS[names.admin_language(country)]), sex),
                email=f"{names.slug(first)}.{names.slug(last)}.{n}@{org.domain}",
                languages=names.draw_languages(rng, group),
            )
        )
    return out


# --- Writing -----------------------------------------------------------------------------------


@transaction.atomic
def load_demo(scale: int = 1, progress: Progress | None = None) -> dict[str, int]:
    """Load the demo programme (named part plus `scale` synthetic blocks) and return how many
    organisations, people, contacts and logins exist afterwards."""
    if scale < 0:
        raise ValueError("scale must be 0 or more")
    say: Progress = progress or (lambda _message: None)
    countries = Country.objects.in_bulk()
    orgs = _load_named_organisations(countries, say)
    _load_named_people(countries, orgs, say)
    _load_logins(orgs, say)
    _load_synthetic(scale, countries, say)
    return {
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "contacts": OrganisationContact.objects.count(),
        "logins": User.objects.count(),
    }


def _load_named_organisations(countries: dict[str, Country], say: Progress) -> dict[str, Organisation]:
    specs = named_organisations()
    orgs = {o.demo_key: o for o in Organisation.objects.filter(demo_key__in=[s.key for s in specs])}
    created = 0
    for spec in specs:
        if spec.key in orgs:
            continue
        org = organisation_services.create_organisation(
            actor=None,
            name=spec.name,
            acronym=spec.acronym,
            type=spec.type,
            country=countries[spec.country] if spec.country else None,
            parent=orgs[spec.parent] if spec.parent else None,
            website=spec.website,
            email=spec.email,
            phone=spec.phone,
            address=spec.address,
            description=spec.description,
        )
        Organisation.objects.filter(pk=org.pk).update(demo_key=spec.key)
        org.demo_key = spec.key
        orgs[spec.key] = org
        created += 1
    say(f"Named organisations: {created} created, {len(specs) - created} already there.")
    return orgs


def _load_named_people(countries: dict[str, Country], orgs: dict[str, Organisation], say: Progress) -> None:
    specs = named_people()
    existing = set(
        Person.objects.filter(demo_key__in=[s.key for s in specs]).values_list("demo_key", flat=True)
    )
    created = 0
    for spec in specs:
        if spec.key in existing:
            continue
        values = {
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "sex": spec.sex,
            "nationality": countries[spec.nationality],
            "organisation": orgs[spec.org],
            "position": spec.position,
            "email": spec.email,
        }
        try:
            person = people_services.create_person(actor=None, languages=spec.languages, **values)
        except ConflictError:  # the address belongs to someone added by hand: leave it to them
            person = people_services.create_person(
                actor=None, languages=spec.languages, **values | {"email": ""}
            )
        Person.objects.filter(pk=person.pk).update(demo_key=spec.key)
        created += 1
    contacts = 0
    pks = dict(Person.objects.filter(demo_key__in=[s.key for s in specs]).values_list("demo_key", "pk"))
    with_contacts = set(OrganisationContact.objects.values_list("organisation_id", flat=True).distinct())
    for org_key, person_key, capacity in named_contacts(specs):
        org = orgs[org_key]
        if org.pk not in with_contacts and person_key in pks:
            OrganisationContact.objects.create(
                organisation=org, person_id=pks[person_key], capacity=capacity, is_primary=True
            )
            contacts += 1
    say(f"Named people: {created} created, {len(specs) - created} already there; {contacts} contacts.")


def _load_logins(orgs: dict[str, Organisation], say: Progress) -> None:
    emails = [email for _role, email, _description in DEMO_LOGINS]
    emails += [email for email in LOGINS if email not in emails]
    created = 0
    for email in emails:
        if email not in LOGINS:
            say(f"Demo login {email} has no person in the demo programme; skipped.")
            continue
        if User.objects.filter(email__iexact=email).exists():
            continue  # an existing login is left as it is (password included)
        person_key, org_key, role = LOGINS[email]
        person = Person.objects.get(demo_key=person_key)
        user = User.objects.create_user(email, DEMO_PASSWORD, display_name=person.full_name)
        Person.objects.filter(pk=person.pk, user__isnull=True).update(user=user)
        account_services.grant_role(user, orgs[org_key], role, actor=None)
        created += 1
    say(f"Demo logins: {created} created.")


def _load_synthetic(scale: int, countries: dict[str, Country], say: Progress) -> None:
    orgs = dict(Organisation.objects.filter(demo_key__startswith="syn-org-").values_list("demo_key", "pk"))
    people = set(Person.objects.filter(demo_key__startswith="syn-person-").values_list("demo_key", flat=True))
    new_orgs = new_people = 0
    total = scale * SYN_PEOPLE_PER_UNIT
    for unit in range(scale):
        org_specs = synthetic_organisations(unit)
        first, last = unit * SYN_PEOPLE_PER_UNIT + 1, (unit + 1) * SYN_PEOPLE_PER_UNIT
        people_done = all(f"syn-person-{n}" in people for n in range(first, last + 1))
        if people_done and all(s.key in orgs for s in org_specs):
            continue
        rows = [
            Organisation(
                demo_key=s.key,
                name=s.name,
                type=s.type,
                country_id=s.country,
                region=countries[s.country].region if s.country else "",
                website=s.website,
                email=s.email,
                address=s.address,
            )
            for s in org_specs
            if s.key not in orgs
        ]
        Organisation.objects.bulk_create(rows)
        orgs.update((o.demo_key, o.pk) for o in rows)
        new_orgs += len(rows)

        specs = [s for s in synthetic_people(unit, org_specs) if s.key not in people]
        persons = [
            Person(
                demo_key=s.key,
                first_name=s.first_name,
                last_name=s.last_name,
                sex=s.sex,
                nationality_id=s.nationality,
                organisation_id=orgs[s.org],
                position=s.position,
                email=s.email,
            )
            for s in specs
        ]
        Person.objects.bulk_create(persons)
        PersonLanguage.objects.bulk_create(
            PersonLanguage(person_id=p.pk, language=code, level=level)
            for p, s in zip(persons, specs, strict=True)
            for code, level in s.languages
        )
        # The first new person of each new organisation becomes its primary contact.
        new_org_keys = {o.demo_key for o in rows}
        contacts: dict[str, OrganisationContact] = {}
        for p, s in zip(persons, specs, strict=True):
            if s.org in new_org_keys and s.org not in contacts:
                org_type = next(o.type for o in org_specs if o.key == s.org)
                contacts[s.org] = OrganisationContact(
                    organisation_id=orgs[s.org],
                    person_id=p.pk,
                    capacity=CONTACT_CAPACITY[org_type],
                    is_primary=True,
                )
        OrganisationContact.objects.bulk_create(contacts.values())
        people.update(s.key for s in specs)
        before = new_people
        new_people += len(specs)
        if new_people // 10_000 > before // 10_000 or unit == scale - 1:
            say(f"Synthetic people: {last:,} of {total:,} ({new_people:,} new).")
    say(f"Synthetic part: {new_orgs} organisations and {new_people} people created.")
