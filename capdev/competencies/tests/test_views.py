"""The competency pages: list, framework, the authoring tree's htmx endpoints (with their
full-page fallbacks), scale, life cycle and comparison."""

from __future__ import annotations

import json

import pytest

from capdev.competencies import services
from capdev.competencies.models import CompetencyItem, Framework, FrameworkVersion, VersionStatus
from capdev.competencies.tests.conftest import build_tree, item, tree_shape

HX = {"HTTP_HX_REQUEST": "true"}


def hx_message(response) -> str:
    return json.loads(response["HX-Trigger"])["capdev:tree-message"]["text"]


# List -------------------------------------------------------------------------------------------


def test_the_navigation_offers_competencies_to_every_logged_in_user(cast):
    for who in ("staff", "trainer", "participant"):
        body = cast.client(who).get("/dashboard/").content.decode()
        assert 'href="/competencies/"' in body


def test_list_shows_published_frameworks_to_all_and_drafts_to_their_readers(cast, published, draft):
    other = services.create_framework(actor=cast.staff, title="Consular protection", owner=cast.org_b)

    def titles(who):
        return {f.title for f in cast.client(who).get("/competencies/").context["object_list"]}

    assert titles("staff") == {"Trainer competency framework", "Consular protection"}
    assert titles("trainer") == {"Trainer competency framework"}
    assert titles("outsider") == {"Trainer competency framework", "Consular protection"}
    assert other.title not in titles("focal")


def test_list_filters_by_search_status_and_owner(cast, published):
    services.create_framework(actor=cast.staff, title="Consular protection", owner=cast.org_b)
    client = cast.client("staff")

    def titles(query):
        return {f.title for f in client.get(f"/competencies/?{query}").context["object_list"]}

    assert titles("q=consular") == {"Consular protection"}
    assert titles("status=published") == {"Trainer competency framework"}
    assert titles("status=draft") == {"Consular protection"}
    assert titles(f"owner={cast.org_a.pk}") == {"Trainer competency framework"}


def test_a_trainer_cannot_find_drafts_through_the_status_filter(cast, published):
    services.derive_version(published, actor=cast.staff)
    services.create_framework(actor=cast.staff, title="Consular protection", owner=cast.org_b)
    response = cast.client("trainer").get("/competencies/?status=draft")
    assert list(response.context["object_list"]) == []


def test_the_owner_filter_names_only_owners_of_visible_frameworks(cast, published):
    services.create_framework(actor=cast.staff, title="Consular protection", owner=cast.org_b)
    owners = cast.client("trainer").get("/competencies/").context["filter"].form.fields["owner"].queryset
    assert list(owners) == [cast.org_a]
    staff = cast.client("staff").get("/competencies/").context["filter"].form.fields["owner"].queryset
    assert set(staff) == {cast.org_a, cast.org_b}


def test_list_answers_htmx_with_the_results_only(cast, published):
    response = cast.client("staff").get("/competencies/?q=trainer", **HX)
    body = response.content.decode()
    assert "<html" not in body and "Trainer competency framework" in body


def test_list_query_count_does_not_grow_with_rows(cast, django_assert_max_num_queries):
    client = cast.client("staff")
    services.create_framework(actor=cast.staff, title="Framework 0", owner=cast.org_a)
    client.get("/competencies/")  # warm caches (content types, session)
    with django_assert_max_num_queries(12) as small:
        client.get("/competencies/")
    for i in range(1, 16):
        framework = services.create_framework(actor=cast.staff, title=f"Framework {i}", owner=cast.org_a)
        version = framework.versions.get()
        build_tree(version, cast.staff, domains=1, competencies=1, indicators=0)
        services.publish_version(version, actor=cast.staff)
        services.derive_version(version, actor=cast.staff)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/competencies/")
    assert len(response.context["object_list"]) == 16


def test_list_query_count_for_a_focal_point_is_constant_too(cast, django_assert_max_num_queries):
    client = cast.client("focal")
    services.create_framework(actor=cast.staff, title="Framework 0", owner=cast.org_a)
    client.get("/competencies/")
    with django_assert_max_num_queries(14) as small:
        client.get("/competencies/")
    for i in range(1, 11):
        services.create_framework(actor=cast.staff, title=f"Framework {i}", owner=cast.org_a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/competencies/")


# Frameworks -------------------------------------------------------------------------------------


def test_staff_create_a_framework_and_land_on_its_draft(cast):
    response = cast.client("staff").post(
        "/competencies/new/",
        {"title": "Border investigators", "owner": cast.implementer.pk, "languages": "en, fr"},
    )
    framework = Framework.objects.get(title="Border investigators")
    version = framework.versions.get()
    assert response.status_code == 302 and response["Location"] == version.get_absolute_url()
    assert version.languages == ["en", "fr"] and version.levels.count() == 4


def test_create_form_shows_the_service_refusal_on_its_field(cast):
    response = cast.client("staff").post(
        "/competencies/new/", {"title": "X", "owner": cast.implementer.pk, "languages": "English"}
    )
    assert response.status_code == 200
    assert "languages" in response.context["form"].errors
    assert not Framework.objects.exists()


def test_focal_point_renames_their_framework(cast, framework):
    response = cast.client("focal").post(
        f"/competencies/{framework.pk}/edit/", {"title": "Trainer framework", "owner": cast.org_a.pk}
    )
    assert response.status_code == 302
    framework.refresh_from_db()
    assert framework.title == "Trainer framework"


def test_framework_page_lists_visible_versions_and_offers_derivation(cast, published):
    response = cast.client("staff").get(f"/competencies/{published.framework_id}/")
    assert response.context["derive_from"] == published
    services.derive_version(published, actor=cast.staff)
    staff_versions = cast.client("staff").get(f"/competencies/{published.framework_id}/").context["versions"]
    assert [v.number for v in staff_versions] == [2, 1]
    trainer = cast.client("trainer").get(f"/competencies/{published.framework_id}/")
    assert [v.number for v in trainer.context["versions"]] == [1]
    assert trainer.context["derive_from"] is None


# The tree ---------------------------------------------------------------------------------------


def test_a_draft_tree_offers_editing_to_its_editors(cast, draft, tree):
    body = cast.client("focal").get(f"/competencies/versions/{draft.pk}/").content.decode()
    assert 'class="tree-handle"' in body and "Move up" in body and "Add a domain" in body
    assert body.count('class="tree-node ') == len(tree)
    assert 'aria-expanded="true"' in body and "tree.js" in body


def test_a_published_tree_is_read_only(cast, published):
    body = cast.client("staff").get(f"/competencies/versions/{published.pk}/").content.decode()
    assert "D1.1.1" in body and "Indicator 1.1.1" in body
    assert 'class="tree-handle"' not in body and "Move up" not in body
    assert "Derive a new version" in body and "Retire" in body


def test_the_tree_page_query_count_does_not_grow_with_items(cast, draft, django_assert_max_num_queries):
    client = cast.client("staff")
    build_tree(draft, cast.staff, domains=1, competencies=1, indicators=1)
    client.get(f"/competencies/versions/{draft.pk}/")
    with django_assert_max_num_queries(30) as small:
        client.get(f"/competencies/versions/{draft.pk}/")
    build_tree(draft, cast.staff, domains=5, competencies=5, indicators=3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"/competencies/versions/{draft.pk}/")
    assert response.context["item_total"] == 3 + 5 * (1 + 5 * 4)


def test_the_tree_partial_is_served_to_htmx(cast, draft, tree):
    body = cast.client("staff").get(f"/competencies/versions/{draft.pk}/", **HX).content.decode()
    assert "<html" not in body and 'id="tree-body"' in body


def test_inline_edit_swaps_a_form_in_and_the_saved_row_back(cast, draft, tree):
    client = cast.client("focal")
    target = item(draft, "D1.1")
    form = client.get(f"/competencies/items/{target.pk}/edit/", **HX)
    body = form.content.decode()
    assert "<html" not in body and f'id="row-{target.pk}"' in body and "<form" in body
    response = client.post(
        f"/competencies/items/{target.pk}/edit/",
        {
            "code": "D1.1",
            "kind": "competency",
            "nature": "skill",
            "statement": "Plans a session",
            "notes": "",
        },
        **HX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and "tree-form" not in body
    assert f'id="row-{target.pk}"' in body and "Plans a session" in body and "D1.1 saved." in body
    target.refresh_from_db()
    assert (target.statement, target.nature) == ("Plans a session", "skill")


def test_inline_edit_keeps_the_form_with_the_error_in_place(cast, draft, tree):
    target = item(draft, "D1.2")
    response = cast.client("staff").post(
        f"/competencies/items/{target.pk}/edit/",
        {"code": "D1.1", "kind": "competency", "nature": "skill", "statement": "Another"},
        **HX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<form" in body and "already used" in body
    target.refresh_from_db()
    assert target.code == "D1.2"


def test_cancel_returns_the_row(cast, draft, tree):
    target = item(draft, "D2")
    body = cast.client("staff").get(f"/competencies/items/{target.pk}/", **HX).content.decode()
    assert "<form" not in body.split("dropdown-menu")[0] and f'id="row-{target.pk}"' in body


def test_adding_a_child_through_htmx_returns_the_tree_focused_on_it(cast, draft, tree):
    client = cast.client("staff")
    parent = item(draft, "D2.1")
    form = client.get(f"/competencies/versions/{draft.pk}/items/new/?parent={parent.pk}&mode=child", **HX)
    assert 'id="new-item"' in form.content.decode()
    assert form.context["form"].initial["kind"] == "indicator"
    response = client.post(
        f"/competencies/versions/{draft.pk}/items/new/",
        {
            "parent": parent.pk,
            "position": "",
            "kind": "indicator",
            "nature": "attitude",
            "statement": "Listens",
        },
        **HX,
    )
    new = CompetencyItem.objects.get(version=draft, statement="Listens")
    assert (new.code, new.parent_id, new.position) == ("D2.1.3", parent.pk, 2)
    body = response.content.decode()
    assert f'data-focus="{new.pk}"' in body and "D2.1.3 added." in body


def test_adding_a_sibling_after_an_item_inserts_it_there(cast, draft, tree):
    first = item(draft, "D1")
    cast.client("staff").post(
        f"/competencies/versions/{draft.pk}/items/new/",
        {"position": first.position + 1, "code": "DX", "kind": "domain", "statement": "Between"},
        **HX,
    )
    roots = list(draft.items.filter(parent=None).order_by("position").values_list("code", flat=True))
    assert roots == ["D1", "DX", "D2"]


def test_an_invalid_new_item_replaces_its_form_where_it_stands(cast, draft, tree):
    response = cast.client("staff").post(
        f"/competencies/versions/{draft.pk}/items/new/", {"kind": "domain", "statement": ""}, **HX
    )
    assert response["HX-Retarget"] == "#new-item" and response["HX-Reswap"] == "outerHTML"
    assert "This field is required" in response.content.decode()
    assert draft.items.count() == len(tree)


def test_moving_by_keyboard_step_returns_the_tree_and_announces_the_new_place(cast, draft, tree):
    target = item(draft, "D1.2")
    response = cast.client("focal").post(f"/competencies/items/{target.pk}/move/", {"direction": "up"}, **HX)
    body = response.content.decode()
    assert "D1.2 moved: now 1 of 2 under D1." in body and f'data-focus="{target.pk}"' in body
    assert [i.code for i in item(draft, "D1").children.order_by("position")] == ["D1.2", "D1.1"]


def test_moving_by_drag_and_drop(cast, draft, tree):
    client = cast.client("staff")
    moving, onto = item(draft, "D2.2.1"), item(draft, "D1.1")
    client.post(f"/competencies/items/{moving.pk}/move/", {"target": onto.pk, "place": "inside"}, **HX)
    assert (item(draft, "D2.2.1").parent_id, item(draft, "D2.2.1").position) == (onto.pk, 2)
    client.post(f"/competencies/items/{moving.pk}/move/", {"target": onto.pk, "place": "before"}, **HX)
    assert [i.code for i in item(draft, "D1").children.order_by("position")] == ["D2.2.1", "D1.1", "D1.2"]
    client.post(
        f"/competencies/items/{moving.pk}/move/", {"target": item(draft, "D2").pk, "place": "after"}, **HX
    )
    assert [i.code for i in draft.items.filter(parent=None).order_by("position")] == ["D1", "D2", "D2.2.1"]


def test_a_refused_move_changes_nothing_and_says_why(cast, draft, tree):
    before = tree_shape(draft)
    domain = item(draft, "D1")
    response = cast.client("staff").post(
        f"/competencies/items/{domain.pk}/move/",
        {"target": item(draft, "D1.1.1").pk, "place": "inside"},
        **HX,
    )
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    assert "cannot be moved under itself" in hx_message(response)
    assert tree_shape(draft) == before


def test_move_without_htmx_redirects_to_the_moved_item(cast, draft, tree):
    target = item(draft, "D2")
    response = cast.client("staff").post(f"/competencies/items/{target.pk}/move/", {"direction": "up"})
    assert response.status_code == 302 and response["Location"].endswith(f"#node-{target.pk}")


def test_moving_needs_a_post(cast, draft, tree):
    assert cast.client("staff").get(f"/competencies/items/{item(draft, 'D1').pk}/move/").status_code == 405


def test_deleting_through_htmx_removes_the_subtree(cast, draft, tree):
    target = item(draft, "D1.1")
    response = cast.client("staff").post(f"/competencies/items/{target.pk}/delete/", **HX)
    assert "D1.1 and its 2 sub-items were deleted." in response.content.decode()
    assert not draft.items.filter(code__startswith="D1.1").exists()


def test_deleting_without_javascript_asks_first(cast, draft, tree):
    target = item(draft, "D1.1")
    page = cast.client("staff").get(f"/competencies/items/{target.pk}/delete/")
    assert page.context["descendants"] == 2
    response = cast.client("staff").post(f"/competencies/items/{target.pk}/delete/")
    assert response.status_code == 302
    assert not draft.items.filter(pk=target.pk).exists()


@pytest.mark.parametrize("endpoint", ["edit/", "delete/", "move/"])
def test_published_items_refuse_changes_with_the_immutability_message(cast, published, endpoint):
    target = item(published, "D1.1")
    data = {"direction": "down", "statement": "X", "code": "D1.1", "kind": "competency"}
    response = cast.client("staff").post(f"/competencies/items/{target.pk}/{endpoint}", data, **HX)
    assert hx_message(response) == "Published versions cannot be changed: derive a new version."
    plain = cast.client("staff").post(f"/competencies/items/{target.pk}/{endpoint}", data)
    assert plain.status_code == 302 and plain["Location"] == published.get_absolute_url()
    target.refresh_from_db()
    assert target.statement == "Competency 1.1" and target.position == 0


def test_a_user_who_cannot_see_a_draft_cannot_post_to_it(cast, draft, tree):
    target = item(draft, "D1")
    response = cast.client("trainer").post(f"/competencies/items/{target.pk}/edit/", {"statement": "X"}, **HX)
    assert response.status_code == 404
    response = cast.client("outsider").post(
        f"/competencies/versions/{draft.pk}/items/new/", {"statement": "X"}
    )
    assert response.status_code == 404


# Version pages ----------------------------------------------------------------------------------


def test_editing_version_details(cast, draft):
    response = cast.client("focal").post(
        f"/competencies/versions/{draft.pk}/edit/",
        {"title": "Trainer framework", "languages": "en, pt-BR", "subject": "ToT", "licence": "CC BY 4.0"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.languages, draft.licence) == (
        "Trainer framework",
        ["en", "pt-BR"],
        "CC BY 4.0",
    )


def _scale_post(rows, threshold, total=None):
    data = {
        "levels-TOTAL_FORMS": str(total or len(rows)),
        "levels-INITIAL_FORMS": "0",
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "10",
        "threshold": str(threshold),
    }
    for i, (pk, name, order, delete) in enumerate(rows):
        data[f"levels-{i}-id"] = pk or ""
        data[f"levels-{i}-name"] = name
        data[f"levels-{i}-description"] = ""
        data[f"levels-{i}-ORDER"] = order
        if delete:
            data[f"levels-{i}-DELETE"] = "on"
    return data


def test_the_scale_editor_reorders_renames_removes_and_sets_the_threshold(cast, draft):
    levels = list(draft.levels.all())
    page = cast.client("staff").get(f"/competencies/versions/{draft.pk}/scale/")
    assert page.context["threshold"] == "2"
    rows = [
        (levels[0].pk, "Not yet", "1", False),
        (levels[1].pk, "Developing", "3", False),
        (levels[2].pk, "Proficient", "2", True),
        (levels[3].pk, "Expert", "4", False),
        ("", "Practitioner", "2", False),
    ]
    response = cast.client("staff").post(f"/competencies/versions/{draft.pk}/scale/", _scale_post(rows, 4))
    assert response.status_code == 302
    assert list(draft.levels.values_list("name", "is_threshold")) == [
        ("Not yet", False),
        ("Practitioner", True),
        ("Developing", False),
        ("Expert", False),
    ]


def test_the_scale_editor_shows_a_missing_threshold(cast, draft):
    levels = list(draft.levels.all())
    rows = [(lv.pk, lv.name, str(i + 1), False) for i, lv in enumerate(levels)]
    response = cast.client("staff").post(f"/competencies/versions/{draft.pk}/scale/", _scale_post(rows, ""))
    assert response.status_code == 200 and "exactly one level" in response.context["error"]


def test_publish_page_lists_what_to_fix_then_publishes(cast, draft, tree):
    CompetencyItem.objects.filter(pk=item(draft, "D1.1").pk).update(nature="")
    page = cast.client("staff").get(f"/competencies/versions/{draft.pk}/publish/")
    assert [p.field for p in page.context["problems"]] == ["nature"]
    refused = cast.client("staff").post(f"/competencies/versions/{draft.pk}/publish/")
    assert refused.status_code == 302 and refused["Location"].endswith("/publish/")
    CompetencyItem.objects.filter(pk=item(draft, "D1.1").pk).update(nature="skill")
    response = cast.client("staff").post(f"/competencies/versions/{draft.pk}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED


def test_a_focal_point_cannot_publish(cast, draft, tree):
    assert cast.client("focal").post(f"/competencies/versions/{draft.pk}/publish/").status_code == 403
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_retire_derive_and_discard_through_the_pages(cast, published):
    client = cast.client("staff")
    assert client.get(f"/competencies/versions/{published.pk}/derive/").status_code == 200
    response = client.post(
        f"/competencies/versions/{published.pk}/derive/", {"change_note": "After the pilot"}
    )
    v2 = FrameworkVersion.objects.get(framework=published.framework, number=2)
    assert response["Location"] == v2.get_absolute_url() and v2.change_note == "After the pilot"
    again = client.post(f"/competencies/versions/{published.pk}/derive/", {})
    assert again.status_code == 302
    assert published.framework.versions.count() == 2
    client.post(f"/competencies/versions/{published.pk}/retire/")
    published.refresh_from_db()
    assert published.status == VersionStatus.RETIRED
    client.post(f"/competencies/versions/{v2.pk}/discard/")
    assert list(published.framework.versions.all()) == [published]


def test_the_focal_point_derives_a_new_draft_of_their_framework(cast, published):
    response = cast.client("focal").post(f"/competencies/versions/{published.pk}/derive/", {})
    assert response.status_code == 302
    assert published.framework.versions.filter(status=VersionStatus.DRAFT).exists()


def test_compare_page_labels_each_change(cast, published, derived):
    services.add_item(derived, actor=cast.staff, statement="New domain", code="D3")
    services.delete_item(item(derived, "D2.2.2"), actor=cast.staff)
    services.update_item(item(derived, "D1.1"), actor=cast.staff, statement="Reworded")
    services.shift_item(item(derived, "D2"), actor=cast.staff, direction="up")
    response = cast.client("staff").get(f"/competencies/versions/{derived.pk}/compare/")
    comparison = response.context["comparison"]
    assert comparison.old == published
    body = response.content.decode()
    for label in ("Added", "Removed", "Reworded", "Moved"):
        assert f'<span class="change-label">{label}</span>' in body
    assert "<del>Competency 1.1</del>" in body and "<ins>Reworded</ins>" in body


def test_compare_with_a_chosen_version(cast, published, derived):
    response = cast.client("staff").get(
        f"/competencies/versions/{published.pk}/compare/?with_version={derived.pk}"
    )
    assert response.context["comparison"].old == derived
    assert response.context["comparison"].new == published


def test_compare_refuses_a_version_of_another_framework(cast, published):
    other = services.create_framework(actor=cast.staff, title="Other", owner=cast.org_a).versions.get()
    response = cast.client("staff").get(
        f"/competencies/versions/{published.pk}/compare/?with_version={other.pk}"
    )
    assert response.status_code == 200 and response.context["comparison"] is None
    assert "with_version" in response.context["form"].errors


def test_item_page_without_htmx(cast, published):
    target = item(published, "D1.1")
    response = cast.client("trainer").get(f"/competencies/items/{target.pk}/")
    assert response.status_code == 200
    assert [c.code for c in response.context["children"]] == ["D1.1.1", "D1.1.2"]
