from django.contrib import admin

from kaowu.plans.models import AnnualPlan, BatchPlan, ChangeRequest, Notice


class ReadOnlyAdmin(admin.ModelAdmin):
    """Plans change only through their service functions (screens and API); the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(BatchPlan, ReadOnlyAdmin, list_display=["name", "org", "status", "first_date"])
admin.site.register(AnnualPlan, ReadOnlyAdmin, list_display=["org", "year", "status", "late"])
admin.site.register(Notice, ReadOnlyAdmin, list_display=["title", "org", "kind", "status"])
admin.site.register(ChangeRequest, ReadOnlyAdmin, list_display=["plan", "session", "status", "submitted_at"])
