from django.contrib import admin

from kaowu.kernel.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is appended by services and never edited."""

    list_display = ["seq", "at", "actor_label", "role", "party", "action", "object_label"]
    list_filter = ["action"]
    search_fields = ["object_label", "actor_label", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
