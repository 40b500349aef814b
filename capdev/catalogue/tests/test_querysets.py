"""Who sees which courses and versions."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from capdev.catalogue.models import Course, CourseVersion
from capdev.catalogue.tests.conftest import build_version


def test_published_returns_only_versions_on_offer(draft, published):
    retired = build_version(draft.course.owner, None, code="old", status="retired")
    assert set(CourseVersion.objects.published()) == {published}
    assert set(CourseVersion.objects.released()) == {published, retired}


def test_released_versions_are_visible_to_every_logged_in_user(cast, draft, published):
    for who in ("staff", "steering", "focal", "trainer", "participant", "outsider"):
        user = getattr(cast, who)
        assert published in CourseVersion.objects.visible_to(user), who
        assert published.course in Course.objects.visible_to(user), who
    assert not CourseVersion.objects.visible_to(AnonymousUser()).exists()
    assert not Course.objects.visible_to(AnonymousUser()).exists()


def test_drafts_are_visible_to_staff_and_the_owners_focal_points_only(cast, draft):
    # draft is owned by org A (the focal point's organisation)
    for who, sees in [
        ("staff", True),
        ("focal", True),
        ("steering", False),
        ("trainer", False),
        ("participant", False),
        ("outsider", False),
    ]:
        user = getattr(cast, who)
        assert (draft in CourseVersion.objects.visible_to(user)) is sees, who
        assert (draft.course in Course.objects.visible_to(user)) is sees, who


def test_a_course_with_a_published_version_shows_its_draft_only_to_the_owner(cast, published):
    nxt = CourseVersion.objects.create(course=published.course, number=2, title="v2", mode="online")
    assert nxt not in CourseVersion.objects.visible_to(cast.outsider)
    assert nxt in CourseVersion.objects.visible_to(cast.focal)
    assert published.course in Course.objects.visible_to(cast.outsider)


def test_current_version_prefers_the_published_one(published):
    CourseVersion.objects.create(course=published.course, number=2, title="v2", mode="online")
    course = Course.objects.with_current_version().get(pk=published.course.pk)
    assert course.current_version_id == published.pk
