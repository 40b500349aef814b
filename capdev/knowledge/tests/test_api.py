"""The lessons and tags API: search, filters, scoping, writes through the services."""

from __future__ import annotations

from capdev.knowledge.models import Lesson
from capdev.knowledge.tests.conftest import make_lesson, theme


def test_search_returns_ranked_results_with_snippets(cast, kb):
    make_lesson(cast.staff, title="Notes", body="The pilot, mentioned in the text only.")
    data = cast.client("participant").get("/api/v1/lessons/", {"q": "pilot"}).json()
    titles = [r["title"] for r in data["results"]]
    assert titles == ["Pilot a standardised ToT before roll-out", "Notes"]
    first, second = data["results"]
    assert first["rank"] > second["rank"] > 0
    assert "<mark>pilot</mark>" in second["snippet"]


def test_list_without_search_has_no_rank(cast, kb):
    data = cast.client("staff").get("/api/v1/lessons/").json()
    assert data["count"] == 3
    assert all(r["rank"] is None and r["snippet"] is None for r in data["results"])


def test_filters_are_shared_with_the_page(cast, kb):
    data = cast.client("staff").get("/api/v1/lessons/", {"kind": "good_practice"}).json()
    assert [r["title"] for r in data["results"]] == ["Keep a weekly live session in online courses"]
    data = cast.client("staff").get("/api/v1/lessons/", {"tag": "ownership", "activity_type": "tot"}).json()
    assert [r["id"] for r in data["results"]] == [kb.lesson.pk]


def test_partner_gets_published_lessons_and_only_their_action_ids(cast, kb):
    data = cast.client("focal").get("/api/v1/lessons/").json()
    assert {r["id"] for r in data["results"]} == {kb.lesson.pk, kb.practice.pk}
    by_id = {r["id"]: r for r in data["results"]}
    assert by_id[kb.lesson.pk]["actions"] == [kb.action_a.pk]
    assert by_id[kb.practice.pk]["actions"] == []
    detail = cast.client("outsider").get(f"/api/v1/lessons/{kb.lesson.pk}/").json()
    assert detail["actions"] == [kb.action_b.pk]
    assert detail["tags"] == ["ownership", "ToT"]


def test_filtering_on_an_action_outside_the_scope_is_refused_like_an_unknown_one(cast, kb):
    outside = cast.client("focal").get("/api/v1/lessons/", {"action": kb.action_b.pk})
    unknown = cast.client("focal").get("/api/v1/lessons/", {"action": 999999})
    assert outside.status_code == unknown.status_code == 400


def test_staff_create_and_update_through_the_services(cast, kb):
    client = cast.client("staff")
    response = client.post(
        "/api/v1/lessons/",
        {
            "kind": "lesson",
            "title": "Rotate the host of regional meetings",
            "body": "Each country hosts in turn.",
            "language": "en",
            "actions": [kb.action_a.pk],
            "thematic_areas": ["horizontal"],
            "countries": ["AR", "BO"],
            "activity_types": ["roundtable"],
            "tags": ["Regional partnership", "regional  partnership", "coordination"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    lesson = Lesson.objects.get(title="Rotate the host of regional meetings")
    assert not lesson.published  # drafts until published
    assert sorted(t.name for t in lesson.tags.all()) == ["Regional partnership", "coordination"]
    assert response.json()["tags"] == ["coordination", "Regional partnership"]
    response = client.patch(
        f"/api/v1/lessons/{lesson.pk}/", {"title": "Rotate the host"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert client.post(f"/api/v1/lessons/{lesson.pk}/publish/").status_code == 200
    conflict = client.post(f"/api/v1/lessons/{lesson.pk}/publish/")
    assert conflict.status_code == 409 and conflict.json()["code"] == "already_published"
    assert client.post(f"/api/v1/lessons/{lesson.pk}/unpublish/", {"reason": "x"}).status_code == 200


def test_domain_errors_are_400_with_the_field(cast):
    response = cast.client("staff").post(
        "/api/v1/lessons/",
        {"kind": "lesson", "title": "T", "body": "B", "tags": [f"t{n}" for n in range(25)]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "tags"


def test_others_cannot_write(cast, kb):
    for role in ("steering", "focal", "trainer", "participant", "outsider"):
        client = cast.client(role)
        data = {"kind": "lesson", "title": "T", "body": "B"}
        assert client.post("/api/v1/lessons/", data, content_type="application/json").status_code == 403
        assert client.post(f"/api/v1/lessons/{kb.lesson.pk}/unpublish/").status_code == 403
        assert client.post(f"/api/v1/lessons/{kb.draft.pk}/publish/").status_code == 404


def test_tags_with_counts_scoped_to_published_lessons(cast, kb):
    staff = {t["name"]: t["lessons"] for t in cast.client("staff").get("/api/v1/tags/").json()["results"]}
    assert staff == {"budget": 1, "online course": 1, "ownership": 1, "ToT": 1}
    focal = {t["name"]: t["lessons"] for t in cast.client("focal").get("/api/v1/tags/").json()["results"]}
    assert focal == {"online course": 1, "ownership": 1, "ToT": 1}
    found = cast.client("focal").get("/api/v1/tags/", {"q": "OWN"}).json()["results"]
    assert [t["name"] for t in found] == ["ownership"]


def test_a_listed_lesson_reads_as_its_detail_for_every_reader(cast, kb):
    """The list reads the links of all its rows at once (add_api_links), the detail those of its
    one lesson. Both must give the same lesson, links in the same order and Actions outside the
    reader's scope left out."""
    import datetime

    from capdev.actions.models import Action
    from capdev.reference.models import Country

    Action.objects.filter(pk=kb.action_b.pk).update(start_date=datetime.date(2023, 5, 1))
    kb.lesson.thematic_areas.add(theme("legal"))
    kb.lesson.countries.add(Country.objects.get(code="AR"), Country.objects.get(code="CR"))
    for who in ("staff", "focal", "outsider", "participant"):
        client = cast.client(who)
        listed = client.get("/api/v1/lessons/").json()["results"]
        assert listed, who
        for row in listed:
            detail = client.get(row["url"]).json()
            assert row == detail, (who, row["title"])
    rows = cast.client("staff").get("/api/v1/lessons/", {"q": "pilot"}).json()["results"]
    row = next(r for r in rows if r["id"] == kb.lesson.pk)
    assert row["actions"] == [kb.action_b.pk, kb.action_a.pk]  # the latest start first
    assert row["countries"] == ["AR", "BR", "CR"]  # by name
    assert row["thematic_areas"] == ["legal", "protection"]  # in the programme's order
    assert row["tags"] == ["ownership", "ToT"] and row["activity_types"] == ["tot"]
    assert row["rank"] > 0 and "<mark>" in row["snippet"]
