"""Adaptation pages: each action through its page, with its database effect and messages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capdev.catalogue import adaptations as svc
from capdev.catalogue.models import Course, CourseKind, CourseVersion, LearningObjective
from capdev.catalogue.tests.test_adaptation_builders import (
    derive,
    make_standard,
    make_trainer_framework,
    module,
    objective,
    publish,
)
from capdev.competencies.models import VersionStatus


@pytest.fixture
def fv(cast):
    return make_trainer_framework(cast.implementer)


@pytest.fixture
def standard(cast, fv):
    return make_standard(cast.implementer, fv)


@pytest.fixture
def draft(cast, standard):
    return svc.create_adaptation(
        standard, actor=None, organisation=cast.org_a, language="pt", title="ToT em proteção internacional"
    )


@pytest.fixture
def focal(cast):
    return cast.client("focal")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_create_from_a_published_standard(cast, standard, focal):
    page = focal.get(f"/adaptations/new/{standard.pk}/")
    assert page.status_code == 200
    assert "Apply adult-learning principles when designing a session" in page.content.decode()  # cores listed
    response = focal.post(
        f"/adaptations/new/{standard.pk}/",
        {"organisation": cast.org_a.pk, "language": "pt", "title": "ToT DPU"},
    )
    course = Course.objects.get(kind=CourseKind.ADAPTATION)
    version = course.versions.get()
    assert response.status_code == 302
    assert response["Location"] == f"/adaptations/{version.pk}/"
    assert (course.owner, version.title, version.languages) == (cast.org_a, "ToT DPU", ["pt"])


def test_focal_point_cannot_create_for_another_organisation(cast, standard, focal):
    response = focal.post(
        f"/adaptations/new/{standard.pk}/", {"organisation": cast.org_b.pk, "language": "es", "title": "X"}
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Course.objects.filter(kind=CourseKind.ADAPTATION).exists()


def test_detail_shows_side_by_side_with_labels_and_score(cast, draft, focal):
    svc.reword_objective(objective(draft, "Write learning"), actor=None, text="Redigir objetivos observáveis")
    svc.remove_objective(objective(draft, "Relate the cycle"), actor=None)
    svc.add_module(draft, actor=None, title="Assistência jurídica", objectives=["Orientar solicitantes"])
    html = focal.get(f"/adaptations/{draft.pk}/").content.decode()
    for text in [
        "Standardisation score",
        "100 %",
        "4 of 4 core objectives of the standard retained",
        "Unchanged share",
        "4 of 6 objectives of the standard kept word for word",
        'class="status status-changed">Changed',
        'class="status status-removed">Removed',
        'class="status status-added">Added',
        'class="status status-kept">Kept',
        "Module added",
        "Redigir objetivos observáveis",
        "Not in the standard",
    ]:
        assert text in html, text
    assert "Behind the standard" not in html


def test_detail_of_a_behind_adaptation_offers_a_rebase(cast, standard, draft, focal):
    publish(draft)
    v2 = derive(standard)
    LearningObjective.objects.create(
        module=module(v2, "Design and objectives"), position=3, text="Sequence activities"
    )
    publish(v2)
    html = focal.get(f"/adaptations/{draft.pk}/").content.decode()
    assert "Behind the standard" in html
    assert "Sequence activities" in html
    assert f'action="/adaptations/{draft.pk}/rebase/"' in html
    assert "Rebase on version 2" in html
    # a participant sees the warning, not the button
    html = cast.client("participant").get(f"/adaptations/{draft.pk}/").content.decode()
    assert "Behind the standard" in html and "Rebase on version 2" not in html

    response = focal.post(f"/adaptations/{draft.pk}/rebase/")
    rebased = CourseVersion.objects.get(course=draft.course, number=2)
    assert response["Location"] == f"/adaptations/{rebased.pk}/"
    assert rebased.based_on == v2
    assert LearningObjective.objects.filter(module__version=rebased, text="Sequence activities").exists()


def test_removing_a_core_objective_is_refused_on_the_page(draft, focal):
    core = objective(draft, "Apply adult-learning")
    page = focal.get(f"/adaptations/{draft.pk}/objectives/{core.pk}/remove/").content.decode()
    assert "is a core objective of the standard and must be kept; you may reword it." in page
    assert "Remove the objective" not in page
    response = focal.post(f"/adaptations/{draft.pk}/objectives/{core.pk}/remove/", follow=True)
    assert (
        "“Apply adult-learning principles…” is a core objective of the standard and must be kept; you may reword it."
        in messages_of(response)
    )
    assert LearningObjective.objects.filter(pk=core.pk).exists()


def test_remove_and_reword_objectives(draft, focal):
    other = objective(draft, "Relate the cycle")
    response = focal.post(f"/adaptations/{draft.pk}/objectives/{other.pk}/remove/")
    assert response.status_code == 302
    assert not LearningObjective.objects.filter(pk=other.pk).exists()
    core = objective(draft, "Apply adult-learning")
    focal.post(f"/adaptations/{draft.pk}/objectives/{core.pk}/edit/", {"text": "Aplicar a andragogia"})
    core.refresh_from_db()
    assert core.text == "Aplicar a andragogia"


def test_reword_with_an_empty_text_shows_the_error(draft, focal):
    core = objective(draft, "Apply adult-learning")
    response = focal.post(f"/adaptations/{draft.pk}/objectives/{core.pk}/edit/", {"text": " "})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_add_replace_and_remove_modules(draft, focal):
    focal.post(
        f"/adaptations/{draft.pk}/modules/new/",
        {
            "title": "Assistência jurídica",
            "objectives": "Orientar\n\nEncaminhar",
            "local_examples": "Lei 9.474",
        },
    )
    added = module(draft, "Assistência jurídica")
    assert list(added.objectives.values_list("text", flat=True)) == ["Orientar", "Encaminhar"]
    assert added.local_examples == "Lei 9.474"

    cycle = module(draft, "The training cycle")
    page = focal.get(f"/adaptations/{draft.pk}/modules/{cycle.pk}/replace/").content.decode()
    assert "Describe the steps of the training cycle" in page  # the core objective that moves
    focal.post(
        f"/adaptations/{draft.pk}/modules/{cycle.pk}/replace/", {"title": "O ciclo na DPU", "objectives": ""}
    )
    new = module(draft, "O ciclo na DPU")
    assert list(new.objectives.values_list("text", flat=True)) == ["Describe the steps of the training cycle"]

    design = module(draft, "Design and objectives")
    response = focal.post(f"/adaptations/{draft.pk}/modules/{design.pk}/remove/", follow=True)
    assert any("holds the core objective" in m for m in messages_of(response))
    focal.post(f"/adaptations/{draft.pk}/modules/{added.pk}/remove/")
    assert not draft.modules.filter(pk=added.pk).exists()


def test_local_examples_and_description(draft, focal):
    cycle = module(draft, "The training cycle")
    focal.post(
        f"/adaptations/{draft.pk}/modules/{cycle.pk}/edit/",
        {"title": "O ciclo de formação", "summary": "", "local_examples": "Casos da DPU"},
    )
    cycle.refresh_from_db()
    assert (cycle.title, cycle.local_examples) == ("O ciclo de formação", "Casos da DPU")
    assert svc.comparison(draft).modules[0].status == "changed"
    focal.post(
        f"/adaptations/{draft.pk}/edit/",
        {"title": "Novo título", "language": "pt", "summary": "Resumo", "target_audience": "Defensores"},
    )
    draft.refresh_from_db()
    assert (draft.title, draft.summary, draft.target_audience) == ("Novo título", "Resumo", "Defensores")


def test_publish_then_new_draft(draft, focal):
    response = focal.post(f"/adaptations/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert response.status_code == 302 and draft.status == VersionStatus.PUBLISHED
    response = focal.post(f"/adaptations/{draft.pk}/new-draft/")
    new = CourseVersion.objects.get(course=draft.course, number=2)
    assert response["Location"] == f"/adaptations/{new.pk}/"
    assert new.status == VersionStatus.DRAFT
    # editing a published version sends back to it
    response = focal.get(f"/adaptations/{draft.pk}/edit/")
    assert response.status_code == 302 and response["Location"] == f"/adaptations/{draft.pk}/"


def test_publish_refused_without_every_core_objective(draft, focal):
    objective(draft, "Close a session").delete()
    page = focal.get(f"/adaptations/{draft.pk}/publish/").content.decode()
    assert "Close a session with a summary and feedback" in page
    response = focal.post(f"/adaptations/{draft.pk}/publish/", follow=True)
    assert any("lacks 1 core objective" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_discard_a_draft(draft, focal):
    response = focal.post(f"/adaptations/{draft.pk}/discard/")
    assert response["Location"] == "/adaptations/"
    assert not Course.objects.filter(kind=CourseKind.ADAPTATION).exists()


# --- list -----------------------------------------------------------------------------------


def _adaptations(cast, standard, n: int, *, language: str = "pt") -> list[CourseVersion]:
    out = []
    for i in range(n):
        v = svc.create_adaptation(
            standard, actor=None, organisation=cast.org_a, language=language, title=f"A{i}"
        )
        out.append(publish(v))
    return out


def titles(response) -> list[str]:
    return [v.title for v in response.context["object_list"]]


def test_list_filters(cast, fv, standard):
    old = _adaptations(cast, standard, 1)[0]
    v2 = publish(derive(standard))
    new = svc.create_adaptation(
        v2, actor=None, organisation=cast.org_b, language="es", title="Costa Rica ToT"
    )
    publish(new)
    other_standard = make_standard(cast.implementer, fv, code="other", title="Other product")
    svc.create_adaptation(
        other_standard, actor=None, organisation=cast.org_b, language="es", title="Other draft"
    )
    client = cast.client("staff")
    # ordered by partner, then title
    assert titles(client.get("/adaptations/")) == ["A0", "Costa Rica ToT", "Other draft"]
    assert titles(client.get("/adaptations/?behind=yes")) == ["A0"]
    assert titles(client.get("/adaptations/?behind=no")) == ["Costa Rica ToT", "Other draft"]
    assert titles(client.get(f"/adaptations/?partner={cast.org_a.pk}")) == ["A0"]
    assert titles(client.get(f"/adaptations/?standard={other_standard.course.pk}")) == ["Other draft"]
    assert titles(client.get("/adaptations/?language=es")) == ["Costa Rica ToT", "Other draft"]
    html = client.get("/adaptations/?behind=yes").content.decode()
    assert "Behind the standard" in html and "100 %" in html
    assert old.pk
    # drafts of another organisation are not listed for a focal point
    assert titles(cast.client("focal").get("/adaptations/")) == ["A0", "Costa Rica ToT"]


def test_list_query_count_is_constant(cast, standard):
    client = cast.client("focal")
    _adaptations(cast, standard, 3)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/adaptations/?behind=no").status_code == 200
        return len(ctx.captured_queries)

    count()
    three = count()
    _adaptations(cast, standard, 12)
    assert count() == three
