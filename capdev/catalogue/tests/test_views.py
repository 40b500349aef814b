"""Catalogue pages: list filters and query counts, version page, authoring (with and without htmx),
life cycle buttons and downloads."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from capdev.catalogue import services
from capdev.catalogue.models import (
    CompletionRule,
    Course,
    CourseVersion,
    DeliveryPart,
    LearningObjective,
    Material,
    Module,
    RuleKind,
)
from capdev.catalogue.tests import files
from capdev.catalogue.tests.conftest import build_version, competency, level
from capdev.core.models import AuditEvent
from capdev.reference.models import ThematicArea

HX = {"HTTP_HX_REQUEST": "true"}


def _names(response) -> set[str]:
    return {v.title for v in response.context["object_list"]}


def _make(owner, fv, code, *, title, status="published", **fields):
    version = build_version(owner, fv, code=code, status=status)
    CourseVersion.objects.filter(pk=version.pk).update(title=title, **fields)
    return CourseVersion.objects.get(pk=version.pk)


# --- list ----------------------------------------------------------------------------------


@pytest.fixture
def catalogue(cast, framework):
    tot = _make(cast.implementer, framework, "tot", title="Train the Trainers", languages=["en", "pt"])
    tot.thematic_areas.set(ThematicArea.objects.filter(code="horizontal"))
    award = _make(
        cast.institute,
        framework,
        "award",
        title="Accredited award",
        languages=["en", "ar"],
        ects_credits=Decimal(2),
        qualification_framework="MQF",
        qualification_level=5,
        mode="face_to_face",
    )
    draft = _make(cast.org_a, framework, "dpu-draft", title="DPU draft", status="draft", languages=["pt"])
    return {"tot": tot, "award": award, "draft": draft}


def test_list_shows_one_row_per_product_and_filters(cast, catalogue):
    client = cast.client("staff")
    assert _names(client.get("/catalogue/")) == {"Train the Trainers", "Accredited award", "DPU draft"}
    assert _names(client.get("/catalogue/?language=ar")) == {"Accredited award"}
    assert _names(client.get("/catalogue/?language=pt")) == {"Train the Trainers", "DPU draft"}
    assert _names(
        client.get("/catalogue/?thematic_area=" + str(ThematicArea.objects.get(code="horizontal").pk))
    ) == {"Train the Trainers"}
    assert _names(client.get("/catalogue/?mode=face_to_face")) == {"Accredited award"}
    assert _names(client.get("/catalogue/?credits=yes")) == {"Accredited award"}
    assert _names(client.get("/catalogue/?level=5")) == {"Accredited award"}
    assert _names(client.get("/catalogue/?status=draft")) == {"DPU draft"}
    assert _names(client.get("/catalogue/?q=trainers")) == {"Train the Trainers"}


def test_list_shows_the_published_version_of_a_course_with_a_draft_in_progress(cast, catalogue):
    nxt = services.derive_version(catalogue["tot"], actor=cast.staff)
    services.update_version(nxt, actor=cast.staff, title="Train the Trainers, revised")
    client = cast.client("staff")
    assert "Train the Trainers" in _names(client.get("/catalogue/"))
    assert "Train the Trainers, revised" in _names(client.get("/catalogue/?status=draft"))


def test_list_hides_other_organisations_drafts(cast, catalogue):
    assert _names(cast.client("outsider").get("/catalogue/")) == {"Train the Trainers", "Accredited award"}
    assert "DPU draft" in _names(cast.client("focal").get("/catalogue/"))


def test_list_hides_adaptations(cast, catalogue):
    Course.objects.filter(pk=catalogue["draft"].course_id).update(kind="adaptation")
    assert "DPU draft" not in _names(cast.client("staff").get("/catalogue/"))


def test_list_answers_htmx_with_the_results_only(cast, catalogue):
    body = cast.client("staff").get("/catalogue/?q=award", **HX).content.decode()
    assert "<html" not in body and "Accredited award" in body and "Train the Trainers" not in body


def test_list_query_count_does_not_grow_with_rows(cast, framework, catalogue, django_assert_max_num_queries):
    client = cast.client("staff")
    client.get("/catalogue/")
    with django_assert_max_num_queries(12) as small:
        client.get("/catalogue/")
    for i in range(15):
        v = _make(cast.implementer, framework, f"extra-{i}", title=f"Extra {i}", languages=["fr"])
        v.thematic_areas.set(ThematicArea.objects.all()[:2])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/catalogue/")
    assert len(response.context["object_list"]) == 18


# --- creating and the version page ---------------------------------------------------------


def test_staff_create_a_product_through_the_page(cast, framework):
    response = cast.client("staff").post(
        "/catalogue/new/",
        {
            "title": "Consular protection basics",
            "owner": cast.implementer.pk,
            "mode": "online",
            "languages": ["en", "es"],
            "framework_version": framework.pk,
        },
    )
    version = CourseVersion.objects.get(title="Consular protection basics")
    assert response.status_code == 302 and response["Location"] == version.get_absolute_url()
    assert version.languages == ["en", "es"] and version.course.code == "consular-protection-basics"


def test_create_form_shows_errors_and_saves_nothing(cast):
    response = cast.client("staff").post("/catalogue/new/", {"title": "", "mode": "online"})
    assert response.status_code == 200
    assert "title" in response.context["form"].errors and "owner" in response.context["form"].errors
    assert not Course.objects.exists()


def test_version_page_shows_the_whole_product(cast, draft, framework):
    services.update_version(
        draft,
        actor=None,
        summary="A blended course.",
        ects_credits=2,
        qualification_framework="MQF",
        qualification_level=5,
    )
    body = cast.client("focal").get(draft.get_absolute_url()).content.decode()
    assert "A blended course." in body
    assert (
        "Online self-paced part" in body
        and "must be completed before" in body
        and "5 face-to-face days" in body
    )
    assert "The training cycle" in body and "Describe the training cycle" in body
    assert "C1 Analyses training needs → Proficient" in body
    assert "Attend at least 80 % of the sessions." in body
    assert "Reach at least “Proficient” in the practical assessment on every core competency." in body
    assert "Cycle slides" in body and "https://example.org/cycle" in body
    # the publishing checklist names what is missing
    assert "Give at least one language the product is offered in." in body
    assert "40 hours in all" in body


def test_version_page_query_count_is_constant(cast, draft, django_assert_max_num_queries):
    client = cast.client("staff")
    client.get(draft.get_absolute_url())
    with django_assert_max_num_queries(40) as small:
        client.get(draft.get_absolute_url())
    for i in range(8):
        m = Module.objects.create(version=draft, position=10 + i, title=f"M{i}", part=draft.parts.first())
        LearningObjective.objects.create(module=m, position=1, text=f"O{i}")
        Material.objects.create(module=m, language="en", title=f"L{i}", url="https://example.org")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(draft.get_absolute_url())


def test_buttons_follow_the_role(cast, draft, published):
    staff = cast.client("staff").get(draft.get_absolute_url()).content.decode()
    assert "Publish…" in staff and "Edit this draft" in staff
    focal = cast.client("focal").get(draft.get_absolute_url()).content.decode()
    assert "Publish…" not in focal and "Edit this draft" in focal
    outsider = cast.client("outsider").get(published.get_absolute_url()).content.decode()
    assert "Start a new version" not in outsider and "Retire" not in outsider


# --- description form ----------------------------------------------------------------------


def test_the_description_form_saves_through_the_service(cast, draft, framework):
    response = cast.client("focal").post(
        f"/catalogue/versions/{draft.pk}/edit/",
        {
            "title": "Vocational Train the Trainers",
            "mode": "blended",
            "languages": ["en", "ar"],
            "framework_version": framework.pk,
            "contact_hours": "18",
            "self_study_hours": "29",
            "assessment_hours": "3",
            "ects_credits": "2",
            "qualification_framework": "MQF",
            "qualification_level": "5",
            "accredited_by": "MFHEA",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.languages, draft.total_hours, draft.qualification_level) == (["en", "ar"], Decimal(50), 5)
    assert (
        AuditEvent.objects.for_object(draft).filter(verb="course_version.updated", actor=cast.focal).exists()
    )


def test_the_description_form_shows_service_refusals_on_their_field(cast, draft, framework):
    response = cast.client("staff").post(
        f"/catalogue/versions/{draft.pk}/edit/",
        {
            "title": "X",
            "mode": "blended",
            "qualification_level": "5",
            "framework_version": framework.pk,
            "contact_hours": "0",
            "self_study_hours": "0",
            "assessment_hours": "0",
        },
    )
    assert response.status_code == 200
    assert "A qualification level needs its framework" in str(
        response.context["form"].errors["qualification_framework"]
    )


def test_edit_pages_of_a_published_version_redirect_with_the_immutability_message(cast, published):
    client = cast.client("staff")
    response = client.get(f"/catalogue/versions/{published.pk}/modules/", follow=True)
    assert "Published versions cannot be changed: derive a new version." in response.content.decode()


# --- parts with htmx -----------------------------------------------------------------------


def test_adding_a_part_with_htmx_answers_the_parts_editor(cast, draft):
    response = cast.client("staff").post(
        f"/catalogue/versions/{draft.pk}/parts/",
        {"new-kind": "field_trip", "new-title": "Field trip to The Hague", "new-days": "1"},
        **HX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "1-day field trip" in body and "Field trip to The Hague" in body
    assert draft.parts.count() == 3


def test_adding_a_part_without_htmx_redirects(cast, draft):
    response = cast.client("staff").post(
        f"/catalogue/versions/{draft.pk}/parts/", {"new-kind": "live_online"}
    )
    assert response.status_code == 302 and response["Location"] == f"/catalogue/versions/{draft.pk}/parts/"


def test_a_refused_part_shows_the_message_on_its_field(cast, draft):
    response = cast.client("staff").post(
        f"/catalogue/versions/{draft.pk}/parts/", {"new-kind": "face_to_face"}, **HX
    )
    assert "Give the number of face-to-face days (or weeks)." in response.content.decode()
    assert draft.parts.count() == 2


def test_inline_part_edit_and_its_errors_target_the_row(cast, draft):
    part = draft.parts.get(position=2)
    client = cast.client("staff")
    form = client.get(f"/catalogue/versions/{draft.pk}/parts/{part.pk}/edit/", **HX)
    assert (
        "<html" not in form.content.decode()
        and f'hx-post="/catalogue/versions/{draft.pk}/parts/{part.pk}/edit/"' in form.content.decode()
    )
    bad = client.post(
        f"/catalogue/versions/{draft.pk}/parts/{part.pk}/edit/", {f"part{part.pk}-kind": "face_to_face"}, **HX
    )
    assert bad["HX-Retarget"] == f"#part-{part.pk}"
    ok = client.post(
        f"/catalogue/versions/{draft.pk}/parts/{part.pk}/edit/",
        {f"part{part.pk}-kind": "face_to_face", f"part{part.pk}-days": "4"},
        **HX,
    )
    assert "HX-Retarget" not in ok and "4 face-to-face days" in ok.content.decode()


def test_parts_move_and_delete_with_htmx(cast, draft):
    online, f2f = draft.parts.order_by("position")
    client = cast.client("staff")
    client.post(f"/catalogue/versions/{draft.pk}/parts/{f2f.pk}/move/", {"direction": "up"}, **HX)
    assert list(draft.parts.order_by("position")) == [f2f, online]
    response = client.post(f"/catalogue/versions/{draft.pk}/parts/{online.pk}/delete/", **HX)
    assert response.status_code == 200 and list(draft.parts.all()) == [f2f]


# --- modules and objectives with htmx ------------------------------------------------------


def test_objectives_are_added_and_edited_inline(cast, draft):
    module = draft.modules.get(position=1)
    client = cast.client("focal")
    form = client.get(f"/catalogue/versions/{draft.pk}/modules/{module.pk}/objectives/new/", **HX)
    assert "<html" not in form.content.decode()
    prefix = f"new-objective{module.pk}"
    response = client.post(
        f"/catalogue/versions/{draft.pk}/modules/{module.pk}/objectives/new/",
        {f"{prefix}-text": "Sequence the steps of the training cycle", f"{prefix}-is_core": "on"},
        **HX,
    )
    body = response.content.decode()
    assert f'id="module-{module.pk}"' in body and "Sequence the steps of the training cycle" in body
    objective = module.objectives.get(text__startswith="Sequence")
    assert objective.is_core and objective.position == 3
    bad = client.post(
        f"/catalogue/versions/{draft.pk}/objectives/{objective.pk}/edit/",
        {f"objective{objective.pk}-text": ""},
        **HX,
    )
    assert bad["HX-Retarget"] == f"#objective-{objective.pk}"
    client.post(
        f"/catalogue/versions/{draft.pk}/objectives/{objective.pk}/edit/",
        {f"objective{objective.pk}-text": "Order the training cycle"},
        **HX,
    )
    objective.refresh_from_db()
    assert objective.text == "Order the training cycle" and not objective.is_core
    client.post(f"/catalogue/versions/{draft.pk}/objectives/{objective.pk}/move/", {"direction": "up"}, **HX)
    objective.refresh_from_db()
    assert objective.position == 2
    client.post(f"/catalogue/versions/{draft.pk}/objectives/{objective.pk}/delete/", **HX)
    assert module.objectives.count() == 2


def test_modules_are_added_edited_moved_and_removed(cast, draft):
    client = cast.client("staff")
    response = client.post(
        f"/catalogue/versions/{draft.pk}/modules/",
        {"new-title": "Evaluation and closing", "new-part": draft.parts.get(position=2).pk},
        **HX,
    )
    assert "Evaluation and closing" in response.content.decode()
    module = draft.modules.get(title="Evaluation and closing")
    response = client.post(
        f"/catalogue/versions/{draft.pk}/modules/{module.pk}/edit/",
        {f"module{module.pk}-title": "Evaluation, feedback and closing"},
        **HX,
    )
    assert f'id="module-{module.pk}"' in response.content.decode()
    client.post(f"/catalogue/versions/{draft.pk}/modules/{module.pk}/move/", {"direction": "up"}, **HX)
    assert draft.modules.get(pk=module.pk).position == 2
    client.post(f"/catalogue/versions/{draft.pk}/modules/{module.pk}/delete/")
    assert not Module.objects.filter(pk=module.pk).exists()


def test_mapping_page_sets_competencies_and_levels(cast, draft, framework):
    objective = LearningObjective.objects.get(module__version=draft, text="Analyse a training need")
    url = f"/catalogue/versions/{draft.pk}/objectives/{objective.pk}/competencies/"
    page = cast.client("staff").get(url).content.decode()
    assert "Analyses training needs" in page and "Designing training" in page  # the domain as a heading
    c1, c3 = competency(framework, "C1"), competency(framework, "C3")
    response = cast.client("staff").post(
        url, {f"c{c1.pk}": level(framework, "Expert").pk, f"c{c3.pk}": level(framework, "Developing").pk}
    )
    assert response.status_code == 302
    assert {(m.competency.code, m.target_level.name) for m in objective.mappings.all()} == {
        ("C1", "Expert"),
        ("C3", "Developing"),
    }


# --- completion rules and materials --------------------------------------------------------


def test_rules_page_sets_and_removes_rules(cast, draft, framework):
    response = cast.client("staff").post(
        f"/catalogue/versions/{draft.pk}/rules/",
        {
            "online_completed": "on",
            "attendance_min": "on",
            "attendance_min_threshold": "80",
            "post_test_min": "on",
            "post_test_min_threshold": "70",
            "practical_core_level": "on",
            "practical_core_level_level": level(framework, "Proficient").pk,
        },
    )
    assert response.status_code == 302
    assert set(draft.rules.values_list("kind", flat=True)) == {
        "online_completed",
        "attendance_min",
        "post_test_min",
        "practical_core_level",
    }


def test_rules_page_refuses_a_missing_threshold_and_keeps_everything(cast, draft):
    before = set(CompletionRule.objects.filter(version=draft).values_list("kind", "threshold"))
    response = cast.client("staff").post(
        f"/catalogue/versions/{draft.pk}/rules/", {"post_test_min": "on", "pillar_points_min": "on"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Give the minimum percentage" in str(errors["post_test_min_threshold"])
    assert set(CompletionRule.objects.filter(version=draft).values_list("kind", "threshold")) == before
    assert RuleKind.ATTENDANCE_MIN in dict(before)


def test_upload_through_the_page_and_download_through_the_view(cast, draft):
    module = draft.modules.first()
    client = cast.client("focal")
    response = client.post(
        f"/catalogue/versions/{draft.pk}/materials/",
        {
            "kind": "file",
            "file-module": module.pk,
            "file-language": "en",
            "file-title": "Trainer handbook",
            "file-file": SimpleUploadedFile("handbook.pdf", files.PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    material = Material.objects.get(title="Trainer handbook")
    download = client.get(f"/catalogue/materials/{material.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == files.PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert cast.client("outsider").get(f"/catalogue/materials/{material.pk}/download/").status_code == 404


def test_a_disguised_upload_is_refused_on_the_file_field(cast, draft):
    response = cast.client("staff").post(
        f"/catalogue/versions/{draft.pk}/materials/",
        {
            "kind": "file",
            "file-module": draft.modules.first().pk,
            "file-language": "en",
            "file-file": SimpleUploadedFile("report.pdf", files.EXE, content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "is a program, not a document" in str(response.context["file_form"].errors["file"])


def test_links_are_added_and_removed(cast, draft):
    client = cast.client("staff")
    module = draft.modules.first()
    client.post(
        f"/catalogue/versions/{draft.pk}/materials/",
        {
            "kind": "link",
            "link-module": module.pk,
            "link-language": "en",
            "link-title": "Video",
            "link-url": "https://example.org/v",
        },
    )
    link = Material.objects.get(title="Video")
    client.post(f"/catalogue/versions/{draft.pk}/materials/{link.pk}/delete/")
    assert not Material.objects.filter(pk=link.pk).exists()


# --- life cycle ----------------------------------------------------------------------------


def test_publish_page_lists_problems_then_publishes(cast, draft):
    client = cast.client("staff")
    page = client.get(f"/catalogue/versions/{draft.pk}/publish/").content.decode()
    assert "Give at least one language" in page and ">Publish</button>" not in page
    response = client.post(f"/catalogue/versions/{draft.pk}/publish/")
    assert response.status_code == 200 and "Give at least one language" in response.content.decode()
    services.update_version(draft, actor=None, languages=["en"])
    response = client.post(f"/catalogue/versions/{draft.pk}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"


def test_focal_point_cannot_publish_but_can_start_a_new_version(cast, published):
    client = cast.client("focal")
    assert client.post(f"/catalogue/versions/{published.pk}/retire/").status_code == 403
    response = client.post(
        f"/catalogue/versions/{published.pk}/derive/", {"change_note": "Examples from Brazil"}
    )
    new = CourseVersion.objects.get(course=published.course, number=2)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.change_note == "Examples from Brazil"
    again = client.post(f"/catalogue/versions/{published.pk}/derive/", follow=True)
    assert "Version 2 is already a draft" in again.content.decode()


def test_retire_and_discard(cast, published, draft):
    client = cast.client("staff")
    client.post(f"/catalogue/versions/{published.pk}/retire/")
    published.refresh_from_db()
    assert published.status == "retired"
    response = client.post(f"/catalogue/versions/{draft.pk}/discard/")
    assert response.status_code == 302 and response["Location"] == "/catalogue/"
    assert not CourseVersion.objects.filter(pk=draft.pk).exists()


def test_adaptations_are_not_edited_here(cast, draft):
    Course.objects.filter(pk=draft.course_id).update(kind="adaptation")
    assert cast.client("staff").get(f"/catalogue/versions/{draft.pk}/modules/").status_code == 404
    assert cast.client("staff").get(f"/catalogue/versions/{draft.pk}/").status_code == 200


def test_the_catalogue_is_in_the_navigation(cast):
    body = cast.client("participant").get("/catalogue/").content.decode()
    assert 'href="/catalogue/"' in body and "Catalogue" in body


def test_pages_render_in_arabic(cast, draft):
    client = Client(HTTP_ACCEPT_LANGUAGE="ar")
    client.force_login(cast.staff)
    client.cookies["capdev_language"] = "ar"
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert DeliveryPart.objects.filter(version=draft).exists()
