"""Adaptation rules: creation, edits, core objectives, comparison, score, behind, rebase."""

from __future__ import annotations

import pytest

from capdev.catalogue import adaptations as svc
from capdev.catalogue.adaptations import ADDED, CHANGED, KEPT, REMOVED
from capdev.catalogue.models import CourseKind, CourseVersion, LearningObjective, Module
from capdev.catalogue.tests.test_adaptation_builders import (
    derive,
    make_standard,
    make_trainer_framework,
    module,
    objective,
    publish,
)
from capdev.competencies.models import VersionStatus
from capdev.core.errors import ConflictError, DomainError, PermissionDeniedError
from capdev.core.models import AuditEvent


@pytest.fixture
def fv(cast):
    return make_trainer_framework(cast.implementer)


@pytest.fixture
def standard(cast, fv):
    return make_standard(cast.implementer, fv)


@pytest.fixture
def adaptation(cast, standard):
    return svc.create_adaptation(
        standard,
        actor=cast.focal,
        organisation=cast.org_a,
        language="pt",
        title="Formação de formadores em proteção internacional",
    )


def statuses(comp):
    return {(o.adapted or o.standard).text: o.status for m in comp.modules for o in m.objectives}


# --- creation -------------------------------------------------------------------------------


def test_adaptation_copies_the_standard_keeping_lineage(cast, standard, adaptation):
    course = adaptation.course
    assert course.kind == CourseKind.ADAPTATION
    assert course.owner == cast.org_a
    assert course.adapted_from == standard.course
    assert adaptation.number == 1
    assert adaptation.status == VersionStatus.DRAFT
    assert adaptation.based_on == standard
    assert adaptation.languages == ["pt"]
    assert adaptation.framework_version == standard.framework_version
    std = set(LearningObjective.objects.filter(module__version=standard).values_list("lineage", "text"))
    ada = set(LearningObjective.objects.filter(module__version=adaptation).values_list("lineage", "text"))
    assert std == ada
    assert adaptation.parts.count() == 2
    assert AuditEvent.objects.for_object(adaptation).filter(verb="adaptation.created").exists()


def test_a_fresh_adaptation_keeps_everything(adaptation):
    comp = svc.comparison(adaptation)
    assert set(statuses(comp).values()) == {KEPT}
    assert comp.score_percent == 100
    assert comp.unchanged_percent == 100
    assert comp.counts == {KEPT: 6, CHANGED: 0, ADDED: 0, REMOVED: 0}


def test_adaptation_of_a_draft_standard_is_refused(cast, fv):
    draft = make_standard(cast.implementer, fv, code="draft-std", status=VersionStatus.DRAFT)
    with pytest.raises(DomainError, match="Only a published version can be adapted"):
        svc.create_adaptation(draft, actor=cast.staff, organisation=cast.org_a, language="pt", title="X")


def test_adaptation_of_an_adaptation_is_refused(cast, adaptation):
    publish(adaptation)
    with pytest.raises(DomainError, match="Only a standard product can be adapted"):
        svc.create_adaptation(adaptation, actor=cast.staff, organisation=cast.org_a, language="es", title="X")


def test_focal_point_cannot_adapt_for_another_organisation(cast, standard):
    with pytest.raises(PermissionDeniedError):
        svc.create_adaptation(standard, actor=cast.focal, organisation=cast.org_b, language="es", title="X")


def test_trainer_cannot_adapt(cast, standard):
    with pytest.raises(PermissionDeniedError):
        svc.create_adaptation(standard, actor=cast.trainer, organisation=cast.org_a, language="pt", title="X")


def test_two_adaptations_get_distinct_codes(cast, standard, adaptation):
    other = svc.create_adaptation(
        standard, actor=cast.staff, organisation=cast.org_a, language="pt", title="Y"
    )
    assert other.course.code != adaptation.course.code


# --- edits ----------------------------------------------------------------------------------


def test_removing_a_core_objective_is_refused_with_a_clear_message(cast, adaptation):
    core = objective(adaptation, "Apply adult-learning")
    with pytest.raises(DomainError) as exc:
        svc.remove_objective(core, actor=cast.focal)
    assert exc.value.message == (
        "“Apply adult-learning principles…” is a core objective of the standard and must be kept; "
        "you may reword it."
    )
    assert LearningObjective.objects.filter(pk=core.pk).exists()


def test_a_reworded_core_objective_still_cannot_be_removed(cast, adaptation):
    core = objective(adaptation, "Apply adult-learning")
    svc.reword_objective(core, actor=cast.focal, text="Aplicar os princípios da andragogia")
    with pytest.raises(DomainError, match="is a core objective of the standard"):
        svc.remove_objective(core, actor=cast.focal)


def test_removing_a_non_core_objective_shows_as_removed(cast, adaptation):
    svc.remove_objective(objective(adaptation, "Relate the cycle"), actor=cast.focal)
    comp = svc.comparison(adaptation)
    assert statuses(comp)["Relate the cycle to your institution's training calendar"] == REMOVED
    assert comp.score_percent == 100
    assert comp.unchanged == 5


def test_rewording_keeps_lineage_and_shows_as_changed(cast, adaptation):
    o = objective(adaptation, "Write learning objectives")
    svc.reword_objective(o, actor=cast.focal, text="Redigir objetivos de aprendizagem observáveis")
    o.refresh_from_db()
    comp = svc.comparison(adaptation)
    row = next(r for m in comp.modules for r in m.objectives if r.adapted and r.adapted.pk == o.pk)
    assert row.status == CHANGED
    assert row.standard.text == "Write learning objectives that can be observed"
    assert row.is_core
    assert comp.score_percent == 100  # a reworded core objective is retained
    assert comp.unchanged_percent == 83  # 5 of 6 standard objectives word for word


def test_added_module_and_objective_show_as_added(cast, adaptation):
    m = svc.add_module(
        adaptation,
        actor=cast.focal,
        title="Assistência jurídica a solicitantes de refúgio",
        objectives=["Orientar um solicitante de refúgio sobre o procedimento"],
        local_examples="Lei 9.474/1997",
    )
    svc.add_objective(module(adaptation, "The training cycle"), actor=cast.focal, text="Mapear a rede local")
    comp = svc.comparison(adaptation)
    added_module = next(r for r in comp.modules if r.adapted and r.adapted.pk == m.pk)
    assert added_module.status == ADDED
    assert added_module.adapted.local_examples == "Lei 9.474/1997"
    assert statuses(comp)["Orientar um solicitante de refúgio sobre o procedimento"] == ADDED
    assert statuses(comp)["Mapear a rede local"] == ADDED
    assert comp.counts[ADDED] == 2


def test_removing_a_module_with_a_core_objective_is_refused(cast, adaptation):
    with pytest.raises(DomainError, match="holds the core objective"):
        svc.remove_module(module(adaptation, "Design and objectives"), actor=cast.focal)


def test_removing_a_module_without_core_objectives(cast, fv, adaptation):
    m = svc.add_module(adaptation, actor=cast.focal, title="Local module", objectives=["Local objective"])
    svc.remove_module(m, actor=cast.focal)
    assert not Module.objects.filter(pk=m.pk).exists()


def test_replacing_a_module_keeps_its_core_objectives_inside_the_new_one(cast, adaptation):
    old = module(adaptation, "The training cycle")
    new = svc.replace_module(
        old,
        actor=cast.focal,
        title="O ciclo de formação na DPU",
        objectives=["Planejar o calendário de formação da DPU"],
    )
    assert new.position == old.position
    texts = list(new.objectives.order_by("position").values_list("text", flat=True))
    assert texts == ["Describe the steps of the training cycle", "Planejar o calendário de formação da DPU"]
    comp = svc.comparison(adaptation)
    titles = [(r.status, (r.adapted or r.standard).title) for r in comp.modules]
    assert titles[:2] == [(REMOVED, "The training cycle"), (ADDED, "O ciclo de formação na DPU")]
    st = statuses(comp)
    assert st["Describe the steps of the training cycle"] == KEPT
    assert st["Relate the cycle to your institution's training calendar"] == REMOVED
    assert st["Planejar o calendário de formação da DPU"] == ADDED
    moved = next(
        o for r in comp.modules for o in r.objectives if o.adapted and o.adapted.text.startswith("Describe")
    )
    assert moved.moved_from == "The training cycle"
    assert comp.score_percent == 100


def test_local_examples_and_description(cast, adaptation):
    m = svc.set_local_examples(
        module(adaptation, "The training cycle"), actor=cast.focal, local_examples="Casos da DPU"
    )
    assert m.local_examples == "Casos da DPU"
    svc.update_adaptation(adaptation, actor=cast.focal, title="ToT DPU", language="es")
    adaptation.refresh_from_db()
    assert (adaptation.title, adaptation.languages) == ("ToT DPU", ["es"])


def test_outsider_cannot_edit(cast, adaptation):
    with pytest.raises(PermissionDeniedError):
        svc.reword_objective(objective(adaptation, "Write"), actor=cast.outsider, text="x")


def test_published_adaptation_is_not_edited(cast, adaptation):
    svc.publish_adaptation(adaptation, actor=cast.focal)
    with pytest.raises(ConflictError, match="can no longer be changed"):
        svc.reword_objective(objective(adaptation, "Write"), actor=cast.focal, text="x")


# --- publishing -----------------------------------------------------------------------------


def test_publishing_requires_every_core_objective(cast, adaptation):
    # A core objective lost outside the services (e.g. an import) blocks publication.
    objective(adaptation, "Close a session").delete()
    with pytest.raises(DomainError, match="lacks 1 core objective"):
        svc.publish_adaptation(adaptation, actor=cast.focal)
    comp = svc.comparison(adaptation)
    assert comp.score_percent == 75  # 3 of 4 core objectives retained
    assert [o.text for o in comp.missing_cores] == ["Close a session with a summary and feedback"]
    adaptation.refresh_from_db()
    assert adaptation.status == VersionStatus.DRAFT


def test_publishing_and_a_new_draft_retire_nothing_until_published(cast, adaptation):
    svc.publish_adaptation(adaptation, actor=cast.focal)
    draft = svc.start_adaptation_draft(adaptation, actor=cast.focal)
    assert draft.number == 2 and draft.based_on == adaptation.based_on
    with pytest.raises(ConflictError):
        svc.start_adaptation_draft(adaptation, actor=cast.focal)
    svc.publish_adaptation(draft, actor=cast.focal)
    adaptation.refresh_from_db()
    assert adaptation.status == VersionStatus.RETIRED


# --- behind and rebase ----------------------------------------------------------------------


@pytest.fixture
def standard_v2(standard):
    """Version 2 of the standard: one objective reworded, one added, one removed, a new module,
    and a non-core objective made core."""
    v2 = derive(standard)
    objective(v2, "Describe the steps").__class__.objects.filter(
        module__version=v2, text__startswith="Describe the steps"
    ).update(text="Describe the five steps of the training cycle")
    LearningObjective.objects.filter(module__version=v2, text__startswith="Apply adult-learning").update(
        text="Apply the principles of adult learning to a session plan"
    )
    design = module(v2, "Design and objectives")
    LearningObjective.objects.create(module=design, position=3, text="Sequence activities in a session plan")
    objective(v2, "Choose an evaluation level").delete()
    LearningObjective.objects.filter(module__version=v2, text__startswith="Relate the cycle").update(
        is_core=True
    )
    delivery = Module.objects.create(version=v2, position=4, title="Delivery and methods")
    LearningObjective.objects.create(
        module=delivery, position=1, text="Use three interactive methods", is_core=True
    )
    return publish(v2)


def test_adaptation_is_behind_when_a_newer_standard_is_published(cast, adaptation, standard, standard_v2):
    report = svc.behind(adaptation)
    assert report is not None
    assert report.newest == standard_v2
    d = report.diff
    assert {o.text for o, _m in d.added} == {
        "Sequence activities in a session plan",
        "Use three interactive methods",
    }
    assert {o.text for o, _m in d.removed} == {"Choose an evaluation level for a training"}
    assert {new.text for _old, new in d.changed} == {
        "Describe the five steps of the training cycle",
        "Apply the principles of adult learning to a session plan",
    }
    assert [o.text for o in d.became_core] == ["Relate the cycle to your institution's training calendar"]
    assert [m.title for m in d.modules_added] == ["Delivery and methods"]
    flagged = svc.adaptation_versions(cast.staff).get(pk=adaptation.pk)
    assert flagged.is_behind


def test_up_to_date_adaptation_is_not_behind(cast, adaptation):
    assert svc.behind(adaptation) is None
    assert not svc.adaptation_versions(cast.staff).get(pk=adaptation.pk).is_behind


def test_a_new_draft_of_the_standard_does_not_make_adaptations_behind(adaptation, standard):
    derive(standard)
    assert svc.behind(adaptation) is None


def test_rebase_keeps_local_changes_and_adds_new_standard_content(cast, adaptation, standard_v2):
    # Local changes on v1 of the adaptation
    svc.reword_objective(
        objective(adaptation, "Apply adult-learning"), actor=cast.focal, text="Aplicar a andragogia"
    )
    svc.remove_objective(objective(adaptation, "Relate the cycle"), actor=cast.focal)
    svc.remove_objective(objective(adaptation, "Choose an evaluation level"), actor=cast.focal)
    svc.set_local_examples(
        module(adaptation, "The training cycle"), actor=cast.focal, local_examples="Casos DPU"
    )
    local = svc.add_module(
        adaptation, actor=cast.focal, title="Assistência jurídica", objectives=["Orientar"]
    )
    svc.publish_adaptation(adaptation, actor=cast.focal)

    rebased = svc.rebase_adaptation(adaptation, actor=cast.focal)

    assert rebased.number == 2
    assert rebased.status == VersionStatus.DRAFT
    assert rebased.based_on == standard_v2
    assert rebased.derived_from == adaptation
    assert svc.behind(rebased) is None
    modules = list(rebased.modules.order_by("position"))
    assert [m.title for m in modules] == [
        "The training cycle",
        "Design and objectives",
        "Evaluation and closing",
        "Delivery and methods",  # after the module that precedes it in the standard
        "Assistência jurídica",
    ]
    assert modules[0].local_examples == "Casos DPU"
    assert modules[4].lineage == local.lineage
    texts = {m.title: list(m.objectives.order_by("position").values_list("text", flat=True)) for m in modules}
    # unchanged locally → the standard's new wording; reworded locally → the adaptation's wording;
    # an objective that became core comes back.
    assert texts["The training cycle"] == [
        "Describe the five steps of the training cycle",
        "Relate the cycle to your institution's training calendar",
    ]
    assert texts["Design and objectives"] == [
        "Write learning objectives that can be observed",
        "Aplicar a andragogia",
        "Sequence activities in a session plan",
    ]
    assert texts["Evaluation and closing"] == ["Close a session with a summary and feedback"]
    assert texts["Assistência jurídica"] == ["Orientar"]
    assert texts["Delivery and methods"] == ["Use three interactive methods"]
    comp = svc.comparison(rebased)
    assert comp.score_percent == 100
    st = statuses(comp)
    assert st["Aplicar a andragogia"] == CHANGED
    assert st["Sequence activities in a session plan"] == KEPT
    assert st["Orientar"] == ADDED
    # mappings follow the standard for its objectives
    assert objective(rebased, "Write learning").mappings.get().target_level.name == "Proficient"
    svc.publish_adaptation(rebased, actor=cast.focal)
    adaptation.refresh_from_db()
    assert adaptation.status == VersionStatus.RETIRED


def test_rebasing_a_draft_replaces_it(cast, adaptation, standard_v2):
    svc.reword_objective(objective(adaptation, "Write learning"), actor=cast.focal, text="Redigir objetivos")
    rebased = svc.rebase_adaptation(adaptation, actor=cast.focal)
    assert rebased.number == 1
    assert not CourseVersion.objects.filter(pk=adaptation.pk).exists()
    assert objective(rebased, "Redigir").lineage
    assert rebased.course.versions.count() == 1


def test_rebase_refused_when_up_to_date(cast, adaptation):
    with pytest.raises(ConflictError, match="already based on version 1"):
        svc.rebase_adaptation(adaptation, actor=cast.focal)


def test_rebase_refused_for_an_outsider(cast, adaptation, standard_v2):
    with pytest.raises(PermissionDeniedError):
        svc.rebase_adaptation(adaptation, actor=cast.outsider)


def test_scores_for_many_versions_in_two_queries(cast, standard, adaptation, django_assert_num_queries):
    objective(adaptation, "Close a session").delete()
    with django_assert_num_queries(2):
        scores = svc.scores_for([adaptation])
    assert scores == {adaptation.pk: 75}


def test_standard_authoring_services_refuse_adaptations(cast, adaptation):
    """The catalogue's own removal and publishing services cannot bypass the core-objective rule."""
    from capdev.catalogue import services as catalogue_services
    from capdev.catalogue.models import LearningObjective, Module
    from capdev.core.errors import DomainError

    core = LearningObjective.objects.filter(module__version=adaptation, is_core=True).first()
    assert core is not None
    with pytest.raises(DomainError, match="adaptation page"):
        catalogue_services.remove_objective(core, actor=cast.staff)
    with pytest.raises(DomainError, match="adaptation page"):
        catalogue_services.remove_module(Module.objects.filter(version=adaptation).first(), actor=cast.staff)
    with pytest.raises(DomainError, match="adaptation page"):
        catalogue_services.publish_version(adaptation, actor=cast.staff)
    assert LearningObjective.objects.filter(pk=core.pk).exists()
