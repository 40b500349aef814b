from django.contrib import admin

from capdev.core.admin import StaffAdmin
from capdev.reference.models import Country, SpecificArea, ThematicArea


@admin.register(Country)
class CountryAdmin(StaffAdmin):
    list_display = ["code", "name", "alpha3", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name", "alpha3"]
    list_editable = ["region"]


class SpecificAreaInline(admin.TabularInline):
    model = SpecificArea
    extra = 0


@admin.register(ThematicArea)
class ThematicAreaAdmin(StaffAdmin):
    list_display = ["name", "code", "position"]
    inlines = [SpecificAreaInline]


@admin.register(SpecificArea)
class SpecificAreaAdmin(StaffAdmin):
    list_display = ["name", "code", "thematic_area"]
    list_filter = ["thematic_area"]
