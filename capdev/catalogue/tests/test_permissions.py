"""Permission matrix over every catalogue URL (pages and API) and every role.

Expected status per role: 200 allowed, 403 visible but role too low, 404 outside the user's
scope, 302 anonymous → login (or, for an edit page of a published version, back to the version),
405 a POST-only URL fetched with GET by a user who may use it.
The draft belongs to organisation A (the focal point's); the published version too, so that the
focal point may start a new version from it.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from capdev.catalogue.models import Material
from capdev.catalogue.tests.conftest import build_version
from capdev.core.testing import check_matrix_case, matrix_cases

# url template, expected status for:     anon staff steering focal trainer participant outsider
MATRIX: list[tuple[str, str]] = [
    ("/catalogue/", "302 200 200 200 200 200 200"),
    ("/catalogue/new/", "302 200 403 403 403 403 403"),
    ("/catalogue/{draft_course}/", "302 200 404 200 404 404 404"),
    ("/catalogue/{published_course}/", "302 200 200 200 200 200 200"),
    ("/catalogue/versions/{published}/", "302 200 200 200 200 200 200"),
    ("/catalogue/versions/{draft}/", "302 200 404 200 404 404 404"),
    ("/catalogue/versions/{draft}/edit/", "302 200 404 200 404 404 404"),
    ("/catalogue/versions/{published}/edit/", "302 302 403 302 403 403 403"),
    ("/catalogue/versions/{draft}/publish/", "302 200 404 403 404 404 404"),
    ("/catalogue/versions/{published}/retire/", "302 200 403 403 403 403 403"),
    ("/catalogue/versions/{published}/derive/", "302 200 403 200 403 403 403"),
    ("/catalogue/versions/{draft}/discard/", "302 200 404 200 404 404 404"),
    ("/catalogue/versions/{draft}/parts/", "302 200 404 200 404 404 404"),
    ("/catalogue/versions/{draft}/parts/{part}/edit/", "302 200 404 200 404 404 404"),
    ("/catalogue/versions/{draft}/parts/{part}/delete/", "302 200 404 200 404 404 404"),
    ("/catalogue/versions/{draft}/parts/{part}/move/", "302 405 404 405 404 404 404"),
    ("/catalogue/versions/{draft}/modules/", "302 200 404 200 404 404 404"),
    ("/catalogue/versions/{draft}/modules/{module}/edit/", "302 200 404 200 404 404 404"),
    ("/catalogue/versions/{draft}/modules/{module}/delete/", "302 200 404 200 404 404 404"),
    ("/catalogue/versions/{draft}/modules/{module}/move/", "302 405 404 405 404 404 404"),
    ("/catalogue/versions/{draft}/modules/{module}/objectives/new/", "302 200 404 200 404 404 404"),
    ("/catalogue/versions/{draft}/objectives/{objective}/edit/", "302 200 404 200 404 404 404"),
    ("/catalogue/versions/{draft}/objectives/{objective}/delete/", "302 200 404 200 404 404 404"),
    ("/catalogue/versions/{draft}/objectives/{objective}/move/", "302 405 404 405 404 404 404"),
    ("/catalogue/versions/{draft}/objectives/{objective}/competencies/", "302 200 404 200 404 404 404"),
    ("/catalogue/versions/{draft}/rules/", "302 200 404 200 404 404 404"),
    ("/catalogue/versions/{draft}/materials/", "302 200 404 200 404 404 404"),
    ("/catalogue/versions/{draft}/materials/{draft_material}/delete/", "302 200 404 200 404 404 404"),
    ("/catalogue/materials/{published_material}/download/", "302 200 200 200 200 200 200"),
    ("/catalogue/materials/{draft_material}/download/", "302 200 404 200 404 404 404"),
    ("/api/v1/courses/", "403 200 200 200 200 200 200"),
    ("/api/v1/courses/{draft_course}/", "403 200 404 200 404 404 404"),
    ("/api/v1/courses/{published_course}/", "403 200 200 200 200 200 200"),
    ("/api/v1/course-versions/", "403 200 200 200 200 200 200"),
    ("/api/v1/course-versions/{draft}/", "403 200 404 200 404 404 404"),
    ("/api/v1/course-versions/{published}/", "403 200 200 200 200 200 200"),
    ("/api/v1/course-versions/{draft}/publish/", "403 405 405 405 405 405 405"),
    ("/api/v1/course-versions/{published}/retire/", "403 405 405 405 405 405 405"),
    ("/api/v1/course-versions/{published}/derive/", "403 405 405 405 405 405 405"),
    ("/api/v1/course-versions/{draft}/parts/", "403 405 405 405 405 405 405"),
    ("/api/v1/course-versions/{draft}/modules/", "403 405 405 405 405 405 405"),
    ("/api/v1/course-versions/{draft}/rules/", "403 405 405 405 405 405 405"),
    ("/api/v1/delivery-parts/{part}/", "403 200 404 200 404 404 404"),
    ("/api/v1/course-modules/{module}/", "403 200 404 200 404 404 404"),
    ("/api/v1/course-modules/{module}/objectives/", "403 405 405 405 405 405 405"),
    ("/api/v1/learning-objectives/{objective}/", "403 200 404 200 404 404 404"),
]


@pytest.fixture(autouse=True)
def _read_downloads(monkeypatch):
    """Read file downloads to the end, as a browser does, so that the file is closed."""
    original = Client.get

    def get(self, *args, **kwargs):
        response = original(self, *args, **kwargs)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        return response

    monkeypatch.setattr(Client, "get", get)


@pytest.fixture
def matrix_objects(cast, framework):
    draft = build_version(cast.org_a, framework, code="draft")
    published = build_version(cast.org_a, framework, code="published", status="published")
    materials = {}
    for key, version in (("draft_material", draft), ("published_material", published)):
        material = Material(module=version.modules.first(), language="en", title="Handbook", size=4)
        material.file.save("handbook.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        materials[key] = material.pk
    module = draft.modules.first()
    return {
        "draft": draft.pk,
        "published": published.pk,
        "draft_course": draft.course_id,
        "published_course": published.course_id,
        "part": draft.parts.first().pk,
        "module": module.pk,
        "objective": module.objectives.first().pk,
        **materials,
    }


@pytest.mark.parametrize(("url", "role", "expected"), matrix_cases(MATRIX))
def test_permission_matrix(cast, matrix_objects, url, role, expected):
    check_matrix_case(cast, url, role, expected, **matrix_objects)
