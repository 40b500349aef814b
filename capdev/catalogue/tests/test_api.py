"""The catalogue API: scoped reads with nested content, writes through the services."""

from __future__ import annotations

import json

from capdev.catalogue.models import CourseVersion, LearningObjective
from capdev.catalogue.tests.conftest import competency, level


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def _patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def test_versions_are_listed_by_visibility_and_filtered(cast, draft, published):
    ids = lambda r: {row["id"] for row in r.json()["results"]}
    assert ids(cast.client("outsider").get("/api/v1/course-versions/")) == {published.pk}
    assert ids(cast.client("focal").get("/api/v1/course-versions/")) == {published.pk, draft.pk}
    assert ids(cast.client("staff").get("/api/v1/course-versions/?status=draft")) == {draft.pk}


def test_a_version_reads_with_its_whole_content(cast, published):
    body = cast.client("participant").get(f"/api/v1/course-versions/{published.pk}/").json()
    assert [p["description"] for p in body["parts"]][1] == "5 face-to-face days"
    assert body["parts"][0]["gates_next"] is True
    first = body["modules"][0]
    assert first["title"] == "The training cycle"
    objective = first["objectives"][0]
    assert objective["is_core"] is True
    assert objective["mappings"][0]["competency_code"] == "C1"
    assert objective["mappings"][0]["target_level_name"] == "Proficient"
    assert {r["kind"] for r in body["rules"]} == {"practical_core_level", "attendance_min"}
    assert first["materials"][0]["url"] == "https://example.org/cycle"


def test_create_a_course_and_build_it_through_the_api(cast, framework):
    client = cast.client("staff")
    created = _post(
        client,
        "/api/v1/courses/",
        {
            "owner": cast.institute.pk,
            "title": "Accredited award in training",
            "mode": "face_to_face",
            "languages": ["en", "ar"],
            "framework_version": framework.pk,
        },
    )
    assert created.status_code == 201, created.content
    vid = created.json()["id"]
    part = _post(client, f"/api/v1/course-versions/{vid}/parts/", {"kind": "face_to_face", "days": 4})
    assert part.status_code == 201 and part.json()["description"] == "4 face-to-face days"
    module = _post(
        client, f"/api/v1/course-versions/{vid}/modules/", {"title": "Design", "part": part.json()["id"]}
    )
    assert module.status_code == 201
    objective = _post(
        client,
        f"/api/v1/course-modules/{module.json()['id']}/objectives/",
        {
            "text": "Write SMART objectives",
            "is_core": True,
            "mappings": [
                {
                    "competency": competency(framework, "C2").pk,
                    "target_level": level(framework, "Proficient").pk,
                }
            ],
        },
    )
    assert objective.status_code == 201 and objective.json()["mappings"][0]["competency_code"] == "C2"
    rule = _post(
        client, f"/api/v1/course-versions/{vid}/rules/", {"kind": "post_test_min", "threshold": "70"}
    )
    assert rule.json()["sentence"] == "Score at least 70 % in the post-test."
    bad = _patch(
        client,
        f"/api/v1/course-versions/{vid}/",
        {"ects_credits": "2", "contact_hours": "18", "self_study_hours": "26", "assessment_hours": "3"},
    )
    assert bad.status_code == 200
    refused = _post(client, f"/api/v1/course-versions/{vid}/publish/", {})
    assert refused.status_code == 400
    assert refused.json()["detail"] == (
        "2 ECTS = 50 hours, but the hours add up to 47 (18 contact + 26 self-study + 3 assessment)."
    )
    assert refused.json()["field"] == "ects_credits"
    _patch(client, f"/api/v1/course-versions/{vid}/", {"self_study_hours": "29"})
    published = _post(client, f"/api/v1/course-versions/{vid}/publish/", {})
    assert published.status_code == 200 and published.json()["status"] == "published"


def test_writes_on_a_published_version_answer_409(cast, published):
    client = cast.client("staff")
    response = _patch(client, f"/api/v1/course-versions/{published.pk}/", {"title": "Changed"})
    assert response.status_code == 409
    assert response.json()["detail"] == "Published versions cannot be changed: derive a new version."
    objective = LearningObjective.objects.filter(module__version=published).first()
    assert client.delete(f"/api/v1/learning-objectives/{objective.pk}/").status_code == 409


def test_cross_framework_mapping_is_refused_with_the_field(cast, draft, other_framework):
    objective = LearningObjective.objects.filter(module__version=draft).first()
    response = _patch(
        cast.client("focal"),
        f"/api/v1/learning-objectives/{objective.pk}/",
        {
            "mappings": [
                {
                    "competency": competency(other_framework, "C1").pk,
                    "target_level": level(other_framework, "Expert").pk,
                }
            ]
        },
    )
    assert response.status_code == 400 and response.json()["field"] == "competency"
    assert objective.mappings.count() == 1  # unchanged


def test_derive_and_one_draft(cast, published):
    client = cast.client("focal")
    first = _post(client, f"/api/v1/course-versions/{published.pk}/derive/", {"change_note": "v2"})
    assert first.status_code == 201 and first.json()["number"] == 2
    second = _post(client, f"/api/v1/course-versions/{published.pk}/derive/", {})
    assert second.status_code == 409


def test_roles_on_writes(cast, draft, published):
    assert _post(cast.client("focal"), f"/api/v1/course-versions/{draft.pk}/publish/", {}).status_code == 403
    assert (
        _post(cast.client("outsider"), f"/api/v1/course-versions/{draft.pk}/publish/", {}).status_code == 404
    )
    assert _post(cast.client("participant"), "/api/v1/courses/", {"title": "x"}).status_code == 403
    assert _patch(cast.client("trainer"), f"/api/v1/course-versions/{published.pk}/", {}).status_code == 403
    assert cast.client(None).get("/api/v1/courses/").status_code == 403


def test_parts_and_modules_are_changed_and_removed(cast, draft):
    client = cast.client("staff")
    part = draft.parts.get(position=2)
    response = _patch(client, f"/api/v1/delivery-parts/{part.pk}/", {"days": 3})
    assert response.json()["description"] == "3 face-to-face days"
    module = draft.modules.get(position=2)
    assert (
        _patch(client, f"/api/v1/course-modules/{module.pk}/", {"title": "Methods"}).json()["title"]
        == "Methods"
    )
    assert client.delete(f"/api/v1/course-modules/{module.pk}/").status_code == 204
    assert client.delete(f"/api/v1/delivery-parts/{part.pk}/").status_code == 204
    assert CourseVersion.objects.get(pk=draft.pk).modules.count() == 1


def test_the_schema_documents_the_catalogue(cast):
    schema = cast.client("staff").get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/course-versions/{id}/publish/" in schema
