"""The Django admin, for programme staff, for reference data and the audit trail (read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from capdev.core.models import AuditEvent
from capdev.core.permissions import can


def configure_admin_site(site: admin.AdminSite) -> None:
    site.site_header = _("capdev administration")
    site.site_title = _("capdev administration")
    site.index_title = _("Reference data and records")

    def has_permission(request: HttpRequest) -> bool:
        return bool(request.user.is_active and can(request.user, "core.admin"))

    site.has_permission = has_permission  # type: ignore[method-assign]


class StaffAdmin(admin.ModelAdmin):
    """Programme staff manage the model in the admin; changes go through the audit trail where the
    model has services (reference data has none: it is edited here)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can(request.user, "core.admin")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, "core.admin")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can(request.user, "core.admin")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, "core.admin")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from capdev.core import audit

        before = {k: form.initial.get(k) for k in form.changed_data} if change else {}
        super().save_model(request, obj, form, change)
        after = {k: form.cleaned_data.get(k) for k in form.changed_data}
        verb = f"{obj._meta.model_name}.{'updated' if change else 'created'}"
        audit.record(request.user, verb, obj, changes=audit.diff(before, after), data={"via": "admin"})


class ReadOnlyAdmin(StaffAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_repr", "verb", "object_repr"]
    list_filter = ["verb"]
    search_fields = ["object_repr", "actor_repr", "verb"]
    date_hierarchy = "at"
    list_select_related = ["content_type"]
