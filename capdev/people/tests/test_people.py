from __future__ import annotations

import json

import pytest

from capdev.core.errors import ConflictError, DomainError
from capdev.core.models import AuditEvent
from capdev.people import services
from capdev.people.models import Person


def test_create_person_with_languages_is_audited(cast):
    person = services.create_person(
        actor=cast.focal,
        first_name="Júlia",
        last_name="Costa",
        sex="F",
        organisation=cast.org_a,
        email="Julia.Costa@DPU.example",
        languages=[("pt", "native"), ("en", "B2")],
    )
    assert person.email == "julia.costa@dpu.example"
    assert sorted(person.languages.values_list("language", "level")) == [("en", "B2"), ("pt", "native")]
    event = AuditEvent.objects.for_object(person).get()
    assert event.changes["languages"] == [None, ["en:B2", "pt:native"]]


def test_duplicate_email_is_refused_case_insensitively(cast):
    with pytest.raises(ConflictError) as info:
        services.create_person(
            actor=cast.staff, first_name="X", last_name="Y", sex="M", email="BOB@dpu.example"
        )
    assert info.value.field == "email"


def test_duplicate_language_is_refused_and_nothing_changes(cast):
    person = cast.person_a
    with pytest.raises(DomainError):
        services.update_person(
            person, actor=cast.staff, position="Changed", languages=[("pt", "C1"), ("pt", "B1")]
        )
    person.refresh_from_db()
    assert person.position == ""
    assert not person.languages.exists()


def test_focal_point_can_only_add_people_to_their_own_organisation(cast):
    client = cast.client("focal")
    response = client.post(
        "/people/new/",
        {
            "first_name": "Rita",
            "last_name": "Lima",
            "sex": "F",
            "organisation": cast.org_b.pk,
            "lang-TOTAL_FORMS": "0",
            "lang-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Person.objects.filter(last_name="Lima").exists()
    response = client.post(
        "/people/new/",
        {
            "first_name": "Rita",
            "last_name": "Lima",
            "sex": "F",
            "organisation": cast.org_a.pk,
            "lang-TOTAL_FORMS": "1",
            "lang-INITIAL_FORMS": "0",
            "lang-0-language": "es",
            "lang-0-level": "B1",
        },
    )
    assert response.status_code == 302
    assert Person.objects.get(last_name="Lima").languages.get().level == "B1"


def test_language_without_level_gets_a_field_message(cast):
    response = cast.client("staff").post(
        f"/people/{cast.person_a.pk}/edit/",
        {
            "first_name": "Ana",
            "last_name": "Ribeiro",
            "sex": "F",
            "organisation": cast.org_a.pk,
            "lang-TOTAL_FORMS": "1",
            "lang-INITIAL_FORMS": "0",
            "lang-0-language": "fr",
            "lang-0-level": "",
        },
    )
    assert response.status_code == 200
    assert "Choose a level" in response.content.decode()


def test_people_list_search_and_filters(cast):
    client = cast.client("staff")
    names = lambda r: {p.full_name for p in r.context["object_list"]}
    assert names(client.get("/people/?q=ribeiro")) == {"Ana Ribeiro"}
    assert names(client.get("/people/?q=ana rib")) == {"Ana Ribeiro"}
    assert names(client.get(f"/people/?organisation={cast.org_b.pk}")) == {"Diego Mora", "Carlos Vargas"}
    assert "Tina Borg" in names(client.get("/people/?nationality=MT"))
    assert names(client.get("/people/?sex=F&region=latin_america")) == {"Ana Ribeiro", "Paula Santos"}


def test_focal_point_directory_is_scoped_to_their_organisation(cast):
    names = {p.full_name for p in cast.client("focal").get("/people/").context["object_list"]}
    assert names == {"Ana Ribeiro", "Bruno Oliveira", "Paula Santos"}


def test_people_list_query_count_does_not_grow(cast, django_assert_max_num_queries):
    client = cast.client("staff")
    client.get("/people/")
    with django_assert_max_num_queries(12) as small:
        client.get("/people/")
    Person.objects.bulk_create(
        Person(first_name=f"P{i}", last_name=f"L{i}", sex="F", organisation=cast.org_b, nationality_id="CR")
        for i in range(40)
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/people/")


def test_export_contains_everything_held_and_is_audited(cast):
    services.update_person(cast.participant.person, actor=cast.focal, languages=[("pt", "native")])
    response = cast.client("participant").get(f"/people/{cast.participant.person.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["person"]["email"] == "paula@dpu.example"
    assert data["person"]["languages"] == [{"language": "pt", "level": "native"}]
    assert data["login"]["memberships"][0]["role"] == "participant"
    assert any(e["verb"] == "person.updated" for e in data["audit_trail"])
    assert AuditEvent.objects.filter(verb="person.exported").exists()


def test_erasure_anonymises_but_keeps_statistics(cast):
    person = cast.participant.person
    services.update_person(person, actor=cast.focal, position="Defensora", languages=[("pt", "native")])
    user_pk = person.user.pk
    services.erase_person(person, actor=cast.staff, reason="Request REF-2026-14")
    person.refresh_from_db()
    assert person.is_erased
    assert "Paula" not in person.full_name and person.email == "" and person.position == ""
    assert person.sex == "F" and person.organisation == cast.org_a and person.nationality_id == "BR"
    assert not person.languages.exists() and person.user is None
    from capdev.accounts.models import User

    user = User.objects.get(pk=user_pk)
    assert not user.is_active and "paula" not in user.email and not user.has_usable_password()
    for event in AuditEvent.objects.for_object(person).exclude(verb="person.erased"):
        assert "Paula" not in json.dumps(event.changes) + event.object_repr
        assert "Defensora" not in json.dumps(event.changes)
    assert AuditEvent.objects.get(verb="person.erased").data["reason"] == "Request REF-2026-14"
    # Aggregates are intact: the person still counts as a woman in organisation A.
    assert Person.objects.filter(organisation=cast.org_a, sex="F").count() == 2


def test_erasure_needs_a_reason_and_happens_once(cast):
    with pytest.raises(DomainError):
        services.erase_person(cast.person_a, actor=cast.staff, reason=" ")
    services.erase_person(cast.person_a, actor=cast.staff, reason="GDPR request")
    with pytest.raises(ConflictError):
        services.erase_person(cast.person_a, actor=cast.staff, reason="again")


def test_erase_page_requires_confirmation(cast):
    client = cast.client("staff")
    response = client.post(f"/people/{cast.person_a.pk}/erase/", {"reason": "Asked by e-mail"})
    assert response.status_code == 200
    cast.person_a.refresh_from_db()
    assert not cast.person_a.is_erased
    response = client.post(
        f"/people/{cast.person_a.pk}/erase/", {"reason": "Asked by e-mail", "confirm": "on"}
    )
    assert response.status_code == 302
    cast.person_a.refresh_from_db()
    assert cast.person_a.is_erased


def test_erased_profile_cannot_be_edited(cast):
    services.erase_person(cast.person_a, actor=cast.staff, reason="request")
    with pytest.raises(DomainError):
        services.update_person(cast.person_a, actor=cast.staff, first_name="Back")
    response = cast.client("staff").get(f"/people/{cast.person_a.pk}/edit/")
    assert response.status_code == 302


def test_api_person_create_validates_organisation_scope(cast):
    response = cast.client("focal").post(
        "/api/v1/people/",
        {"first_name": "Rui", "last_name": "Alves", "sex": "M", "organisation": cast.org_b.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "organisation" in response.json()
    response = cast.client("focal").post(
        "/api/v1/people/",
        {
            "first_name": "Rui",
            "last_name": "Alves",
            "sex": "M",
            "organisation": cast.org_a.pk,
            "languages": [{"language": "pt", "level": "native"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Person.objects.get(last_name="Alves").languages.count() == 1


def test_api_duplicate_email_answers_409_with_a_message(cast):
    response = cast.client("staff").post(
        "/api/v1/people/",
        {"first_name": "X", "last_name": "Y", "sex": "M", "email": "bob@dpu.example"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["field"] == "email"


def test_people_list_deep_pages_show_the_right_people_in_order(cast, settings):
    settings.CAPDEV_PAGE_SIZE = 4
    Person.objects.bulk_create(
        Person(first_name=f"P{i:02d}", last_name=f"Zeta{i % 3}", sex="F", organisation=cast.org_b)
        for i in range(30)
    )
    expected = list(Person.objects.order_by("last_name", "first_name", "id").values_list("pk", flat=True))
    client = cast.client("staff")
    pages = -(-len(expected) // 4)
    seen = []
    for number in range(1, pages + 1):
        response = client.get(f"/people/?page={number}")
        seen += [p.pk for p in response.context["object_list"]]
    assert seen == expected
    last = client.get(f"/people/?page={pages}").content.decode()
    assert f"{len(expected)} results · page {pages} of {pages}" in last


def test_people_search_counts_up_to_a_limit_and_says_more_than(cast, settings, monkeypatch):
    monkeypatch.setattr("capdev.people.views.SEARCH_COUNT_LIMIT", 3)
    settings.CAPDEV_PAGE_SIZE = 2
    Person.objects.bulk_create(
        Person(first_name=f"Ana{i}", last_name="Ribeirinho", sex="F", organisation=cast.org_b)
        for i in range(6)
    )
    expected = list(
        Person.objects.filter(last_name__icontains="ribeir")
        .order_by("last_name", "first_name", "id")
        .values_list("pk", flat=True)
    )
    assert len(expected) == 7  # Ana Ribeiro and the six Ribeirinhos
    client = cast.client("staff")
    first = client.get("/people/?q=ribeir")
    html = first.content.decode()
    assert "More than 3 results · page 1" in html
    assert ">Next<" in html and ">Last<" not in html  # the last page is not known
    assert [p.pk for p in first.context["object_list"]] == expected[:2]
    third = client.get("/people/?q=ribeir&page=3")
    assert [p.pk for p in third.context["object_list"]] == expected[4:6]
    assert "More than 6 results · page 3" in third.content.decode()
    fourth = client.get("/people/?q=ribeir&page=4")
    assert [p.pk for p in fourth.context["object_list"]] == expected[6:]
    assert "7 results · page 4 of 4" in fourth.content.decode()


def test_people_search_finds_the_same_people_with_few_matches(cast):
    """Below the limit the count is exact and the pager as before."""
    html = cast.client("staff").get("/people/?q=ribeiro").content.decode()
    assert "1 result" in html and "More than" not in html


def test_api_people_pages_hold_every_person_once_in_order_with_an_exact_count(cast, monkeypatch):
    monkeypatch.setattr("capdev.api.pagination.DeferredJoinPagination.page_size", 4)
    Person.objects.bulk_create(
        Person(first_name=f"P{i:02d}", last_name=f"Zeta{i % 3}", sex="F", organisation=cast.org_b)
        for i in range(30)
    )
    expected = list(Person.objects.order_by("last_name", "first_name", "id").values_list("pk", flat=True))
    client = cast.client("staff")
    seen, url, pages = [], "/api/v1/people/", 0
    while url:
        data = client.get(url).json()
        assert data["count"] == len(expected)
        seen += [row["id"] for row in data["results"]]
        url, pages = data["next"], pages + 1
    assert seen == expected and pages == 10
