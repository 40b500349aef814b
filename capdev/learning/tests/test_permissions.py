"""The permission matrix of every page and endpoint of the online part (see
tests/test_permission_matrix.py).

Objects (capdev.learning.testing.learning_world): the published version of runs A and B, owned by
the implementing organisation, with lessons, an image and a SCORM package; the cast's participant
is enrolled in run A (org A, trained by the cast's trainer), person_b in run B (org B). A draft
version owned by the implementer (`draft_*`) and one owned by org A (`draft_a_module`) exercise
authoring. Content is read by staff, authors, the run's trainers and enrolled participants;
everyone else gets 404. Changing a published version's content redirects staff to the page that
says why (302).
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.storage import default_storage

from capdev.catalogue.models import Module
from capdev.core.testing import matrix_cases
from capdev.learning.models import LessonImage, OnlineLesson, ScormAttempt
from capdev.learning.testing import draft_version, install_package, learning_world, tiny_package

# url template, expected status for:   anon staff steering focal trainer participant outsider
MATRIX: list[tuple[str, str]] = [
    ("/learning/my/", "302 200 200 200 200 200 200"),
    ("/learning/my/?state=in_progress&q=train", "302 200 200 200 200 200 200"),
    # authoring and previews
    ("/learning/versions/{version}/", "302 200 403 403 200 403 403"),
    ("/learning/versions/{draft}/", "302 200 404 404 404 404 404"),
    ("/learning/modules/{module}/", "302 200 403 403 200 403 403"),
    ("/learning/modules/{draft_module}/", "302 200 404 404 404 404 404"),
    ("/learning/modules/{module}/lessons/new/", "302 302 403 403 403 403 403"),
    ("/learning/modules/{draft_module}/lessons/new/", "302 200 404 404 404 404 404"),
    ("/learning/modules/{draft_a_module}/lessons/new/", "302 200 404 200 404 404 404"),
    ("/learning/modules/{module}/package/", "302 302 403 403 403 403 403"),
    ("/learning/modules/{draft_module}/package/", "302 200 404 404 404 404 404"),
    ("/learning/lessons/{lesson}/edit/", "302 302 403 403 403 403 403"),
    ("/learning/lessons/{draft_lesson}/edit/", "302 200 404 404 404 404 404"),
    ("/learning/lessons/{lesson}/delete/", "302 302 403 403 403 403 403"),
    ("/learning/lessons/{draft_lesson}/delete/", "302 200 404 404 404 404 404"),
    ("/learning/lessons/{draft_lesson}/move/", "302 405 405 405 405 405 405"),
    ("/learning/lessons/{lesson}/preview/", "302 200 403 403 200 403 403"),
    ("/learning/lessons/{draft_lesson}/preview/", "302 200 404 404 404 404 404"),
    ("/learning/lessons/{draft_lesson}/images/", "302 405 405 405 405 405 405"),
    ("/learning/images/{image}/", "302 200 404 404 200 200 404"),
    ("/learning/images/{image}/edit/", "302 405 405 405 405 405 405"),
    ("/learning/images/{image}/delete/", "302 405 405 405 405 405 405"),
    ("/learning/packages/{package}/delete/", "302 302 403 403 403 403 403"),
    ("/learning/packages/{draft_package}/delete/", "302 200 404 404 404 404 404"),
    ("/learning/packages/{package}/preview/", "302 200 404 404 200 403 404"),
    ("/learning/packages/{draft_package}/preview/", "302 200 404 404 404 404 404"),
    ("/learning/packages/{package}/content/index.html", "302 200 404 404 200 200 404"),
    ("/learning/packages/{package}/content/INDEX.HTML", "302 200 404 404 200 200 404"),
    ("/learning/packages/{package}/content/missing.html", "302 404 404 404 404 404 404"),
    ("/learning/packages/{package}/content/../../settings.py", "302 404 404 404 404 404 404"),
    ("/learning/packages/{package}/content/", "404 404 404 404 404 404 404"),  # no listing: no such URL
    # the participant's online course
    ("/learning/enrolments/{enrolment}/", "302 200 404 200 200 200 404"),
    ("/learning/enrolments/{enrolment_b}/", "302 200 404 404 404 404 200"),
    ("/learning/enrolments/{enrolment}/lessons/{lesson}/", "302 200 404 200 200 200 404"),
    ("/learning/enrolments/{enrolment}/lessons/{offline_lesson}/", "302 404 404 404 404 404 404"),
    ("/learning/enrolments/{enrolment}/lessons/{lesson}/done/", "302 405 405 405 405 405 405"),
    ("/learning/enrolments/{enrolment}/packages/{package}/play/", "302 200 404 403 200 200 404"),
    ("/learning/enrolments/{enrolment_b}/packages/{package}/play/", "302 200 404 404 404 404 403"),
    ("/learning/enrolments/{enrolment}/packages/{package}/commit/{key}/", "302 405 405 405 405 405 405"),
    # trainers and staff
    ("/learning/runs/{run_a}/progress/", "302 200 403 200 200 403 404"),
    ("/learning/runs/{run_a}/progress/?state=not_started&q=santos", "302 200 403 200 200 403 404"),
    ("/learning/runs/{run_b}/progress/", "302 200 403 404 404 404 200"),
    # API
    ("/api/v1/online-lessons/", "403 200 200 200 200 200 200"),
    ("/api/v1/online-lessons/?version={version}", "403 200 200 200 200 200 200"),
    ("/api/v1/online-lessons/{lesson}/", "403 200 404 404 200 200 404"),
    ("/api/v1/online-progress/", "403 200 200 200 200 200 200"),
    ("/api/v1/online-progress/{enrolment}/", "403 200 404 200 200 200 404"),
    ("/api/v1/scorm-attempts/", "403 200 200 200 200 200 200"),
    ("/api/v1/scorm-attempts/{attempt}/", "403 200 404 200 200 200 404"),
]

CASES = matrix_cases(MATRIX)


@pytest.fixture
def objects(cast: Any) -> dict[str, Any]:
    lw = learning_world(cast)
    image = LessonImage.objects.create(
        lesson=lw.lessons[0],
        number=1,
        file="lessons/x/cycle.png",
        alt_text="Cycle",
        width=4,
        height=3,
        content_type="image/png",
    )
    default_storage.save(image.file.name, io.BytesIO(b"\x89PNG\r\n\x1a\nfake"))
    draft = draft_version(cast.implementer)
    draft_module = Module.objects.get(version=draft, position=1)
    draft_lesson = OnlineLesson.objects.create(module=draft_module, position=1, title="Draft lesson")
    draft_package = install_package(draft_module, tiny_package())
    draft_a = draft_version(cast.org_a, code="dpu-own")
    attempt = ScormAttempt.objects.create(
        enrolment=lw.enrolment, package=lw.package, sco_id="item1", session_key="k"
    )
    return {
        **lw.ids(),
        "image": image.pk,
        "draft": draft.pk,
        "draft_module": draft_module.pk,
        "draft_lesson": draft_lesson.pk,
        "draft_package": draft_package.pk,
        "draft_a_module": Module.objects.get(version=draft_a, position=1).pk,
        "attempt": attempt.pk,
        "key": "k",
    }


@pytest.mark.parametrize(("url", "role", "expected"), CASES, ids=[f"{r}:{u}" for u, r, _ in CASES])
def test_learning_permission_matrix(
    cast: Any, objects: dict[str, Any], url: str, role: str, expected: int
) -> None:
    client = cast.client(None if role == "anon" else role)
    target = url.format(**objects)
    response = client.get(target)
    if response.streaming:  # read a file to its end, which closes it as a server would
        b"".join(response.streaming_content)
    assert response.status_code == expected, f"{role} GET {target}: {response.status_code} != {expected}"
    if expected == 302 and role == "anon" and not url.startswith("/api/"):
        assert response["Location"].startswith("/accounts/login/"), response["Location"]
