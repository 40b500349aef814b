"""Service rules and refusals: creating, editing, publishing, deriving and retiring versions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from capdev.catalogue import services
from capdev.catalogue.models import (
    CompletionRule,
    CourseVersion,
    DeliveryPart,
    LearningObjective,
    Module,
    ObjectiveCompetency,
    PartKind,
    RuleKind,
)
from capdev.catalogue.tests.conftest import competency, level
from capdev.core.errors import ConflictError, DomainError
from capdev.core.models import AuditEvent
from capdev.reference.models import ThematicArea

IMMUTABLE = "Published versions cannot be changed: derive a new version."


def _ready(version: CourseVersion) -> CourseVersion:
    """Fill in what publishing needs besides the fixture's content."""
    return services.update_version(version, actor=None, languages=["en"])


# --- creating and editing -------------------------------------------------------------------


def test_create_course_makes_a_standard_product_with_a_draft_version_1(cast, framework):
    area = ThematicArea.objects.get(code="horizontal")
    version = services.create_course(
        actor=cast.staff,
        owner=cast.implementer,
        title="Vocational Train the Trainers",
        mode="blended",
        languages=["en", "pt"],
        thematic_areas=[area],
        framework_version=framework,
    )
    course = version.course
    assert course.kind == "standard" and course.code == "vocational-train-the-trainers"
    assert version.number == 1 and version.status == "draft"
    assert list(version.thematic_areas.all()) == [area]
    assert AuditEvent.objects.for_object(course).get().verb == "course.created"
    assert AuditEvent.objects.for_object(version).get().changes["title"] == [
        None,
        "Vocational Train the Trainers",
    ]
    again = services.create_course(
        actor=cast.staff, owner=cast.implementer, title="Vocational Train the Trainers"
    )
    assert again.course.code == "vocational-train-the-trainers-2"


def test_create_course_refuses_a_taken_code_and_a_missing_title(cast):
    services.create_course(actor=cast.staff, owner=cast.implementer, title="ToT", code="tot")
    with pytest.raises(ConflictError) as info:
        services.create_course(actor=cast.staff, owner=cast.implementer, title="Other", code="tot")
    assert info.value.field == "code"
    with pytest.raises(DomainError) as info:
        services.create_course(actor=cast.staff, owner=cast.implementer, title="  ")
    assert info.value.field == "title"


def test_update_version_records_what_changed(draft, cast):
    services.update_version(
        draft, actor=cast.staff, summary="Blended ToT", languages=["en", "ar"], ects_credits=Decimal(2)
    )
    event = AuditEvent.objects.for_object(draft).filter(verb="course_version.updated").get()
    assert event.changes["summary"] == ["", "Blended ToT"]
    assert event.changes["languages"] == [[], ["en", "ar"]]
    assert event.changes["ects_credits"] == [None, "2"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"qualification_level": 9, "qualification_framework": "EQF"}, "qualification_level"),
        ({"qualification_level": 0, "qualification_framework": "EQF"}, "qualification_level"),
        ({"qualification_level": 5}, "qualification_framework"),
        ({"contact_hours": -1}, "contact_hours"),
        ({"ects_credits": 0}, "ects_credits"),
        ({"languages": ["xx"]}, "languages"),
        ({"title": ""}, "title"),
        ({"mode": "carrier-pigeon"}, "mode"),
    ],
)
def test_update_version_refuses_bad_values_naming_the_field(draft, values, field):
    with pytest.raises(DomainError) as info:
        services.update_version(draft, actor=None, **values)
    assert info.value.field == field


def test_update_version_refuses_unknown_fields(draft):
    with pytest.raises(DomainError, match="Unknown fields: status"):
        services.update_version(draft, actor=None, status="published")


def test_changing_the_framework_is_refused_while_objectives_are_mapped(draft, other_framework):
    with pytest.raises(DomainError) as info:
        services.update_version(draft, actor=None, framework_version=other_framework)
    assert info.value.field == "framework_version" and "remove those mappings" in info.value.message


def test_a_draft_framework_cannot_be_chosen(cast, framework):
    framework.status = "draft"
    framework.save()
    with pytest.raises(DomainError) as info:
        services.create_course(actor=None, owner=cast.org_a, title="X", framework_version=framework)
    assert info.value.field == "framework_version"


# --- immutability ---------------------------------------------------------------------------


def test_every_write_on_a_published_version_is_refused(published, framework):
    module = published.modules.first()
    objective = module.objectives.first()
    part = published.parts.first()
    rule = published.rules.first()
    material = module.materials.first()
    writes = [
        lambda: services.update_version(published, actor=None, title="Changed"),
        lambda: services.add_part(published, actor=None, kind=PartKind.LIVE_ONLINE),
        lambda: services.update_part(part, actor=None, days=3),
        lambda: services.remove_part(part, actor=None),
        lambda: services.reorder_parts(published, actor=None, order=[]),
        lambda: services.add_module(published, actor=None, title="New"),
        lambda: services.update_module(module, actor=None, title="New"),
        lambda: services.remove_module(module, actor=None),
        lambda: services.reorder_modules(published, actor=None, order=[]),
        lambda: services.add_objective(module, actor=None, text="New"),
        lambda: services.update_objective(objective, actor=None, text="New"),
        lambda: services.remove_objective(objective, actor=None),
        lambda: services.reorder_objectives(module, actor=None, order=[]),
        lambda: services.map_competency(
            objective,
            actor=None,
            competency=competency(framework, "C2"),
            target_level=level(framework, "Expert"),
        ),
        lambda: services.unmap_competency(objective, actor=None, competency=competency(framework, "C1")),
        lambda: services.set_mappings(objective, actor=None, mappings=[]),
        lambda: services.set_completion_rule(
            published, actor=None, kind=RuleKind.POST_TEST_MIN, threshold=70
        ),
        lambda: services.remove_completion_rule(rule, actor=None),
        lambda: services.add_material_link(module, actor=None, language="en", url="https://x.org", title="X"),
        lambda: services.remove_material(material, actor=None),
        lambda: services.publish_version(published, actor=None),
        lambda: services.discard_draft(published, actor=None),
    ]
    for write in writes:
        with pytest.raises(ConflictError) as info:
            write()
        assert info.value.message == IMMUTABLE
    published.refresh_from_db()
    assert published.title == "Vocational Train the Trainers"
    assert published.modules.count() == 2 and ObjectiveCompetency.objects.count() == 3


# --- parts, modules, objectives --------------------------------------------------------------


def test_parts_are_appended_reordered_and_renumbered(draft):
    live = services.add_part(draft, actor=None, kind=PartKind.LIVE_ONLINE, hours=Decimal(6))
    assert live.position == 3
    online, f2f = draft.parts.order_by("position")[:2]
    services.reorder_parts(draft, actor=None, order=[live.pk, f2f.pk, online.pk])
    assert list(draft.parts.order_by("position").values_list("pk", flat=True)) == [live.pk, f2f.pk, online.pk]
    services.remove_part(live, actor=None)
    assert list(draft.parts.order_by("position").values_list("position", "pk")) == [
        (1, f2f.pk),
        (2, online.pk),
    ]


def test_a_face_to_face_part_needs_days_and_order_must_be_complete(draft):
    with pytest.raises(DomainError) as info:
        services.add_part(draft, actor=None, kind=PartKind.FACE_TO_FACE)
    assert info.value.field == "days"
    with pytest.raises(DomainError) as info:
        services.add_part(draft, actor=None, kind=PartKind.FACE_TO_FACE, days=0)
    assert info.value.field == "days"
    with pytest.raises(DomainError, match="exactly once"):
        services.reorder_parts(draft, actor=None, order=[draft.parts.first().pk])


def test_part_descriptions_read_as_plain_language(draft):
    online, f2f = draft.parts.order_by("position")
    assert f2f.description == "5 face-to-face days"
    assert online.description.startswith("Online self-paced part")
    trip = DeliveryPart(kind=PartKind.FIELD_TRIP, title="The Hague", days=1)
    assert trip.description == "1-day field trip"


def test_modules_belong_to_a_part_of_their_own_version(draft, published):
    foreign = published.parts.first()
    with pytest.raises(DomainError) as info:
        services.add_module(draft, actor=None, title="Evaluation", part=foreign)
    assert info.value.field == "part"
    module = services.add_module(draft, actor=None, title="Evaluation and closing", part=draft.parts.last())
    assert module.position == 3
    first = draft.modules.get(position=1)
    services.remove_module(first, actor=None)
    assert list(draft.modules.order_by("position").values_list("position", flat=True)) == [1, 2]
    assert not LearningObjective.objects.filter(module=first.pk).exists()


def test_objectives_are_added_reordered_and_removed(draft, framework):
    module = draft.modules.get(position=2)
    added = services.add_objective(
        module,
        actor=None,
        text="Close a session",
        is_core=True,
        mappings=[(competency(framework, "C2"), level(framework, "Proficient"))],
    )
    assert added.position == 2 and added.mappings.get().target_level.name == "Proficient"
    first = module.objectives.get(position=1)
    services.reorder_objectives(module, actor=None, order=[added.pk, first.pk])
    assert list(module.objectives.order_by("position")) == [added, first]
    services.remove_objective(added, actor=None)
    assert list(module.objectives.values_list("position", flat=True)) == [1]
    with pytest.raises(DomainError) as info:
        services.add_objective(module, actor=None, text="   ")
    assert info.value.field == "text"


# --- competency mappings --------------------------------------------------------------------


def test_mapping_to_a_competency_of_another_framework_version_is_refused(draft, other_framework):
    objective = LearningObjective.objects.filter(module__version=draft).first()
    with pytest.raises(DomainError) as info:
        services.map_competency(
            objective,
            actor=None,
            competency=competency(other_framework, "C1"),
            target_level=level(other_framework, "Expert"),
        )
    assert info.value.field == "competency"
    assert "belongs to another framework version (Consular officer framework v1)" in info.value.message
    assert "Trainer competency framework v1" in info.value.message


def test_the_target_level_must_be_on_the_versions_own_scale(draft, framework, other_framework):
    objective = LearningObjective.objects.filter(module__version=draft).first()
    with pytest.raises(DomainError) as info:
        services.map_competency(
            objective,
            actor=None,
            competency=competency(framework, "C2"),
            target_level=level(other_framework, "Expert"),
        )
    assert info.value.field == "target_level"


def test_a_domain_is_not_a_mapping_target(draft, framework):
    objective = LearningObjective.objects.filter(module__version=draft).first()
    with pytest.raises(DomainError, match="is a domain"):
        services.map_competency(
            objective,
            actor=None,
            competency=competency(framework, "D1"),
            target_level=level(framework, "Expert"),
        )


def test_mapping_without_a_framework_is_refused(cast):
    version = services.create_course(actor=None, owner=cast.org_a, title="No framework")
    module = services.add_module(version, actor=None, title="M")
    objective = services.add_objective(module, actor=None, text="O")
    fw_item = None
    with pytest.raises(DomainError, match="Choose the version's competency framework"):
        services.set_mappings(objective, actor=None, mappings=[(fw_item, None)])  # type: ignore[list-item]


def test_map_updates_the_target_level_and_set_mappings_replaces_all(draft, framework):
    objective = LearningObjective.objects.filter(module__version=draft, position=1).first()
    services.map_competency(
        objective, actor=None, competency=competency(framework, "C1"), target_level=level(framework, "Expert")
    )
    assert objective.mappings.get().target_level.name == "Expert"
    services.set_mappings(
        objective,
        actor=None,
        mappings=[
            (competency(framework, "C2"), level(framework, "Developing")),
            (competency(framework, "C3"), level(framework, "Proficient")),
        ],
    )
    assert sorted(objective.mappings.values_list("competency__code", flat=True)) == ["C2", "C3"]
    services.unmap_competency(objective, actor=None, competency=competency(framework, "C2"))
    assert list(objective.mappings.values_list("competency__code", flat=True)) == ["C3"]


# --- completion rules -----------------------------------------------------------------------


@pytest.mark.parametrize("value", [-1, 101, "120", None])
def test_percentage_rules_need_a_threshold_between_0_and_100(draft, value):
    with pytest.raises(DomainError) as info:
        services.set_completion_rule(draft, actor=None, kind=RuleKind.POST_TEST_MIN, threshold=value)
    assert info.value.field == "threshold"


def test_completion_rules_are_set_once_per_kind_and_read_in_plain_language(draft, framework):
    services.set_completion_rule(draft, actor=None, kind=RuleKind.ONLINE_COMPLETED, threshold=55)
    services.set_completion_rule(draft, actor=None, kind=RuleKind.POST_TEST_MIN, threshold="70")
    services.set_completion_rule(draft, actor=None, kind=RuleKind.ATTENDANCE_MIN, threshold=Decimal("85.5"))
    services.set_completion_rule(draft, actor=None, kind=RuleKind.PILLAR_POINTS_MIN, threshold=60)
    rules = {r.kind: r for r in draft.rules.all()}
    assert rules[RuleKind.ONLINE_COMPLETED].threshold is None  # a threshold means nothing there
    assert rules[RuleKind.ATTENDANCE_MIN].sentence == "Attend at least 85.5 % of the sessions."
    assert rules[RuleKind.POST_TEST_MIN].sentence == "Score at least 70 % in the post-test."
    assert (
        rules[RuleKind.PILLAR_POINTS_MIN].sentence == "Earn at least 60 points across the assessment pillars."
    )
    assert rules[RuleKind.PRACTICAL_CORE_LEVEL].sentence == (
        "Reach at least “Proficient” in the practical assessment on every core competency."
    )
    assert rules[RuleKind.ONLINE_COMPLETED].sentence == "Complete the online self-paced part."
    services.remove_completion_rule(rules[RuleKind.PILLAR_POINTS_MIN], actor=None)
    assert draft.rules.count() == 4


def test_the_practical_rule_level_comes_from_the_versions_framework(draft, other_framework):
    with pytest.raises(DomainError) as info:
        services.set_completion_rule(
            draft, actor=None, kind=RuleKind.PRACTICAL_CORE_LEVEL, level=level(other_framework, "Proficient")
        )
    assert info.value.field == "level"


# --- publishing -----------------------------------------------------------------------------


def test_publishing_a_complete_draft(draft, cast):
    _ready(draft)
    version = services.publish_version(draft, actor=cast.staff)
    assert version.status == "published" and version.published_at is not None
    assert AuditEvent.objects.for_object(version).filter(verb="course_version.published").exists()


def test_the_ects_rule_names_the_numbers(draft):
    services.update_version(
        draft,
        actor=None,
        languages=["en"],
        ects_credits=2,
        contact_hours=18,
        self_study_hours=26,
        assessment_hours=3,
        qualification_framework="MQF",
        qualification_level=5,
    )
    with pytest.raises(services.NotReadyToPublish) as info:
        services.publish_version(draft, actor=None)
    assert info.value.message == (
        "2 ECTS = 50 hours, but the hours add up to 47 (18 contact + 26 self-study + 3 assessment)."
    )
    assert info.value.field == "ects_credits"
    services.update_version(draft, actor=None, self_study_hours=29)
    assert services.publish_version(draft, actor=None).status == "published"


def test_publishing_lists_every_problem(cast, framework):
    version = services.create_course(
        actor=None,
        owner=cast.org_a,
        title="Empty",
        framework_version=framework,
        qualification_framework="EQF",
    )
    services.add_part(version, actor=None, kind=PartKind.ONLINE_SELF_PACED, gates_next=True)
    services.set_completion_rule(
        version, actor=None, kind=RuleKind.PRACTICAL_CORE_LEVEL, level=level(framework, "Proficient")
    )
    problems = [p.message for p in services.publishing_problems(version)]
    assert problems == [
        "Give at least one language the product is offered in.",
        "Give the qualification level (1–8) in EQF.",
        "“Online self-paced part” must be completed before the next part, but no part follows it: move it "
        "before the part it gates, or untick “must be completed before the next part”.",
        "Add at least one module.",
        "The rule on core competencies needs at least one core objective mapped to a competency; mark the core "
        "objectives or remove the rule.",
    ]
    with pytest.raises(services.NotReadyToPublish) as info:
        services.publish_version(version, actor=None)
    assert len(info.value.problems) == 5
    version.refresh_from_db()
    assert version.status == "draft"


def test_every_module_needs_an_objective_and_every_objective_a_competency(draft):
    draft = _ready(draft)
    services.add_module(draft, actor=None, title="Evaluation and closing")
    services.add_objective(draft.modules.get(position=1), actor=None, text="Plan the evaluation")
    problems = [p.message for p in services.publishing_problems(draft)]
    assert problems == [
        "Module “Evaluation and closing” has no learning objective; add at least one.",
        "Objective “Plan the evaluation” (module “The training cycle”) is not mapped to any competency of the "
        "framework.",
    ]


def test_without_a_framework_objectives_need_no_mapping(cast):
    version = services.create_course(actor=None, owner=cast.org_a, title="Field trip", languages=["en"])
    module = services.add_module(version, actor=None, title="The Hague")
    services.add_objective(module, actor=None, text="Explain the Dutch migration context")
    assert services.publishing_problems(version) == []


def test_the_online_completed_rule_needs_an_online_part(cast):
    version = services.create_course(actor=None, owner=cast.org_a, title="F2F only", languages=["en"])
    services.add_objective(services.add_module(version, actor=None, title="M"), actor=None, text="O")
    services.set_completion_rule(version, actor=None, kind=RuleKind.ONLINE_COMPLETED)
    assert "needs an online self-paced part" in services.publishing_problems(version)[0].message


def test_publishing_retires_the_previously_published_version(published, cast):
    nxt = services.derive_version(published, actor=cast.staff)
    _ready(nxt)
    services.publish_version(nxt, actor=cast.staff)
    published.refresh_from_db()
    assert published.status == "retired" and published.retired_at is not None
    assert list(CourseVersion.objects.published().filter(course=published.course)) == [nxt]


def test_retire_only_a_published_version(published, draft):
    assert services.retire_version(published, actor=None).status == "retired"
    with pytest.raises(ConflictError, match="Only a published version"):
        services.retire_version(draft, actor=None)


# --- deriving -------------------------------------------------------------------------------


def test_derive_copies_everything_keeping_lineage(published, cast):
    published.thematic_areas.set(ThematicArea.objects.filter(code="horizontal"))
    new = services.derive_version(published, actor=cast.staff, change_note="After the pilot")
    assert (new.number, new.status, new.derived_from, new.change_note) == (
        2,
        "draft",
        published,
        "After the pilot",
    )
    assert list(new.thematic_areas.values_list("code", flat=True)) == ["horizontal"]
    assert sorted(new.modules.values_list("lineage", flat=True)) == sorted(
        published.modules.values_list("lineage", flat=True)
    )
    assert sorted(
        LearningObjective.objects.filter(module__version=new).values_list("lineage", "is_core")
    ) == sorted(LearningObjective.objects.filter(module__version=published).values_list("lineage", "is_core"))
    assert ObjectiveCompetency.objects.filter(objective__module__version=new).count() == 3
    assert CompletionRule.objects.filter(version=new).count() == 2
    assert Module.objects.filter(version=new, part__isnull=False).count() == 2
    assert all(m.part.version_id == new.pk for m in Module.objects.filter(version=new))
    # and the new draft can be changed without touching the published one
    services.update_module(new.modules.first(), actor=None, title="The training cycle, revised")
    assert published.modules.get(position=1).title == "The training cycle"


def test_only_one_draft_at_a_time(published):
    services.derive_version(published, actor=None)
    with pytest.raises(ConflictError, match="Version 2 is already a draft"):
        services.derive_version(published, actor=None)


def test_a_draft_is_not_derived_but_can_be_discarded(published, draft):
    with pytest.raises(ConflictError, match="is a draft"):
        services.derive_version(draft, actor=None)
    nxt = services.derive_version(published, actor=None)
    assert services.discard_draft(nxt, actor=None) == published.course
    assert services.derive_version(published, actor=None).number == 2
    course_pk = draft.course_id
    assert services.discard_draft(draft, actor=None) is None
    assert not CourseVersion.objects.filter(course_id=course_pk).exists()
