"""Admin for the eligible-country list (reference data edited by programme staff) and read-only
views of requests and Actions (which change through their pages and services)."""

from django.contrib import admin

from capdev.actions.models import Action, EligibleCountry, Request
from capdev.core.admin import ReadOnlyAdmin, StaffAdmin


@admin.register(EligibleCountry)
class EligibleCountryAdmin(StaffAdmin):
    """Staff add countries to the eligible list here or on the requests' eligibility page."""

    list_display = ["country", "since", "note"]
    list_select_related = ["country"]
    search_fields = ["country__name", "country__code"]
    fields = ["country", "since", "note"]


@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "status", "received_on", "decided_on"]
    list_filter = ["status", "channel"]
    search_fields = ["reference", "title"]
    date_hierarchy = "received_on"


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["name", "type", "phase", "region", "start_date", "end_date"]
    list_filter = ["phase", "type", "region"]
    search_fields = ["name"]
    list_select_related = ["country"]
