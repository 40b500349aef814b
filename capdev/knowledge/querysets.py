"""Reads and scoping for lessons and tags.

Who sees what: programme staff see every lesson, drafts included; everyone else who is logged in
(steering-committee members, partner focal points, experts, participants) sees published lessons
only. A lesson linked to an Action the reader cannot see is still shown, but that Action is not:
`visible_action_ids` gives the links a page may render.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import connection, models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _t

from capdev.core.roles import roles_of

if TYPE_CHECKING:
    from capdev.knowledge.models import Lesson, Tag  # noqa: F401


class LessonQuerySet(models.QuerySet["Lesson"]):
    def visible_to(self, user: Any) -> LessonQuerySet:
        """Staff see every lesson; everyone else logged in sees published lessons."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles_of(user).is_staff:
            return self.all()
        return self.published()

    def published(self) -> LessonQuerySet:
        return self.filter(published=True)

    def drafts(self) -> LessonQuerySet:
        return self.filter(published=False)

    def with_activity_type(self, code: str) -> LessonQuerySet:
        """Lessons whose activity types include `code` (a JSON list of ActivityType values)."""
        if connection.vendor == "postgresql":
            return self.filter(activity_types__contains=[code])
        # SQLite has no JSON containment; the stored JSON text holds each code in quotes
        # (codes are slugs, so the quoted code cannot match inside another one).
        return self.filter(activity_types__icontains=f'"{code}"')

    def for_action(self, action: Any) -> LessonQuerySet:
        from capdev.knowledge.models import Lesson

        action_id = getattr(action, "pk", action)
        return self.filter(
            pk__in=Lesson.actions.through.objects.filter(action_id=action_id).values("lesson_id")
        )


class TagQuerySet(models.QuerySet["Tag"]):
    def visible_to(self, user: Any) -> TagQuerySet:
        """Staff see every tag; others the tags of published lessons (a draft's tags may say
        what it is about)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles_of(user).is_staff:
            return self.all()
        from capdev.knowledge.models import Lesson

        # EXISTS per tag (an index probe each) rather than IN over every published lesson's tags.
        used = Lesson.tags.through.objects.filter(tag_id=OuterRef("pk"), lesson__published=True)
        return self.filter(Exists(used))


def visible_action_ids(user: Any, lessons: Iterable[Lesson]) -> set[int]:
    """The ids, among the Actions linked to `lessons`, of those `user` may see (one query).

    Pages and the API render a lesson's link to an Action only when its id is in this set, so
    that a partner never learns of an Action outside their scope through a lesson."""
    lesson_ids = [lesson.pk for lesson in lessons]
    if not lesson_ids or not getattr(user, "is_authenticated", False):
        return set()
    return {action_id for _lesson_id, action_id, _name in _visible_action_links(lesson_ids, user)}


def add_card_links(lessons: list[Lesson], user: Any) -> None:
    """Set what a lesson card shows besides the lesson itself, for one page of the list:
    `card_areas` (thematic area names), `card_countries` (country names), `card_tags` (tag
    names) in the order of their models, and `shown_actions` (the linked Actions `user` may see,
    by name; see `visible_action_ids`).

    Two queries, reading only names through the link tables (`_link_names`, then the Actions): a
    page of 25 cards builds no related model rows (prefetching them cost more than the search
    itself)."""
    from capdev.actions.models import Action
    from capdev.reference.models import Country, country_choices

    ids = [lesson.pk for lesson in lessons]
    areas: dict[int, list[str]] = {pk: [] for pk in ids}
    countries: dict[int, list[str]] = {pk: [] for pk in ids}
    tags: dict[int, list[str]] = {pk: [] for pk in ids}
    actions: dict[int, list[Action]] = {pk: [] for pk in ids}
    if ids:
        labels = dict(country_choices())
        for kind, lesson_id, name, code, iso_name in _link_names(ids):
            if kind == 0:
                areas[lesson_id].append(_t(name))
            elif kind == 1:
                label = labels.get(code) or Country(code=code, name=name, iso_name=iso_name).label
                countries[lesson_id].append(label)
            else:
                tags[lesson_id].append(name)
        for lesson_id, action_id, name in _visible_action_links(ids, user, "action__name"):
            actions[lesson_id].append(Action(pk=action_id, name=name))
    for lesson in lessons:
        lesson.card_areas = areas[lesson.pk]  # type: ignore[attr-defined]
        lesson.card_countries = countries[lesson.pk]  # type: ignore[attr-defined]
        lesson.card_tags = tags[lesson.pk]  # type: ignore[attr-defined]
        lesson.shown_actions = actions[lesson.pk]  # type: ignore[attr-defined]


def add_api_links(lessons: list[Lesson], user: Any) -> None:
    """Set what the API shows of a lesson's links, for one page: `api_links` = (visible Action
    ids, thematic area codes, country codes, tag names), each in the order of its model. Two
    queries whatever the page size (`_link_names`, then the Actions `user` may see: the rule of
    `visible_action_ids`); prefetching the four relations built four sets of model rows per page
    and cost as much as the search."""
    ids = [lesson.pk for lesson in lessons]
    actions: dict[int, list[int]] = {pk: [] for pk in ids}
    names: dict[int, tuple[list[str], list[str], list[str]]] = {pk: ([], [], []) for pk in ids}
    if ids:
        for kind, lesson_id, name, code, _iso_name in _link_names(ids):
            names[lesson_id][kind].append(name if kind == 2 else code)
        # In the Actions' own order (latest start first), as the detail always showed them.
        for lesson_id, action_id, _name in _visible_action_links(
            ids, user, "-action__start_date", "action__name"
        ):
            actions[lesson_id].append(action_id)
    for lesson in lessons:
        lesson.api_links = (actions[lesson.pk], *names[lesson.pk])  # type: ignore[attr-defined]


def _visible_action_links(ids: list[int], user: Any, *order: str) -> list[tuple[int, int, str]]:
    """(lesson id, Action id, Action name) of the links from the lessons `ids` to the Actions
    `user` may see (the rule of `visible_action_ids`, in one query), in `order` then by id."""
    from capdev.actions.models import Action
    from capdev.knowledge.models import Lesson

    visible = Action.objects.visible_to(user).values("pk")
    return list(
        Lesson.actions.through.objects.filter(lesson_id__in=ids, action_id__in=visible)
        .order_by(*order, "action_id")
        .values_list("lesson_id", "action_id", "action__name")
    )


def _link_names(ids: list[int]) -> list[tuple[int, int, str, str, str]]:
    """(kind, lesson id, name, code, country ISO name) of the thematic areas (kind 0),
    countries (1) and tags (2) of the lessons `ids`, each kind in the order of its model
    (areas by position and name, countries by name, tags by key): one query, written as SQL
    because composing three ORM queries cost more than running them."""
    from capdev.knowledge.models import Lesson, Tag
    from capdev.reference.models import Country, ThematicArea

    def table(model: Any) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    areas_link = table(Lesson.thematic_areas.through)
    countries_link = table(Lesson.countries.through)
    tags_link = table(Lesson.tags.through)
    marks = ", ".join(["%s"] * len(ids))
    sql = f"""
        SELECT 0, l.lesson_id, a.name, a.code, '', a.position, a.name, a.id, ''
          FROM {areas_link} l JOIN {table(ThematicArea)} a ON a.id = l.thematicarea_id
         WHERE l.lesson_id IN ({marks})
        UNION ALL
        SELECT 1, l.lesson_id, c.name, c.code, c.iso_name, 0, c.name, 0, c.code
          FROM {countries_link} l JOIN {table(Country)} c ON c.code = l.country_id
         WHERE l.lesson_id IN ({marks})
        UNION ALL
        SELECT 2, l.lesson_id, t.name, '', '', 0, t.key, t.id, ''
          FROM {tags_link} l JOIN {table(Tag)} t ON t.id = l.tag_id
         WHERE l.lesson_id IN ({marks})
        ORDER BY 1, 6, 7, 8, 9
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *ids, *ids])
        return [(row[0], row[1], row[2], row[3], row[4]) for row in cursor.fetchall()]
