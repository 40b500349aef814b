"""Writes on lessons learnt, good practices and tags: create, edit, publish, unpublish.

Every write runs in a transaction and records an audit event. Tags are free text: each name is
normalised (spaces collapsed, a leading "#" dropped) and looked up by its case-folded key, so
that "ToT", "tot" and "#ToT" become one tag, created on first use.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from capdev.actions.models import ActivityType
from capdev.core import audit
from capdev.core.errors import DomainError
from capdev.knowledge.models import Lesson, LessonKind, Tag

FIELDS = ["kind", "title", "summary", "body", "language"]
RELATIONS = ["actions", "thematic_areas", "countries"]
LANGUAGES = ["en", "fr", "es", "pt", "ar", "ru"]
MAX_TAGS = 20
TAG_LENGTH = 60


class LessonNotChanged(DomainError):
    """Publishing a published lesson, or unpublishing a draft."""

    status = 409


def clean_tag(name: str) -> str:
    """The tag as displayed: NFKC-normalised, spaces collapsed, no leading '#', at most 60
    characters."""
    name = " ".join(unicodedata.normalize("NFKC", name or "").split()).lstrip("#").strip()
    return name[:TAG_LENGTH].strip()


def tag_key(name: str) -> str:
    """The tag's identity: its clean name, case-folded."""
    return clean_tag(name).casefold()


def split_tags(text: str) -> list[str]:
    """Tag names from a comma- or semicolon-separated text, without duplicates (first spelling
    kept)."""
    seen: dict[str, str] = {}
    for part in (text or "").replace(";", ",").split(","):
        name = clean_tag(part)
        if name and tag_key(name) not in seen:
            seen[tag_key(name)] = name
    return list(seen.values())


def get_or_create_tags(names: Iterable[str]) -> list[Tag]:
    """The tags for `names`, created when new; duplicates (by key) collapse to one."""
    wanted: dict[str, str] = {}
    for raw in names:
        name = clean_tag(raw)
        if name:
            wanted.setdefault(tag_key(name), name)
    if len(wanted) > MAX_TAGS:
        raise DomainError(_("A lesson takes at most %(n)d tags.") % {"n": MAX_TAGS}, field="tags")
    existing = {t.key: t for t in Tag.objects.filter(key__in=wanted)}
    out = []
    for key, name in wanted.items():
        tag = existing.get(key)
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(key=key, name=name)
            except IntegrityError:  # created meanwhile by someone else
                tag = Tag.objects.get(key=key)
        out.append(tag)
    return out


def _set_tags(lesson: Lesson, names: Iterable[str]) -> None:
    tags = get_or_create_tags(names)
    lesson.tags.set(tags)
    search_tags = " ".join(t.name for t in sorted(tags, key=lambda t: t.key))
    if lesson.search_tags != search_tags:
        lesson.search_tags = search_tags
        lesson.save(update_fields=["search_tags"])  # the full-text index follows (trigger / generated)


def _validate(lesson: Lesson) -> None:
    if lesson.kind not in LessonKind.values:
        raise DomainError(_("Choose whether this is a lesson learnt or a good practice."), field="kind")
    if not (lesson.title or "").strip():
        raise DomainError(_("Give the lesson a title."), field="title")
    if not (lesson.body or "").strip():
        raise DomainError(_("Write the lesson's text."), field="body")
    if lesson.language not in LANGUAGES:
        raise DomainError(_("Choose the language the lesson is written in."), field="language")
    unknown = [t for t in lesson.activity_types or [] if t not in ActivityType.values]
    if unknown:
        raise DomainError(
            _("Unknown activity types: %(types)s") % {"types": ", ".join(map(str, unknown))},
            field="activity_types",
        )


def _snapshot(lesson: Lesson) -> dict[str, Any]:
    values = audit.snapshot(lesson, [*FIELDS, "activity_types", "published"])
    if lesson.pk:
        values["actions"] = sorted(str(a) for a in lesson.actions.all())
        values["thematic_areas"] = sorted(t.code for t in lesson.thematic_areas.all())
        values["countries"] = sorted(c.code for c in lesson.countries.all())
        values["tags"] = sorted(t.name for t in lesson.tags.all())
    return values


def _apply(lesson: Lesson, values: dict[str, Any]) -> tuple[dict[str, Any], list[str] | None]:
    """Set plain fields on `lesson`; return the relations and tags to set after saving."""
    relations: dict[str, Any] = {}
    tags = None
    for name, value in values.items():
        if name in FIELDS:
            setattr(lesson, name, value.strip() if isinstance(value, str) else value)
        elif name == "activity_types":
            order = {code: i for i, code in enumerate(ActivityType.values)}
            lesson.activity_types = sorted(set(value or []), key=lambda t: order.get(t, len(order)))
        elif name in RELATIONS:
            relations[name] = list(value or [])
        elif name == "tags":
            tags = split_tags(value) if isinstance(value, str) else [str(v) for v in value or []]
        else:
            raise DomainError(_("Unknown field %(f)s") % {"f": name})
    return relations, tags


@transaction.atomic
def create_lesson(*, actor: Any, published: bool = False, **values: Any) -> Lesson:
    """Write a lesson (a draft unless `published`), with its links and tags."""
    lesson = Lesson(author=actor if getattr(actor, "is_authenticated", False) else None, published=published)
    lesson.kind = values.pop("kind", LessonKind.LESSON)
    lesson.language = values.pop("language", "en") or "en"
    relations, tags = _apply(lesson, values)
    _validate(lesson)
    lesson.save()
    for name, objs in relations.items():
        getattr(lesson, name).set(objs)
    if tags is not None:
        _set_tags(lesson, tags)
    audit.record(actor, "lesson.created", lesson, changes=audit.diff({}, _snapshot(lesson)))
    return lesson


@transaction.atomic
def update_lesson(lesson: Lesson, *, actor: Any, **values: Any) -> Lesson:
    """Change a lesson's text, links or tags; records what changed."""
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    before = _snapshot(lesson)
    values.pop("published", None)  # publication has its own services
    relations, tags = _apply(lesson, values)
    _validate(lesson)
    lesson.save()
    for name, objs in relations.items():
        getattr(lesson, name).set(objs)
    if tags is not None:
        _set_tags(lesson, tags)
    changes = audit.diff(before, _snapshot(lesson))
    if changes:
        audit.record(actor, "lesson.updated", lesson, changes=changes)
    return lesson


@transaction.atomic
def publish_lesson(lesson: Lesson, *, actor: Any) -> Lesson:
    """Make a draft readable by everyone logged in."""
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if lesson.published:
        raise LessonNotChanged(_("This lesson is already published."), code="already_published")
    _validate(lesson)
    lesson.published = True
    lesson.save(update_fields=["published", "updated_at"])
    audit.record(actor, "lesson.published", lesson, changes={"published": [False, True]})
    return lesson


@transaction.atomic
def unpublish_lesson(lesson: Lesson, *, actor: Any, reason: str = "") -> Lesson:
    """Take a lesson back to draft: only staff see it until it is published again."""
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if not lesson.published:
        raise LessonNotChanged(_("This lesson is not published."), code="not_published")
    lesson.published = False
    lesson.save(update_fields=["published", "updated_at"])
    audit.record(
        actor,
        "lesson.unpublished",
        lesson,
        changes={"published": [True, False]},
        data={"reason": reason} if reason else None,
    )
    return lesson
