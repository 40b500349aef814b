"""copy_version_content: the deep copy adaptations and new versions are made from."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from capdev.catalogue.models import Course, CourseVersion, Material, ObjectiveCompetency
from capdev.catalogue.services import copy_version_content
from capdev.catalogue.tests.conftest import build_version
from capdev.core.errors import DomainError


def _empty_target(source: CourseVersion, number: int = 1) -> CourseVersion:
    """An empty draft in a course of its own (a course holds one draft at a time)."""
    course = Course.objects.create(code=f"target-{Course.objects.count()}", owner=source.course.owner)
    return CourseVersion.objects.create(
        course=course,
        number=number,
        title=source.title,
        mode=source.mode,
        framework_version=source.framework_version,
    )


def _shape(version: CourseVersion) -> list:
    out = []
    for part in version.parts.order_by("position"):
        out.append(("part", part.position, part.kind, part.days, part.gates_next, part.hours))
    for module in version.modules.order_by("position"):
        out.append(("module", module.position, module.title, module.part.position if module.part else None))
        for o in module.objectives.order_by("position"):
            out.append(("objective", o.position, o.text, o.is_core))
            for m in o.mappings.order_by("competency__code"):
                out.append(("mapping", m.competency_id, m.target_level_id))
        for mat in module.materials.all():
            out.append(("material", mat.language, mat.title, mat.url, mat.file.name))
    for r in version.rules.order_by("kind"):
        out.append(("rule", r.kind, r.threshold, r.level_id))
    return out


def test_copy_reproduces_the_whole_content_with_lineage(draft):
    target = _empty_target(draft)
    copy_version_content(draft, target)
    assert _shape(target) == _shape(draft)
    assert {m.lineage for m in target.modules.all()} == {m.lineage for m in draft.modules.all()}
    old = {o.lineage for o in draft.modules.all()[0].objectives.all()}
    assert old and old <= {o.lineage for m in target.modules.all() for o in m.objectives.all()}
    # new rows, not moved ones
    assert not set(target.modules.values_list("pk", flat=True)) & set(
        draft.modules.values_list("pk", flat=True)
    )
    assert draft.modules.count() == 2 and ObjectiveCompetency.objects.count() == 6


def test_copy_without_lineage_gives_new_lineages(draft):
    target = _empty_target(draft)
    copy_version_content(draft, target, keep_lineage=False)
    assert not {m.lineage for m in target.modules.all()} & {m.lineage for m in draft.modules.all()}
    src = {o.lineage for m in draft.modules.all() for o in m.objectives.all()}
    dst = {o.lineage for m in target.modules.all() for o in m.objectives.all()}
    assert len(dst) == 3 and not src & dst


def test_copied_material_points_at_the_same_stored_file(draft, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path
    module = draft.modules.get(position=1)
    material = Material(module=module, language="en", title="Handbook", size=4, content_type="text/plain")
    material.file.save("handbook.txt", ContentFile(b"text"), save=True)
    target = _empty_target(draft)
    copy_version_content(draft, target)
    copied = Material.objects.get(module__version=target, title="Handbook")
    assert copied.file.name == material.file.name and copied.size == 4


def test_copy_runs_a_constant_number_of_queries(cast, framework, django_assert_num_queries):
    small = build_version(cast.org_a, framework, code="small")
    big = build_version(cast.org_a, framework, code="big")
    # grow the big one: 20 more modules with objectives and mappings
    for i in range(20):
        module = big.modules.create(position=10 + i, title=f"Module {i}")
        for j in range(3):
            module.objectives.create(position=j, text=f"Objective {i}.{j}")
    counts = []
    for source in (small, big):
        target = _empty_target(source)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            copy_version_content(source, target)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] and counts[0] <= 20


def test_copy_refuses_a_published_target_and_a_non_empty_one(draft):
    target = _empty_target(draft)
    target.status = "published"
    target.save()
    with pytest.raises(DomainError, match="Published versions cannot be changed"):
        copy_version_content(draft, target)
    with pytest.raises(DomainError, match="already has content"):
        copy_version_content(draft, build_version(draft.course.owner, draft.framework_version, code="x"))


def test_copy_refuses_a_target_on_another_framework(draft, other_framework):
    target = _empty_target(draft)
    target.framework_version = other_framework
    target.save()
    with pytest.raises(DomainError) as info:
        copy_version_content(draft, target)
    assert info.value.field == "framework_version"
