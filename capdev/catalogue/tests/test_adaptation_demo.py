"""The demo adaptations: DPU's Portuguese ToT (behind the standard) and DGME's Spanish ToT."""

from __future__ import annotations

import pytest

from capdev.catalogue import adaptations as svc
from capdev.catalogue.models import Course, CourseVersion, LearningObjective
from capdev.competencies.models import VersionStatus
from capdev.demo.adaptations import DGME, DPU, load_adaptations
from capdev.demo.catalogue import load_catalogue
from capdev.demo.competencies import load_trainer_framework
from capdev.organisations.models import Organisation, OrganisationType


@pytest.fixture
def demo(db):
    for key, name, country in (("dpu", "Defensoria Pública da União", "BR"), ("dgme", "DGME", "CR")):
        Organisation.objects.create(
            name=name, type=OrganisationType.PARTNER_AUTHORITY, country_id=country, demo_key=key
        )
    load_trainer_framework()
    load_catalogue()
    return load_adaptations()


def version_of(key: str) -> CourseVersion:
    return CourseVersion.objects.get(course__demo_key=key)


def test_without_the_catalogue_nothing_is_loaded(db):
    assert load_adaptations() == {"adaptations": 0}


def test_demo_adaptations_are_loaded_once(demo):
    assert demo == {"adaptations": 2}
    assert load_adaptations() == {"adaptations": 2}
    assert Course.objects.filter(kind="adaptation").count() == 2


def test_dpu_adaptation_is_portuguese_localised_and_behind(demo):
    dpu = version_of(DPU.key)
    assert dpu.status == VersionStatus.PUBLISHED
    assert dpu.languages == ["pt"]
    assert dpu.based_on.number == 1
    comp = svc.comparison(dpu)
    assert comp.score_percent == 100
    assert comp.counts["added"] == 3
    assert comp.counts["removed"] == 1
    assert comp.counts["changed"] == 13
    titles = [m.title for m in dpu.modules.order_by("position")]
    assert "Assistência jurídica a solicitantes de refúgio" in titles
    assert dpu.modules.get(title="O ciclo de formação").local_examples.startswith("O calendário")
    report = svc.behind(dpu)
    assert report is not None and report.newest.number == 2
    assert [o.text for o, _m in report.diff.added] == ["Adapt a face-to-face activity for an online session."]


def test_dgme_adaptation_is_up_to_date(demo):
    dgme = version_of(DGME.key)
    assert dgme.based_on.number == 2
    assert svc.behind(dgme) is None
    assert svc.comparison(dgme).counts["kept"] > 0


def test_rebasing_the_dpu_adaptation_keeps_its_portuguese_and_adds_the_new_objective(demo):
    dpu = version_of(DPU.key)
    rebased = svc.rebase_adaptation(dpu, actor=None)
    assert rebased.based_on.number == 2
    texts = set(LearningObjective.objects.filter(module__version=rebased).values_list("text", flat=True))
    assert "Descrever as etapas do ciclo de formação e o produto de cada etapa." in texts
    assert "Adapt a face-to-face activity for an online session." in texts
    assert "Deliver an online or blended session." not in texts  # still left out by the partner
    assert svc.comparison(rebased).score_percent == 100
