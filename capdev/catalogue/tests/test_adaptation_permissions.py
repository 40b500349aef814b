"""Permission matrix over the adaptation, public catalogue and coverage URLs, for every role.

Expected status per role: 200 allowed, 403 visible but role too low, 404 outside the user's scope
(or not adaptable), 302 anonymous → login (and, for an edit page of a published adaptation, back
to the adaptation). The draft and the published adaptation belong to organisation A (the focal
point's); the outsider is the focal point of organisation B, who may adapt for B.
"""

from __future__ import annotations

import pytest

from capdev.catalogue import adaptations as svc
from capdev.catalogue.tests.test_adaptation_builders import make_standard, make_trainer_framework, publish
from capdev.competencies.models import VersionStatus
from capdev.core.testing import check_matrix_case, matrix_cases

# url template, expected status for:        anon staff steering focal trainer participant outsider
MATRIX: list[tuple[str, str]] = [
    ("/adaptations/", "302 200 200 200 200 200 200"),
    ("/adaptations/new/{standard}/", "302 200 403 200 403 403 200"),
    ("/adaptations/new/{draft_standard}/", "302 404 404 404 404 404 404"),
    ("/adaptations/new/{published}/", "302 404 404 404 404 404 404"),
    ("/adaptations/{draft}/", "302 200 404 200 404 404 404"),
    ("/adaptations/{published}/", "302 200 200 200 200 200 200"),
    ("/adaptations/{draft}/edit/", "302 200 404 200 404 404 404"),
    ("/adaptations/{published}/edit/", "302 302 403 302 403 403 403"),
    ("/adaptations/{draft}/publish/", "302 200 404 200 404 404 404"),
    ("/adaptations/{draft}/discard/", "302 200 404 200 404 404 404"),
    ("/adaptations/{published}/new-draft/", "302 200 403 200 403 403 403"),
    ("/adaptations/{published}/rebase/", "302 200 403 200 403 403 403"),
    ("/adaptations/{draft}/modules/new/", "302 200 404 200 404 404 404"),
    ("/adaptations/{draft}/modules/{module}/replace/", "302 200 404 200 404 404 404"),
    ("/adaptations/{draft}/modules/{module}/edit/", "302 200 404 200 404 404 404"),
    ("/adaptations/{draft}/modules/{module}/remove/", "302 200 404 200 404 404 404"),
    ("/adaptations/{draft}/modules/{module}/objectives/new/", "302 200 404 200 404 404 404"),
    ("/adaptations/{draft}/objectives/{objective}/edit/", "302 200 404 200 404 404 404"),
    ("/adaptations/{draft}/objectives/{objective}/remove/", "302 200 404 200 404 404 404"),
    ("/adaptations/{draft}/modules/{published_module}/remove/", "302 404 404 404 404 404 404"),
    ("/courses/", "200 200 200 200 200 200 200"),
    ("/courses/{standard_uuid}/", "200 200 200 200 200 200 200"),
    ("/courses/{published_uuid}/", "200 200 200 200 200 200 200"),
    ("/courses/{draft_standard_uuid}/", "404 404 404 404 404 404 404"),
    ("/courses/{draft_uuid}/", "404 404 404 404 404 404 404"),
    ("/coverage/{fv}/", "302 200 200 200 200 200 200"),
    ("/coverage/{fv}/csv/", "302 200 200 200 200 200 200"),
    ("/coverage/{draft_fv}/", "302 200 404 200 404 404 404"),
    ("/coverage/{draft_fv}/csv/", "302 200 404 200 404 404 404"),
]


@pytest.fixture
def matrix_objects(cast):
    fv = make_trainer_framework(cast.implementer)
    draft_fv = make_trainer_framework(cast.org_a, title="Draft framework of DPU")
    draft_fv.status = VersionStatus.DRAFT
    draft_fv.save()
    standard = make_standard(cast.implementer, fv)
    draft_standard = make_standard(cast.implementer, fv, code="draft-std", status=VersionStatus.DRAFT)
    published = svc.create_adaptation(
        standard, actor=None, organisation=cast.org_a, language="pt", title="ToT DPU (published)"
    )
    publish(published)
    draft = svc.create_adaptation(
        standard, actor=None, organisation=cast.org_a, language="es", title="ToT DPU (draft)"
    )
    module = draft.modules.first()
    return {
        "fv": fv.pk,
        "draft_fv": draft_fv.pk,
        "standard": standard.pk,
        "standard_uuid": standard.course.uuid,
        "draft_standard": draft_standard.pk,
        "draft_standard_uuid": draft_standard.course.uuid,
        "published": published.pk,
        "published_uuid": published.course.uuid,
        "published_module": published.modules.first().pk,
        "draft": draft.pk,
        "draft_uuid": draft.course.uuid,
        "module": module.pk,
        "objective": module.objectives.first().pk,
    }


CASES = matrix_cases(MATRIX)


@pytest.mark.parametrize(("url", "role", "expected"), CASES, ids=[f"{r}:{u}" for u, r, _ in CASES])
def test_adaptation_permission_matrix(cast, matrix_objects, url, role, expected):
    check_matrix_case(cast, url, role, expected, **matrix_objects)
