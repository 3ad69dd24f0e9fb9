from django.contrib import admin

from gandan.core.models import Event, Job


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The event log is read-only: it is the audit trail."""

    list_display = ["occurred_at", "kind", "subject_type", "subject_id", "actor", "province_code"]
    list_filter = ["kind", "subject_type"]
    search_fields = ["subject_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Jobs are written by their tasks; the admin only reads them (start one from its screen)."""

    list_display = ["id", "label", "status", "done", "total", "created_by", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["label", "task_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
