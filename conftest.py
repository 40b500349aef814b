"""The standing cast (STYLE.md) shared by every test.

- staff: programme staff at the implementing organisation (sees everything)
- focal: partner focal point of organisation A (Brazilian public defenders)
- trainer: an expert, member of a training institution
- participant: a public servant of organisation A
- outsider: focal point of organisation B (Costa Rica), who must get 404 on A's records
- steering: steering-committee member at the donor
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from capdev.accounts import services as account_services
from capdev.accounts.models import User
from capdev.core.roles import Role
from capdev.organisations.models import Organisation, OrganisationType
from capdev.people.models import Person, Sex
from capdev.reference.models import Country

PASSWORD = "a-test-password-1"


@dataclass
class Cast:
    org_a: Organisation
    org_b: Organisation
    implementer: Organisation
    donor: Organisation
    institute: Organisation
    staff: User
    steering: User
    focal: User
    trainer: User
    participant: User
    outsider: User
    person_a: Person
    person_b: Person

    def client(self, who: str | None) -> Client:
        client = Client()
        if who:
            client.force_login(getattr(self, who))
        return client


def _user(
    email: str, first: str, last: str, sex: str, org: Organisation, role: str, nationality: str
) -> User:
    user = User.objects.create_user(email, PASSWORD, display_name=f"{first} {last}")
    Person.objects.create(
        first_name=first,
        last_name=last,
        sex=sex,
        organisation=org,
        email=email,
        user=user,
        nationality_id=nationality,
    )
    account_services.grant_role(user, org, role, actor=None)
    return user


def _ensure_reference_data() -> None:
    """Countries and thematic areas come from a data migration; a transactional test elsewhere in
    the run may have flushed them. Put them back (idempotent) so no test depends on the order."""
    from capdev.reference.loaders import load_countries, load_thematic_areas
    from capdev.reference.models import SpecificArea, ThematicArea

    if not Country.objects.exists() or not ThematicArea.objects.exists():
        load_countries(Country)
        load_thematic_areas(ThematicArea, SpecificArea)


@pytest.fixture
def cast(db: Any) -> Cast:
    _ensure_reference_data()
    implementer = Organisation.objects.create(
        name="International Centre for Migration Policy Development",
        acronym="ICMPD",
        type=OrganisationType.IMPLEMENTING,
        country_id="AT",
    )
    donor = Organisation.objects.create(
        name="European Commission, DG INTPA", acronym="DG INTPA", type=OrganisationType.DONOR, country_id="BE"
    )
    org_a = Organisation.objects.create(
        name="Defensoria Pública da União",
        acronym="DPU",
        type=OrganisationType.PARTNER_AUTHORITY,
        country_id="BR",
    )
    org_b = Organisation.objects.create(
        name="Dirección General de Migración y Extranjería",
        acronym="DGME",
        type=OrganisationType.PARTNER_AUTHORITY,
        country_id="CR",
    )
    institute = Organisation.objects.create(
        name="Training Institute on Migration Capacity Partnership",
        type=OrganisationType.TRAINING_INSTITUTION,
        country_id="MT",
    )
    c = Cast(
        org_a=org_a,
        org_b=org_b,
        implementer=implementer,
        donor=donor,
        institute=institute,
        staff=_user(
            "alice@icmpd.example", "Alice", "Moreau", Sex.FEMALE, implementer, Role.PROGRAMME_STAFF, "FR"
        ),
        steering=_user("sam@donor.example", "Sam", "Peeters", Sex.MALE, donor, Role.STEERING_COMMITTEE, "BE"),
        focal=_user("bob@dpu.example", "Bruno", "Oliveira", Sex.MALE, org_a, Role.FOCAL_POINT, "BR"),
        trainer=_user("tina@institute.example", "Tina", "Borg", Sex.FEMALE, institute, Role.TRAINER, "MT"),
        participant=_user("paula@dpu.example", "Paula", "Santos", Sex.FEMALE, org_a, Role.PARTICIPANT, "BR"),
        outsider=_user("charlie@dgme.example", "Carlos", "Vargas", Sex.MALE, org_b, Role.FOCAL_POINT, "CR"),
        person_a=Person.objects.create(
            first_name="Ana", last_name="Ribeiro", sex=Sex.FEMALE, organisation=org_a, nationality_id="BR"
        ),
        person_b=Person.objects.create(
            first_name="Diego", last_name="Mora", sex=Sex.MALE, organisation=org_b, nationality_id="CR"
        ),
    )
    return c


@pytest.fixture
def brazil() -> Country:
    return Country.objects.get(code="BR")


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Any:
    """A request in another language leaves that language active in the test's thread (the test
    client runs the view in it); every test starts in English whatever ran before it."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    """Cached figures must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
