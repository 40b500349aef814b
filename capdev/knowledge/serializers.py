"""Lesson and tag serialisers. A lesson's Actions are listed only when the reader may see them
(`querysets.add_api_links`, read once per page)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from capdev.actions.models import Action, ActivityType
from capdev.knowledge.filters import LANGUAGE_CHOICES
from capdev.knowledge.models import Lesson, LessonKind, Tag
from capdev.knowledge.querysets import add_api_links
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
        """The lesson with its links as `querysets.add_api_links` reads them: the Actions the
        reader may see, areas, countries and tags in their models' order. A list page reads the
        links of all its rows at once; a single lesson (detail, create, update, publish) reads
        its own here. Written out rather than through the fields: going through seventeen
        fields for each of 50 rows cost more than the search's database work."""
        links = getattr(instance, "api_links", None)
        if links is None:
            request = self.context.get("request")
            add_api_links([instance], getattr(request, "user", None))
            links = instance.api_links  # type: ignore[attr-defined]
        actions, areas, countries, tags = links
        fields = self.fields
        return {
            "id": instance.pk,
            "url": fields["url"].to_representation(instance),
            "kind": instance.kind,
            "title": instance.title,
            "summary": instance.summary,
            "body": instance.body,
            "language": instance.language,
            "actions": actions,
            "thematic_areas": areas,
            "countries": countries,
            "activity_types": list(instance.activity_types or []),
            "tags": tags,
            "published": instance.published,
            "rank": self.get_rank(instance),
            "snippet": self.get_snippet(instance),
            "created_at": fields["created_at"].to_representation(instance.created_at),
            "updated_at": fields["updated_at"].to_representation(instance.updated_at),
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
