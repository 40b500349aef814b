"""The competency REST API: reads from visible_to, writes through the services."""

from __future__ import annotations

from capdev.competencies.models import CompetencyItem, Framework, FrameworkVersion, VersionStatus
from capdev.competencies.tests.conftest import item

API = "/api/v1"


def test_framework_list_shows_only_the_versions_each_user_may_see(cast, published, derived):
    staff = cast.client("staff").get(f"{API}/frameworks/").json()["results"]
    trainer = cast.client("trainer").get(f"{API}/frameworks/").json()["results"]
    assert [v["number"] for v in staff[0]["versions"]] == [2, 1]
    assert [v["number"] for v in trainer[0]["versions"]] == [1]


def test_staff_create_a_framework_through_the_api(cast):
    response = cast.client("staff").post(
        f"{API}/frameworks/",
        {"title": "Consular officers", "owner": cast.org_b.pk, "languages": ["es"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    version = Framework.objects.get(title="Consular officers").versions.get()
    assert version.languages == ["es"] and version.status == VersionStatus.DRAFT


def test_a_focal_point_cannot_create_a_framework(cast):
    response = cast.client("focal").post(
        f"{API}/frameworks/", {"title": "X", "owner": cast.org_a.pk}, content_type="application/json"
    )
    assert response.status_code == 403


def test_items_are_listed_by_version_in_tree_order(cast, published):
    data = (
        cast.client("participant")
        .get(f"{API}/competency-items/?version={published.pk}&top_level=true")
        .json()
    )
    assert [i["code"] for i in data["results"]] == ["D1", "D2"]
    data = (
        cast.client("participant")
        .get(f"{API}/competency-items/?version={published.pk}&q=indicator 2.1")
        .json()
    )
    assert [i["code"] for i in data["results"]] == ["D2.1.1", "D2.1.2"]


def test_items_are_added_edited_moved_and_deleted_through_the_services(cast, draft, tree):
    client = cast.client("focal")
    parent = item(draft, "D1")
    created = client.post(
        f"{API}/competency-items/",
        {
            "version": draft.pk,
            "parent": parent.pk,
            "statement": "Uses visual aids",
            "nature": "skill",
            "position": 0,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    new = CompetencyItem.objects.get(pk=created.json()["id"])
    assert (new.code, new.kind, new.position) == ("D1.3", "competency", 0)
    patched = client.patch(
        f"{API}/competency-items/{new.pk}/",
        {"statement": "Uses visual aids well"},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["statement"] == "Uses visual aids well"
    moved = client.post(
        f"{API}/competency-items/{new.pk}/move/", {"direction": "down"}, content_type="application/json"
    )
    assert moved.status_code == 200 and moved.json()["position"] == 1
    moved = client.post(
        f"{API}/competency-items/{new.pk}/move/",
        {"parent": None, "position": 0},
        content_type="application/json",
    )
    assert moved.json()["parent"] is None and moved.json()["position"] == 0
    assert client.delete(f"{API}/competency-items/{new.pk}/").status_code == 204
    assert not CompetencyItem.objects.filter(pk=new.pk).exists()


def test_a_cycle_is_refused_with_a_json_message(cast, draft, tree):
    response = cast.client("staff").post(
        f"{API}/competency-items/{item(draft, 'D1').pk}/move/",
        {"target": item(draft, "D1.1").pk, "place": "inside"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["field"] == "parent"


def test_published_items_answer_409_with_the_immutability_message(cast, published):
    target = item(published, "D1")
    response = cast.client("staff").patch(
        f"{API}/competency-items/{target.pk}/", {"statement": "X"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "Published versions cannot be changed: derive a new version."
    created = cast.client("staff").post(
        f"{API}/competency-items/",
        {"version": published.pk, "statement": "X"},
        content_type="application/json",
    )
    assert created.status_code == 409


def test_a_trainer_cannot_add_items_to_a_version_they_can_read(cast, published):
    response = cast.client("trainer").post(
        f"{API}/competency-items/",
        {"version": published.pk, "statement": "X"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_an_invisible_draft_is_not_a_valid_version_for_a_new_item(cast, draft):
    response = cast.client("trainer").post(
        f"{API}/competency-items/", {"version": draft.pk, "statement": "X"}, content_type="application/json"
    )
    assert response.status_code == 400 and "version" in response.json()


def test_version_life_cycle_through_the_api(cast, draft, tree):
    client = cast.client("staff")
    assert client.post(f"{API}/framework-versions/{draft.pk}/publish/").json()["status"] == "published"
    derived = client.post(f"{API}/framework-versions/{draft.pk}/derive/", {"change_note": "Next"})
    assert derived.status_code == 201 and derived.json()["number"] == 2
    new_id = derived.json()["id"]
    again = client.post(f"{API}/framework-versions/{draft.pk}/derive/")
    assert again.status_code == 409
    client.patch(
        f"{API}/competency-items/{CompetencyItem.objects.get(version_id=new_id, code='D1.1').pk}/",
        {"statement": "Reworded"},
        content_type="application/json",
    )
    diff = client.get(f"{API}/framework-versions/{new_id}/compare/?with={draft.pk}").json()
    assert [c["new"]["code"] for c in diff["reworded"]] == ["D1.1"] and diff["added"] == []
    assert client.post(f"{API}/framework-versions/{draft.pk}/retire/").json()["status"] == "retired"


def test_a_focal_point_may_not_publish_through_the_api(cast, draft, tree):
    assert cast.client("focal").post(f"{API}/framework-versions/{draft.pk}/publish/").status_code == 403


def test_version_details_and_levels(cast, draft):
    client = cast.client("focal")
    data = client.get(f"{API}/framework-versions/{draft.pk}/").json()
    assert [lv["name"] for lv in data["levels"]] == ["Not yet", "Developing", "Proficient", "Expert"]
    patched = client.patch(
        f"{API}/framework-versions/{draft.pk}/", {"licence": "CC BY 4.0"}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["licence"] == "CC BY 4.0"


def test_the_scale_is_replaced_with_put(cast, draft):
    keep = draft.levels.get(position=0)
    response = cast.client("staff").put(
        f"{API}/competency-scales/{draft.pk}/",
        {"levels": [{"id": keep.pk, "name": "Beginner"}, {"name": "Able", "is_threshold": True}]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert [(lv["name"], lv["is_threshold"]) for lv in response.json()["levels"]] == [
        ("Beginner", False),
        ("Able", True),
    ]
    assert response.json()["levels"][0]["id"] == keep.pk
    bad = cast.client("staff").put(
        f"{API}/competency-scales/{draft.pk}/",
        {"levels": [{"name": "A"}, {"name": "B"}]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "threshold"


def test_the_api_schema_documents_the_competency_endpoints(cast):
    schema = cast.client("staff").get(f"{API}/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/frameworks/", "/framework-versions/{id}/publish/", "/competency-items/{id}/move/"):
        assert path in schema
    assert FrameworkVersion.objects.count() == 0
