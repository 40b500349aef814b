from django.contrib import admin

from capdev.accounts.models import Membership, User
from capdev.core.admin import ReadOnlyAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    readonly_fields = ["organisation", "role", "active"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["email", "display_name", "is_active", "last_login"]
    search_fields = ["email", "display_name"]
    exclude = ["password", "user_permissions", "groups"]
    inlines = [MembershipInline]
