"""Read-only admin views of lessons and tags (they change through their pages and services)."""

from django.contrib import admin

from capdev.core.admin import ReadOnlyAdmin
from capdev.knowledge.models import Lesson, Tag


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "language", "published", "created_at"]
    list_filter = ["kind", "published", "language"]
    search_fields = ["title"]


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    list_display = ["name", "key"]
    search_fields = ["name"]
