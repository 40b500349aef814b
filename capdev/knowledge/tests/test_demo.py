"""The demo knowledge base: lessons linked to the named demo Actions, a few languages, drafts,
idempotent loading."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from capdev.demo.actions import load_actions
from capdev.demo.knowledge import LESSONS, load_knowledge
from capdev.demo.loader import load_demo
from capdev.knowledge.models import Lesson, Tag
from capdev.knowledge.search import search_lessons


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    """The demo programme with its named Actions and lessons, rolled back at the module's end."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(scale=0)
        load_actions(scale=1)
        yield load_knowledge()
        transaction.set_rollback(True)


def test_about_twenty_lessons_and_good_practices(demo, db):
    assert demo["lessons"] == len(LESSONS) >= 20
    assert Lesson.objects.filter(kind="good_practice").count() >= 6
    assert set(Lesson.objects.values_list("language", flat=True)) == {"en", "es", "fr", "pt"}
    assert Lesson.objects.filter(published=False).count() == 2


def test_lessons_are_linked_to_the_named_actions(demo, db):
    lesson = Lesson.objects.get(title="Pilot a standardised ToT before roll-out")
    assert set(lesson.actions.values_list("name", flat=True)) == {"Brazil III", "Costa Rica V"}
    assert lesson.activity_types == ["tot"]
    academy = Lesson.objects.get(demo_key="kb-diplomatic-academy")
    assert list(academy.actions.values_list("name", flat=True)) == ["El Salvador II"]
    assert Lesson.objects.filter(actions__name="Gran Chaco").distinct().count() >= 4
    assert academy.author.email == "staff@capdev.example"
    assert academy.created_at.year == 2021


def test_tags_are_shared_between_lessons(demo, db):
    tot = Tag.objects.get(key="tot")
    assert tot.lessons.count() >= 3
    assert Tag.objects.filter(key="tot").count() == 1


def test_demo_lessons_are_searchable(demo, db):
    found = list(search_lessons(Lesson.objects.published(), "diplomatic academy"))
    assert found[0].demo_key == "kb-diplomatic-academy"
    assert search_lessons(Lesson.objects.published(), "réplicas").first().language == "es"


def test_loading_twice_changes_nothing(demo, db):
    before = (Lesson.objects.count(), Tag.objects.count())
    load_knowledge()
    assert (Lesson.objects.count(), Tag.objects.count()) == before
