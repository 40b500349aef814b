"""Writing, editing, publishing and unpublishing lessons; free tags, normalised once."""

from __future__ import annotations

import pytest

from capdev.core.errors import DomainError
from capdev.core.models import AuditEvent
from capdev.knowledge import services
from capdev.knowledge.models import Lesson, Tag
from capdev.knowledge.services import LessonNotChanged, clean_tag, split_tags, tag_key
from capdev.knowledge.tests.conftest import make_lesson

pytestmark = pytest.mark.django_db


def test_tags_are_created_on_the_fly_normalised_and_deduplicated(cast):
    lesson = make_lesson(
        cast.staff, title="T", tags=["ToT", " tot ", "#ToT", "Online   course", "online course"]
    )
    assert sorted(t.name for t in lesson.tags.all()) == ["Online course", "ToT"]
    assert Tag.objects.count() == 2
    other = make_lesson(cast.staff, title="U", tags=["TOT", "ownership"])
    assert Tag.objects.count() == 3
    assert {t.name for t in other.tags.all()} == {"ToT", "ownership"}  # the first spelling stays
    assert other.search_tags == "ownership ToT"


def test_tag_helpers():
    assert clean_tag("  #Training   of  Trainers ") == "Training of Trainers"
    assert tag_key("Training of TRAINERS") == "training of trainers"
    assert split_tags("ToT, tot; ownership,, ") == ["ToT", "ownership"]
    assert len(clean_tag("x" * 100)) == 60


def test_too_many_tags_are_refused(cast):
    with pytest.raises(DomainError) as exc:
        make_lesson(cast.staff, title="T", tags=[f"tag {n}" for n in range(21)])
    assert exc.value.field == "tags"


def test_create_records_an_audit_event_with_the_links(cast, kb):
    event = AuditEvent.objects.for_object(kb.lesson).get(verb="lesson.created")
    assert event.actor == cast.staff
    assert event.changes["title"][1] == "Pilot a standardised ToT before roll-out"
    assert event.changes["tags"][1] == ["ToT", "ownership"]
    assert event.changes["actions"][1] == ["Brazil I", "Costa Rica I"]
    assert kb.lesson.author == cast.staff


def test_update_records_what_changed(cast, kb):
    services.update_lesson(
        kb.lesson, actor=cast.staff, title="Pilot first", tags=["ToT"], actions=[kb.action_a]
    )
    kb.lesson.refresh_from_db()
    assert kb.lesson.title == "Pilot first"
    event = AuditEvent.objects.for_object(kb.lesson).get(verb="lesson.updated")
    assert set(event.changes) == {"title", "tags", "actions"}
    assert event.changes["actions"] == [["Brazil I", "Costa Rica I"], ["Brazil I"]]


def test_an_update_that_changes_nothing_records_nothing(cast, kb):
    services.update_lesson(kb.lesson, actor=cast.staff, title=kb.lesson.title)
    assert not AuditEvent.objects.for_object(kb.lesson).filter(verb="lesson.updated").exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": "  "}, "title"),
        ({"body": ""}, "body"),
        ({"kind": "anecdote"}, "kind"),
        ({"language": "xx"}, "language"),
        ({"activity_types": ["tot", "picnic"]}, "activity_types"),
    ],
)
def test_invalid_lessons_are_refused_with_the_field_named(cast, values, field):
    data = {"kind": "lesson", "title": "T", "body": "B", **values}
    with pytest.raises(DomainError) as exc:
        services.create_lesson(actor=cast.staff, **data)
    assert exc.value.field == field
    assert not Lesson.objects.exists()


def test_unknown_fields_are_refused(cast):
    with pytest.raises(DomainError):
        services.create_lesson(actor=cast.staff, kind="lesson", title="T", body="B", colour="red")


def test_publish_and_unpublish(cast, kb):
    services.publish_lesson(kb.draft, actor=cast.staff)
    kb.draft.refresh_from_db()
    assert kb.draft.published
    with pytest.raises(LessonNotChanged) as exc:
        services.publish_lesson(kb.draft, actor=cast.staff)
    assert exc.value.status == 409
    services.unpublish_lesson(kb.draft, actor=cast.staff, reason="Figures to check")
    kb.draft.refresh_from_db()
    assert not kb.draft.published
    with pytest.raises(LessonNotChanged):
        services.unpublish_lesson(kb.draft, actor=cast.staff)
    verbs = list(AuditEvent.objects.for_object(kb.draft).order_by("id").values_list("verb", flat=True))
    assert verbs == ["lesson.created", "lesson.published", "lesson.unpublished"]
    assert AuditEvent.objects.for_object(kb.draft).get(verb="lesson.unpublished").data == {
        "reason": "Figures to check"
    }


def test_update_never_changes_publication(cast, kb):
    services.update_lesson(kb.draft, actor=cast.staff, published=True, title="Still a draft")
    kb.draft.refresh_from_db()
    assert not kb.draft.published


def test_activity_types_are_stored_once_in_the_catalogue_order(cast):
    lesson = make_lesson(cast.staff, title="T", activity_types=["tot", "tna", "tot"])
    assert lesson.activity_types == ["tna", "tot"]
    assert lesson.activity_type_labels == ["Training needs assessment", "Training of Trainers"]
