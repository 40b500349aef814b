"""Lesson and tag serialisers. A lesson's Actions are listed only when the reader may see them
(`visible_action_ids` in the context, computed once per page)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from capdev.actions.models import Action, ActivityType
from capdev.knowledge.filters import LANGUAGE_CHOICES
from capdev.knowledge.models import Lesson, LessonKind, Tag
from capdev.reference.models import Country, ThematicArea


class TagNamesField(serializers.ListField):
    """Tags as a list of names; new names create tags (services.get_or_create_tags)."""

    child = serializers.CharField(max_length=60)

    def to_representation(self, data: Any) -> list[str]:
        if hasattr(data, "all"):
            return [t.name for t in sorted(data.all(), key=lambda t: t.key)]
        return list(data)


class LessonSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:lesson-detail")
    kind = serializers.ChoiceField(choices=LessonKind.choices)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, default="en")
    actions = serializers.PrimaryKeyRelatedField(many=True, queryset=Action.objects.all(), required=False)
    thematic_areas = serializers.SlugRelatedField(
        many=True, slug_field="code", queryset=ThematicArea.objects.all(), required=False
    )
    countries = serializers.PrimaryKeyRelatedField(many=True, queryset=Country.objects.all(), required=False)
    activity_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ActivityType.choices), required=False
    )
    tags = TagNamesField(required=False)
    rank = serializers.SerializerMethodField()
    snippet = serializers.SerializerMethodField()

    class Meta:
        model = Lesson
        fields = [
            "id",
            "url",
            "kind",
            "title",
            "summary",
            "body",
            "language",
            "actions",
            "thematic_areas",
            "countries",
            "activity_types",
            "tags",
            "published",
            "rank",
            "snippet",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["published", "created_at", "updated_at"]

    def to_representation(self, instance: Lesson) -> dict[str, Any]:
        links = getattr(instance, "api_links", None)
        if links is not None:
            return self._listed(instance, *links)
        data = super().to_representation(instance)
        shown = self.context.get("visible_action_ids")
        if shown is not None:
            data["actions"] = [pk for pk in data["actions"] if pk in shown]
        return data

    def _listed(
        self, lesson: Lesson, actions: list[int], areas: list[str], countries: list[str], tags: list[str]
    ) -> dict[str, Any]:
        """A lesson of a list page, whose links `querysets.add_api_links` has read (visible
        Actions only): the same representation as the fields give (a test compares them),
        written out because going through seventeen fields for each of 50 rows cost more than
        the search's database work."""
        fields = self.fields
        return {
            "id": lesson.pk,
            "url": fields["url"].to_representation(lesson),
            "kind": lesson.kind,
            "title": lesson.title,
            "summary": lesson.summary,
            "body": lesson.body,
            "language": lesson.language,
            "actions": actions,
            "thematic_areas": areas,
            "countries": countries,
            "activity_types": list(lesson.activity_types or []),
            "tags": tags,
            "published": lesson.published,
            "rank": self.get_rank(lesson),
            "snippet": self.get_snippet(lesson),
            "created_at": fields["created_at"].to_representation(lesson.created_at),
            "updated_at": fields["updated_at"].to_representation(lesson.updated_at),
        }

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_rank(self, obj: Lesson) -> float | None:
        rank = getattr(obj, "rank", None)
        return round(float(rank), 6) if rank is not None else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_snippet(self, obj: Lesson) -> str | None:
        """The text around the matches, as HTML: escaped, matches in <mark>."""
        snippet = getattr(obj, "snippet_html", None)
        return str(snippet) if snippet is not None else None


class TagSerializer(serializers.ModelSerializer):
    lessons = serializers.IntegerField(read_only=True, source="lesson_count")

    class Meta:
        model = Tag
        fields = ["id", "name", "lessons"]
