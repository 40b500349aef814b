from __future__ import annotations

import pytest

from capdev.core.errors import DomainError
from capdev.core.models import AuditEvent
from capdev.organisations import services
from capdev.organisations.models import Organisation, OrganisationType


def test_creating_an_organisation_takes_the_region_of_its_country_and_is_audited(cast):
    org = services.create_organisation(
        actor=cast.staff,
        name="Ministère de l'Intérieur",
        type=OrganisationType.PARTNER_AUTHORITY,
        country_id="MA",
    )
    assert org.region == "eu_neighbourhood"
    event = AuditEvent.objects.for_object(org).get()
    assert event.verb == "organisation.created"
    assert event.actor == cast.staff
    assert event.changes["name"] == [None, "Ministère de l'Intérieur"]


def test_updating_records_before_and_after(cast):
    services.update_organisation(cast.org_a, actor=cast.focal, acronym="DPU-BR", phone="+55 61 0000")
    event = AuditEvent.objects.for_object(cast.org_a).filter(verb="organisation.updated").get()
    assert event.changes["acronym"] == ["DPU", "DPU-BR"]
    assert event.actor_repr == cast.focal.email


def test_an_organisation_cannot_be_placed_under_its_own_child(cast):
    child = services.create_organisation(
        actor=cast.staff,
        name="Escola Superior da DPU",
        type=OrganisationType.TRAINING_INSTITUTION,
        country_id="BR",
        parent=cast.org_a,
    )
    with pytest.raises(DomainError) as info:
        services.update_organisation(cast.org_a, actor=cast.staff, parent=child)
    assert info.value.field == "parent"
    cast.org_a.refresh_from_db()
    assert cast.org_a.parent is None


def test_focal_point_sees_sub_organisations_of_their_organisation(cast):
    child = services.create_organisation(
        actor=cast.staff,
        name="Escola Superior da DPU",
        type=OrganisationType.TRAINING_INSTITUTION,
        country_id="BR",
        parent=cast.org_a,
    )
    visible = set(Organisation.objects.visible_to(cast.focal))
    assert child in visible and cast.org_a in visible and cast.org_b not in visible


def test_create_form_shows_field_errors_and_saves_nothing(cast):
    before = Organisation.objects.count()
    response = cast.client("staff").post("/organisations/new/", {"name": "", "type": "nonsense"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert "type" in response.context["form"].errors
    assert Organisation.objects.count() == before


def test_staff_creates_an_organisation_through_the_page(cast):
    response = cast.client("staff").post(
        "/organisations/new/",
        {"name": "Ministry of Foreign Affairs", "acronym": "MFA", "type": "partner", "country": "SV"},
    )
    org = Organisation.objects.get(acronym="MFA")
    assert response.status_code == 302 and response["Location"] == org.get_absolute_url()
    assert org.region == "latin_america"


def test_focal_point_edits_their_organisation(cast):
    response = cast.client("focal").post(
        f"/organisations/{cast.org_a.pk}/edit/",
        {
            "name": cast.org_a.name,
            "acronym": "DPU",
            "type": "partner",
            "country": "BR",
            "phone": "+55 61 3318",
        },
    )
    assert response.status_code == 302
    cast.org_a.refresh_from_db()
    assert cast.org_a.phone == "+55 61 3318"


def test_list_filters_by_type_country_region_and_search(cast):
    client = cast.client("staff")
    names = lambda r: {o.name for o in r.context["object_list"]}
    assert names(client.get("/organisations/?type=donor")) == {cast.donor.name}
    assert names(client.get("/organisations/?country=CR")) == {cast.org_b.name}
    assert cast.org_a.name in names(client.get("/organisations/?region=latin_america"))
    assert names(client.get("/organisations/?q=dpu")) == {cast.org_a.name}


def test_list_answers_htmx_with_the_results_partial_only(cast):
    response = cast.client("staff").get("/organisations/?q=dpu", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and cast.org_a.name in body


def test_list_query_count_does_not_grow_with_rows(cast, django_assert_max_num_queries):
    client = cast.client("staff")
    client.get("/organisations/")  # warm caches (content types, session)
    with django_assert_max_num_queries(12) as small:
        client.get("/organisations/")
    for i in range(30):
        Organisation.objects.create(name=f"Org {i}", type="partner", country_id="KE")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/organisations/")


def test_detail_page_shows_change_history_to_staff_only(cast):
    services.update_organisation(cast.org_a, actor=cast.staff, phone="+55 61 1234")
    assert "Change history" in cast.client("staff").get(cast.org_a.get_absolute_url()).content.decode()
    assert "Change history" not in cast.client("focal").get(cast.org_a.get_absolute_url()).content.decode()


def test_api_lists_only_visible_organisations_and_writes_through_services(cast):
    data = cast.client("outsider").get("/api/v1/organisations/").json()
    assert {row["id"] for row in data["results"]} == {cast.org_b.pk}
    response = cast.client("staff").post(
        "/api/v1/organisations/",
        {"name": "Academia Diplomática", "type": "training", "country": "SV"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    org = Organisation.objects.get(pk=response.json()["id"])
    assert AuditEvent.objects.for_object(org).filter(verb="organisation.created").exists()


def test_api_refuses_focal_point_creating_organisations(cast):
    response = cast.client("focal").post(
        "/api/v1/organisations/", {"name": "X", "type": "partner"}, content_type="application/json"
    )
    assert response.status_code == 403
