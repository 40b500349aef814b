"""Permission rules for the knowledge base (registered with capdev.core.permissions.rule).

Visibility (404) is decided by `Lesson.objects.visible_to`: drafts exist only for staff.
"""

from __future__ import annotations

from typing import Any

from capdev.core.permissions import rule
from capdev.core.roles import RoleSet


@rule("knowledge.list")
def list_lessons(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Everyone logged in reads the knowledge base (published lessons; staff also drafts)."""
    return True


@rule("knowledge.view")
def view_lesson(user: Any, roles: RoleSet, obj: Any) -> bool:
    return True  # visibility (404) is decided by Lesson.objects.visible_to


@rule("knowledge.add")
def add_lesson(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Programme staff write lessons learnt and good practices."""
    return roles.is_staff


@rule("knowledge.change")
def change_lesson(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Programme staff edit, publish and unpublish lessons."""
    return roles.is_staff
