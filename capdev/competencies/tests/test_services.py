"""Every rule of the competency services, and every refusal."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from capdev.competencies import services
from capdev.competencies.models import (
    CompetencyItem,
    FrameworkVersion,
    ItemKind,
    Nature,
    ProficiencyLevel,
    VersionStatus,
)
from capdev.competencies.services import Direction
from capdev.competencies.tests.conftest import build_tree, item, tree_shape
from capdev.core.errors import ConflictError, DomainError
from capdev.core.models import AuditEvent

IMMUTABLE = "Published versions cannot be changed: derive a new version."


# Creating and editing ---------------------------------------------------------------------------


def test_a_new_framework_starts_as_a_draft_version_1_with_the_default_scale(cast, framework):
    version = framework.versions.get()
    assert (version.number, version.status, version.title) == (1, VersionStatus.DRAFT, framework.title)
    assert version.languages == ["en", "pt"]
    levels = list(version.levels.values_list("name", "is_threshold"))
    assert levels == [("Not yet", False), ("Developing", False), ("Proficient", True), ("Expert", False)]
    assert AuditEvent.objects.for_object(framework).get().verb == "framework.created"
    assert AuditEvent.objects.for_object(version).get().actor == cast.staff


def test_a_framework_needs_a_title_and_an_owner(cast):
    with pytest.raises(DomainError) as info:
        services.create_framework(actor=cast.staff, title="  ", owner=cast.org_a)
    assert info.value.field == "title"
    with pytest.raises(DomainError) as info:
        services.create_framework(actor=cast.staff, title="Consular officers", owner=None)
    assert info.value.field == "owner"


def test_updating_a_draft_records_what_changed(cast, draft):
    services.update_version(
        draft, actor=cast.focal, title="Trainer framework", languages="en, fr pt-BR", licence="CC BY 4.0"
    )
    draft.refresh_from_db()
    assert draft.languages == ["en", "fr", "pt-BR"]
    event = AuditEvent.objects.for_object(draft).filter(verb="framework_version.updated").get()
    assert event.changes["licence"] == ["", "CC BY 4.0"]
    assert event.actor == cast.focal


def test_a_language_must_be_a_language_code(cast, draft):
    with pytest.raises(DomainError) as info:
        services.update_version(draft, actor=cast.staff, languages=["English"])
    assert info.value.field == "languages"
    assert "English" in info.value.message


def test_an_unknown_version_field_is_refused(cast, draft):
    with pytest.raises(DomainError):
        services.update_version(draft, actor=cast.staff, status="published")


def test_renaming_a_framework_is_audited(cast, framework):
    services.update_framework(framework, actor=cast.staff, title="Trainer competencies")
    framework.refresh_from_db()
    assert framework.title == "Trainer competencies"
    assert AuditEvent.objects.for_object(framework).filter(verb="framework.updated").exists()


# Items ------------------------------------------------------------------------------------------


def test_items_get_codes_kinds_and_positions_from_their_place(cast, draft):
    domain = services.add_item(draft, actor=cast.staff, statement="Training cycle")
    competency = services.add_item(draft, actor=cast.staff, parent=domain, statement="Explains the cycle")
    indicator = services.add_item(draft, actor=cast.staff, parent=competency, statement="Names the steps")
    assert (domain.code, domain.kind, domain.position) == ("D1", ItemKind.DOMAIN, 0)
    assert (competency.code, competency.kind) == ("D1.1", ItemKind.COMPETENCY)
    assert (indicator.code, indicator.kind) == ("D1.1.1", ItemKind.INDICATOR)
    event = AuditEvent.objects.for_object(draft).filter(verb="competency_item.added").first()
    assert event.data["item"] == "D1.1.1"


def test_a_new_domain_follows_the_letters_of_the_existing_ones(cast, draft):
    services.add_item(draft, actor=cast.staff, statement="Training cycle", code="T1")
    assert services.add_item(draft, actor=cast.staff, statement="Needs analysis").code == "T2"


def test_an_item_inserted_at_a_position_shifts_its_later_siblings(cast, draft):
    a = services.add_item(draft, actor=cast.staff, statement="A", code="A")
    b = services.add_item(draft, actor=cast.staff, statement="B", code="B")
    c = services.add_item(draft, actor=cast.staff, statement="C", code="C", position=1)
    assert tree_shape(draft) == [("A", None, 0), ("B", None, 2), ("C", None, 1)]
    assert {a.pk, b.pk, c.pk} == set(draft.items.values_list("pk", flat=True))


def test_an_item_needs_a_statement(cast, draft):
    with pytest.raises(DomainError) as info:
        services.add_item(draft, actor=cast.staff, statement="   ")
    assert info.value.field == "statement"
    assert not draft.items.exists()


def test_codes_are_unique_within_a_version(cast, draft, tree):
    with pytest.raises(DomainError) as info:
        services.add_item(draft, actor=cast.staff, statement="Another", code="D1.1")
    assert info.value.field == "code"
    assert "D1.1" in info.value.message
    with pytest.raises(DomainError):
        services.update_item(item(draft, "D2"), actor=cast.staff, code="D1")


def test_the_type_must_be_knowledge_skill_or_attitude(cast, draft):
    with pytest.raises(DomainError) as info:
        services.add_item(draft, actor=cast.staff, statement="X", nature="value")
    assert info.value.field == "nature"


def test_alignments_must_be_web_addresses(cast, draft):
    ok = services.add_item(
        draft,
        actor=cast.staff,
        statement="Designs training",
        alignments="http://data.europa.eu/esco/skill/abc  http://data.europa.eu/esco/skill/abc",
    )
    assert ok.alignments == ["http://data.europa.eu/esco/skill/abc"]
    with pytest.raises(DomainError) as info:
        services.update_item(ok, actor=cast.staff, alignments=["not a uri"])
    assert info.value.field == "alignments"


def test_an_item_cannot_be_attached_to_a_parent_of_another_version(cast, draft, tree):
    other = services.create_framework(actor=cast.staff, title="Other", owner=cast.org_b).versions.get()
    with pytest.raises(DomainError) as info:
        services.add_item(other, actor=cast.staff, statement="X", parent=item(draft, "D1"))
    assert info.value.field == "parent"


def test_updating_an_item_records_before_and_after(cast, draft, tree):
    services.update_item(item(draft, "D1.1"), actor=cast.staff, statement="Plans a session")
    event = AuditEvent.objects.for_object(draft).filter(verb="competency_item.updated").get()
    assert event.changes["statement"] == ["Competency 1.1", "Plans a session"]
    assert event.data["item"] == "D1.1"


def test_moving_an_item_reparents_it_and_renumbers_both_groups(cast, draft, tree):
    services.move_item(item(draft, "D1.1"), actor=cast.staff, parent=item(draft, "D2"), position=1)
    shape = {code: (parent, pos) for code, parent, pos in tree_shape(draft)}
    assert shape["D1.1"] == ("D2", 1)
    assert shape["D1.2"] == ("D1", 0)
    assert shape["D2.1"] == ("D2", 0) and shape["D2.2"] == ("D2", 2)
    assert shape["D1.1.1"] == ("D1.1", 0), "the sub-items move with their parent"
    assert AuditEvent.objects.for_object(draft).filter(verb="competency_item.moved").exists()


def test_moving_within_the_same_parent_reorders(cast, draft, tree):
    services.move_item(item(draft, "D1.2"), actor=cast.staff, position=0)
    assert [i.code for i in item(draft, "D1").children.order_by("position")] == ["D1.2", "D1.1"]


def test_moving_to_the_top_level(cast, draft, tree):
    services.move_item(item(draft, "D1.1"), actor=cast.staff, parent=None, position=0)
    assert [i.code for i in draft.items.filter(parent=None).order_by("position")] == ["D1.1", "D1", "D2"]


@pytest.mark.parametrize("target", ["D1", "D1.1", "D1.1.2"])
def test_an_item_cannot_be_moved_under_itself_or_its_sub_items(cast, draft, tree, target):
    moving = item(draft, "D1") if target != "D1.1.2" else item(draft, "D1.1")
    before = tree_shape(draft)
    with pytest.raises(DomainError) as info:
        services.move_item(moving, actor=cast.staff, parent=item(draft, target))
    assert info.value.field == "parent"
    assert tree_shape(draft) == before


def test_keyboard_steps_move_up_down_indent_and_outdent(cast, draft, tree):
    services.shift_item(item(draft, "D1.2"), actor=cast.staff, direction=Direction.UP)
    assert [i.code for i in item(draft, "D1").children.order_by("position")] == ["D1.2", "D1.1"]
    services.shift_item(item(draft, "D1.2"), actor=cast.staff, direction=Direction.DOWN)
    assert [i.code for i in item(draft, "D1").children.order_by("position")] == ["D1.1", "D1.2"]
    services.shift_item(item(draft, "D1.2"), actor=cast.staff, direction=Direction.INDENT)
    moved = item(draft, "D1.2")
    assert (moved.parent.code, moved.position) == ("D1.1", 2), "indent: last child of the item above"
    services.shift_item(moved, actor=cast.staff, direction=Direction.OUTDENT)
    moved = item(draft, "D1.2")
    assert (moved.parent.code, moved.position) == ("D1", 1), "outdent: just after its former parent"


@pytest.mark.parametrize(
    ("code", "direction", "words"),
    [
        ("D1", Direction.UP, "first"),
        ("D2", Direction.DOWN, "last"),
        ("D1", Direction.INDENT, "cannot be indented"),
        ("D1", Direction.OUTDENT, "top level"),
    ],
)
def test_impossible_keyboard_steps_are_refused_with_a_reason(cast, draft, tree, code, direction, words):
    with pytest.raises(DomainError) as info:
        services.shift_item(item(draft, code), actor=cast.staff, direction=direction)
    assert words in info.value.message


def test_deleting_an_item_deletes_its_sub_items_and_closes_the_gap(cast, draft, tree):
    count = services.delete_item(item(draft, "D1.1"), actor=cast.staff)
    assert count == 3
    assert not draft.items.filter(code__startswith="D1.1").exists()
    assert item(draft, "D1.2").position == 0
    event = AuditEvent.objects.for_object(draft).filter(verb="competency_item.deleted").get()
    assert event.data["deleted"] == 3 and event.data["item"] == "D1.1"


# Scale ------------------------------------------------------------------------------------------


def test_setting_the_scale_keeps_the_identity_of_levels_passed_with_their_id(cast, draft):
    levels = list(draft.levels.all())
    services.set_scale(
        draft,
        actor=cast.staff,
        levels=[
            {"id": levels[0].pk, "name": "Beginner"},
            {"name": "Practitioner", "is_threshold": True},
            {"id": levels[3].pk, "name": "Expert", "description": "Coaches others"},
        ],
    )
    rows = list(draft.levels.all())
    assert [(r.position, r.name, r.is_threshold) for r in rows] == [
        (0, "Beginner", False),
        (1, "Practitioner", True),
        (2, "Expert", False),
    ]
    assert rows[0].pk == levels[0].pk and rows[2].pk == levels[3].pk
    assert not ProficiencyLevel.objects.filter(pk__in=[levels[1].pk, levels[2].pk]).exists()
    event = AuditEvent.objects.for_object(draft).filter(verb="framework_version.scale_changed").get()
    assert event.changes["levels"][1] == "Beginner < Practitioner * < Expert"


@pytest.mark.parametrize(
    ("levels", "field"),
    [
        (
            [{"name": "A", "is_threshold": True}, {"name": "B"}, {"name": "C", "is_threshold": True}],
            "threshold",
        ),
        ([{"name": "A"}, {"name": "B"}], "threshold"),
        ([{"name": "Only", "is_threshold": True}], "levels"),
        ([{"name": "Same", "is_threshold": True}, {"name": "same"}], "levels"),
        ([{"name": "", "is_threshold": True}, {"name": "B"}], "levels"),
    ],
    ids=["two-thresholds", "no-threshold", "one-level", "duplicate-names", "blank-name"],
)
def test_a_scale_has_two_or_more_named_levels_and_exactly_one_threshold(cast, draft, levels, field):
    before = list(draft.levels.values_list("name", "is_threshold"))
    with pytest.raises(DomainError) as info:
        services.set_scale(draft, actor=cast.staff, levels=levels)
    assert info.value.field == field
    assert list(draft.levels.values_list("name", "is_threshold")) == before


def test_the_database_refuses_a_second_threshold(cast, draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        draft.levels.filter(position=0).update(is_threshold=True)


# Publishing, retiring, deriving ----------------------------------------------------------------


def test_publishing_sets_the_date_and_keeps_earlier_published_versions(cast, published):
    assert published.status == VersionStatus.PUBLISHED and published.published_at is not None
    v2 = services.derive_version(published, actor=cast.staff)
    services.publish_version(v2, actor=cast.staff)
    statuses = dict(FrameworkVersion.objects.values_list("number", "status"))
    assert statuses == {1: "published", 2: "published"}
    assert AuditEvent.objects.for_object(published).filter(verb="framework_version.published").exists()


def test_an_empty_framework_cannot_be_published(cast, draft):
    with pytest.raises(DomainError) as info:
        services.publish_version(draft, actor=cast.staff)
    assert "empty" in info.value.message
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_competency_without_a_type_cannot_be_published(cast, draft, tree):
    CompetencyItem.objects.filter(pk=item(draft, "D2.1").pk).update(nature="")
    with pytest.raises(DomainError) as info:
        services.publish_version(draft, actor=cast.staff)
    assert info.value.field == "nature" and "D2.1" in info.value.message


def test_an_item_without_a_statement_cannot_be_published(cast, draft, tree):
    # Only an import could leave a blank statement: the item services refuse it.
    CompetencyItem.objects.filter(pk=item(draft, "D1.2.1").pk).update(statement=" ")
    with pytest.raises(DomainError) as info:
        services.publish_version(draft, actor=cast.staff)
    assert info.value.field == "statement" and "D1.2.1" in info.value.message


def test_a_domain_needs_no_type_to_be_published(cast, draft, tree):
    assert item(draft, "D1").nature == ""
    services.publish_version(draft, actor=cast.staff)


def test_a_published_version_cannot_be_published_again(cast, published):
    with pytest.raises(ConflictError):
        services.publish_version(published, actor=cast.staff)


def write_attempts(published, cast):
    d1 = item(published, "D1")
    return {
        "update_version": lambda: services.update_version(published, actor=cast.staff, title="X"),
        "set_scale": lambda: services.set_scale(
            published, actor=cast.staff, levels=[{"name": "A", "is_threshold": True}, {"name": "B"}]
        ),
        "add_item": lambda: services.add_item(published, actor=cast.staff, statement="New"),
        "update_item": lambda: services.update_item(d1, actor=cast.staff, statement="Changed"),
        "move_item": lambda: services.move_item(item(published, "D1.1"), actor=cast.staff, parent=None),
        "shift_item": lambda: services.shift_item(item(published, "D2"), actor=cast.staff, direction="up"),
        "delete_item": lambda: services.delete_item(d1, actor=cast.staff),
        "discard_draft": lambda: services.discard_draft(published, actor=cast.staff),
    }


@pytest.mark.parametrize(
    "attempt",
    [
        "update_version",
        "set_scale",
        "add_item",
        "update_item",
        "move_item",
        "shift_item",
        "delete_item",
        "discard_draft",
    ],
)
@pytest.mark.parametrize("status", ["published", "retired"])
def test_published_and_retired_versions_are_immutable(cast, published, attempt, status):
    if status == "retired":
        services.retire_version(published, actor=cast.staff)
    before = (tree_shape(published), list(published.levels.values_list("name", flat=True)))
    with pytest.raises(DomainError) as info:
        write_attempts(published, cast)[attempt]()
    assert info.value.message == IMMUTABLE
    assert info.value.status == 409
    published.refresh_from_db()
    assert published.title == "Trainer competency framework"
    assert (tree_shape(published), list(published.levels.values_list("name", flat=True))) == before


def test_retiring_a_published_version(cast, published):
    services.retire_version(published, actor=cast.staff)
    published.refresh_from_db()
    assert published.status == VersionStatus.RETIRED and published.retired_at is not None


def test_only_a_published_version_can_be_retired(cast, draft):
    with pytest.raises(ConflictError):
        services.retire_version(draft, actor=cast.staff)


def test_deriving_copies_the_tree_and_scale_with_new_ids_and_the_same_lineage(cast, published):
    v2 = services.derive_version(published, actor=cast.staff, change_note="Reviewed after the pilot")
    assert (v2.number, v2.status, v2.derived_from_id) == (2, VersionStatus.DRAFT, published.pk)
    assert v2.change_note == "Reviewed after the pilot"
    assert tree_shape(v2) == tree_shape(published)
    old = {i.code: i for i in published.items.all()}
    new = {i.code: i for i in v2.items.select_related("parent")}
    for code, copy in new.items():
        assert copy.lineage == old[code].lineage
        assert copy.uuid != old[code].uuid
        assert copy.version_id == v2.pk
        assert copy.parent is None or copy.parent.version_id == v2.pk
        assert (copy.statement, copy.kind, copy.nature) == (
            old[code].statement,
            old[code].kind,
            old[code].nature,
        )
    old_levels = list(published.levels.all())
    new_levels = list(v2.levels.all())
    assert [(lv.name, lv.is_threshold) for lv in new_levels] == [
        (lv.name, lv.is_threshold) for lv in old_levels
    ]
    assert not {lv.uuid for lv in new_levels} & {lv.uuid for lv in old_levels}


def test_only_one_draft_at_a_time(cast, published):
    services.derive_version(published, actor=cast.staff)
    with pytest.raises(ConflictError) as info:
        services.derive_version(published, actor=cast.staff)
    assert "Version 2 is already a draft" in info.value.message
    assert published.framework.versions.count() == 2


def test_the_database_refuses_a_second_draft(cast, draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkVersion.objects.create(framework=draft.framework, number=2, title="Second draft")


def test_a_draft_cannot_be_derived_from(cast, draft):
    with pytest.raises(ConflictError):
        services.derive_version(draft, actor=cast.staff)


def test_a_retired_version_can_still_be_derived_from(cast, published):
    services.retire_version(published, actor=cast.staff)
    assert services.derive_version(published, actor=cast.staff).number == 2


def test_discarding_a_derived_draft(cast, derived):
    framework = services.discard_draft(derived, actor=cast.staff)
    assert list(framework.versions.values_list("number", flat=True)) == [1]
    assert AuditEvent.objects.for_object(framework).filter(verb="framework_version.discarded").exists()


def test_the_only_version_cannot_be_discarded(cast, draft):
    with pytest.raises(ConflictError):
        services.discard_draft(draft, actor=cast.staff)


# Comparing --------------------------------------------------------------------------------------


def test_comparing_identical_versions_finds_nothing(cast, published, derived):
    result = services.compare_versions(published, derived)
    assert not result.has_changes
    assert result.unchanged == published.items.count()


def test_compare_finds_each_kind_of_change_matched_by_lineage(cast, published, derived):
    services.add_item(
        derived,
        actor=cast.staff,
        parent=item(derived, "D2"),
        statement="Uses online tools",
        nature=Nature.SKILL,
    )
    services.delete_item(item(derived, "D1.2.2"), actor=cast.staff)
    # Recoding an item is a rewording, not a removal plus an addition: items match by lineage.
    services.update_item(
        item(derived, "D1.1.1"), actor=cast.staff, code="D1.1.a", statement="Sets objectives"
    )
    services.update_item(item(derived, "D2.2"), actor=cast.staff, nature=Nature.KNOWLEDGE)
    services.move_item(item(derived, "D2.1.2"), actor=cast.staff, parent=item(derived, "D1.1"))
    services.shift_item(item(derived, "D1.2"), actor=cast.staff, direction=Direction.UP)

    result = services.compare_versions(published, derived)
    assert [i.statement for i in result.added] == ["Uses online tools"]
    assert [i.code for i in result.removed] == ["D1.2.2"]
    reworded = {c.new.code: c.fields for c in result.reworded}
    assert reworded == {"D1.1.a": ["code", "statement"], "D2.2": ["nature"]}
    moved = {c.new.code: c.reparented for c in result.moved}
    # D1.2 went up past D1.1: one move explains the new order (D1.1 is not reported).
    assert moved == {"D1.2": False, "D2.1.2": True}
    change = next(c for c in result.moved if c.new.code == "D2.1.2")
    assert (change.old_parent.code, change.new_parent.code) == ("D2.1", "D1.1")
    assert not result.scale_changed


def test_an_insertion_does_not_report_the_later_siblings_as_moved(cast, published, derived):
    services.add_item(derived, actor=cast.staff, statement="Context", nature=Nature.KNOWLEDGE, position=0)
    result = services.compare_versions(published, derived)
    assert len(result.added) == 1 and result.moved == []


def test_compare_reports_a_changed_scale(cast, published, derived):
    services.set_scale(
        derived, actor=cast.staff, levels=[{"name": "Not yet"}, {"name": "Yes", "is_threshold": True}]
    )
    result = services.compare_versions(published, derived)
    assert result.scale_changed and result.has_changes


def test_only_versions_of_one_framework_are_compared(cast, published):
    other = services.create_framework(actor=cast.staff, title="Other", owner=cast.org_b).versions.get()
    with pytest.raises(DomainError):
        services.compare_versions(published, other)


def test_a_large_tree_is_derived_intact(cast, draft):
    build_tree(draft, cast.staff, domains=4, competencies=5, indicators=4)
    services.publish_version(draft, actor=cast.staff)
    v2 = services.derive_version(draft, actor=cast.staff)
    assert v2.items.count() == draft.items.count() == 4 + 20 + 80
    assert tree_shape(v2) == tree_shape(draft)
