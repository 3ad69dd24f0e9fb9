from django.contrib import admin

from gandan.geo.models import Hamlet, Lineage, OfficeHours, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "type", "province_code", "valid_from", "valid_to"]
    list_filter = ["level", "type", "valid_to"]
    search_fields = ["code", "search_name"]
    raw_id_fields = ["parent"]


@admin.register(Lineage)
class LineageAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "kind", "is_primary", "effective_date"]
    list_filter = ["kind", "effective_date"]
    raw_id_fields = ["predecessor", "successor"]


@admin.register(Hamlet)
class HamletAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "valid_from", "valid_to", "archived_at"]
    list_filter = ["kind", "province_code"]
    search_fields = ["search_name"]
    raw_id_fields = ["commune", "previous", "created_by", "updated_by"]


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    list_display = [
        "unit",
        "morning_opens",
        "morning_closes",
        "afternoon_opens",
        "afternoon_closes",
        "valid_from",
    ]
    raw_id_fields = ["unit"]
