"""The demo programme loader: deterministic, idempotent, realistic enough to demonstrate with."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from capdev.accounts.models import Membership, User
from capdev.core.models import AuditEvent
from capdev.demo import names
from capdev.demo.accounts import DEMO_LOGINS, DEMO_PASSWORD
from capdev.demo.loader import (
    LOGINS,
    SYN_ORGS_PER_UNIT,
    SYN_PEOPLE_PER_UNIT,
    experts,
    load_demo,
    named_organisations,
    named_people,
    synthetic_people,
)
from capdev.organisations.models import Organisation, OrganisationContact, OrganisationType
from capdev.people.models import Person, PersonLanguage, Sex


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    """One scale-1 load shared by the module, rolled back at its end (each test runs in a
    savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo(scale=1)
        transaction.set_rollback(True)


def _synthetic(prefix: str) -> int:
    return Person.objects.filter(demo_key__startswith=prefix).count()


def test_load_reports_what_exists(demo, db):
    assert demo == {
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "contacts": OrganisationContact.objects.count(),
        "logins": User.objects.count(),
    }
    assert demo["organisations"] == len(named_organisations()) + SYN_ORGS_PER_UNIT
    assert demo["people"] == len(named_people()) + SYN_PEOPLE_PER_UNIT
    assert demo["logins"] == len(LOGINS)


def test_loading_twice_creates_nothing_new(demo, db):
    events = AuditEvent.objects.count()
    languages = PersonLanguage.objects.count()
    memberships = Membership.objects.count()

    again = load_demo(scale=1)

    assert again == demo
    assert AuditEvent.objects.count() == events
    assert PersonLanguage.objects.count() == languages
    assert Membership.objects.count() == memberships


def test_scale_two_adds_exactly_one_more_synthetic_block(demo, db):
    assert Organisation.objects.filter(demo_key__startswith="syn-org-").count() == SYN_ORGS_PER_UNIT
    assert _synthetic("syn-person-") == SYN_PEOPLE_PER_UNIT

    load_demo(scale=2)

    assert Organisation.objects.filter(demo_key__startswith="syn-org-").count() == 2 * SYN_ORGS_PER_UNIT
    assert _synthetic("syn-person-") == 2 * SYN_PEOPLE_PER_UNIT
    assert Person.objects.count() == demo["people"] + SYN_PEOPLE_PER_UNIT


def test_loaded_synthetic_people_are_the_generated_ones(demo, db):
    expected = [(p.key, p.first_name, p.last_name, p.sex) for p in synthetic_people(0)[:50]]
    keys = [key for key, *_ in expected]
    loaded = {
        p.demo_key: (p.demo_key, p.first_name, p.last_name, p.sex)
        for p in Person.objects.filter(demo_key__in=keys)
    }
    assert [loaded[k] for k in keys] == expected


def _fingerprint() -> list[list[str]]:
    people = synthetic_people(0)[:50] + named_people()[:50] + experts()
    return [[p.key, p.first_name, p.last_name, p.sex, p.position, p.email] for p in people]


def test_generators_give_the_same_names_in_a_fresh_process():
    assert _fingerprint() == _fingerprint()
    script = (
        "import django, json; django.setup(); "
        "from capdev.demo.tests.test_loader import _fingerprint; print(json.dumps(_fingerprint()))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "CAPDEV_TESTING": "1"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "capdev.settings")
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(out.stdout) == _fingerprint()


def test_about_42_percent_of_experts_are_women(demo, db):
    roster = Person.objects.filter(demo_key__startswith="expert-")
    assert roster.count() == 60
    share = roster.filter(sex=Sex.FEMALE).count() / roster.count()
    assert 0.37 <= share <= 0.47
    assert set(roster.values_list("organisation__region", flat=True)) == {"eu_ms"}
    assert all(p.languages.exists() for p in roster)


def test_public_servants_are_about_half_women(demo, db):
    servants = Person.objects.filter(organisation__type=OrganisationType.PARTNER_AUTHORITY).exclude(
        organisation__region="eu_ms"
    )
    share = servants.filter(sex=Sex.FEMALE).count() / servants.count()
    assert 0.45 <= share <= 0.55


@pytest.mark.parametrize("email", sorted({e for _r, e, _d in DEMO_LOGINS} | set(LOGINS)))
def test_each_demo_login_logs_in_with_its_role(demo, db, email):
    person_key, org_key, role = LOGINS[email]

    assert Client().login(email=email, password=DEMO_PASSWORD)
    user = User.objects.get(email=email)
    assert user.person.demo_key == person_key
    assert list(user.memberships.values_list("organisation__demo_key", "role", "active")) == [
        (org_key, role, True)
    ]


def test_an_existing_login_keeps_its_password(demo, db):
    user = User.objects.get(email="staff@capdev.example")
    user.set_password("changed-by-the-operator")
    user.save()

    load_demo(scale=1)

    assert Client().login(email="staff@capdev.example", password="changed-by-the-operator")


def test_dpu_has_the_tot_pilot_group_and_a_training_school(demo, db):
    dpu = Organisation.objects.get(demo_key="dpu")
    assert dpu.people.count() >= 14
    assert dpu.people.filter(demo_key__startswith="dpu-tot-").count() == 14
    assert list(dpu.children.values_list("acronym", flat=True)) == ["ESDPU"]
    assert dpu.contacts.get(is_primary=True).person.user.email == "focal@capdev.example"


def test_every_partner_authority_has_one_primary_contact(demo, db):
    partners = Organisation.objects.filter(
        type=OrganisationType.PARTNER_AUTHORITY, demo_key__in=[o.key for o in named_organisations()]
    ).exclude(region="eu_ms")
    assert partners.count() > 40
    for org in partners:
        assert org.contacts.filter(is_primary=True).count() == 1, org


def test_names_follow_the_country(demo, db):
    def surname_in(last_name: str, group: str) -> bool:
        surnames = names.GROUPS[group].surnames
        return any(last_name == s or last_name.startswith(s + " ") for s in surnames)

    brazilians = Person.objects.filter(organisation__demo_key="dpu")
    assert all(surname_in(p.last_name, "pt_br") for p in brazilians)
    costa_ricans = Person.objects.filter(organisation__country="CR", demo_key__startswith="syn-")
    assert costa_ricans.exists()
    assert all(surname_in(p.last_name, "es_la") for p in costa_ricans)
    tunisians = Person.objects.filter(organisation__country="TN")
    assert tunisians.exists()
    assert all(surname_in(p.last_name, "ar_tn") for p in tunisians)
    kyrgyz_women = Person.objects.filter(organisation__country="KG", sex=Sex.FEMALE)
    assert kyrgyz_women.exists()
    assert not any(p.last_name.endswith(("ov", "ev", " uulu")) for p in kyrgyz_women)


@pytest.mark.parametrize(
    ("surname", "rule", "feminine"),
    [
        ("Asanov", "slavic", "Asanova"),
        ("Bakyt uulu", "slavic", "Bakyt kyzy"),
        ("Kowalski", "polish", "Kowalska"),
        ("Nowak", "polish", "Nowak"),
        ("Papadopoulos", "greek", "Papadopoulou"),
        ("Nikolaidis", "greek", "Nikolaidi"),
        ("Charalambous", "greek", "Charalambous"),
        ("Novák", "czech", "Nováková"),
        ("Černý", "czech", "Černá"),
        ("Procházka", "czech", "Procházková"),
    ],
)
def test_surnames_take_their_feminine_form(surname, rule, feminine):
    assert names._feminine(surname, rule) == feminine


def test_every_name_group_is_complete():
    for key, group in names.GROUPS.items():
        assert len(group.female) >= 20 and len(group.male) >= 20 and len(group.surnames) >= 20, key
        assert key in names.GROUP_LANGUAGES
    assert set(names.COUNTRY_GROUPS) >= set(names.CITIES)
