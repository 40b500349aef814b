from django.contrib import admin

from capdev.core.admin import ReadOnlyAdmin
from capdev.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    """Read-only: organisations are edited on their own pages, through services."""

    list_display = ["name", "acronym", "type", "country", "region"]
    list_filter = ["type", "region"]
    search_fields = ["name", "acronym"]
    list_select_related = ["country"]
