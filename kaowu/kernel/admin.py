from django.contrib import admin
from django.db import transaction

from kaowu.kernel import audit
from kaowu.kernel.actors import Actor, client_ip
from kaowu.kernel.models import AuditEvent, Job


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows that change only through service functions (which write the audit event): the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the trail is appended by services and never edited."""

    list_display = ["chain", "seq", "at", "actor_label", "role", "party", "action", "object_label"]
    list_filter = ["action"]
    search_fields = ["object_label", "actor_label", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """For reference rows the centre keeps in the admin (no service function): every save and delete is audited."""

    audit_fields: list[str] = []

    def save_model(self, request, obj, form, change):
        actor = Actor.of(request.user, ip=client_ip(request))
        with transaction.atomic():
            before = audit.snapshot(type(obj).objects.get(pk=obj.pk), self.audit_fields) if change else {}
            super().save_model(request, obj, form, change)
            after = audit.snapshot(obj, self.audit_fields)
            label = obj._meta.model_name
            audit.record(
                actor,
                f"{obj._meta.app_label}.{label}.{'changed' if change else 'added'}",
                obj,
                changes=audit.changes_between(before, after),
            )

    def delete_model(self, request, obj):
        actor = Actor.of(request.user, ip=client_ip(request))
        with transaction.atomic():
            audit.record(
                actor,
                f"{obj._meta.app_label}.{obj._meta.model_name}.deleted",
                obj,
                changes=audit.changes_between(audit.snapshot(obj, self.audit_fields), {}),
            )
            super().delete_model(request, obj)


admin.site.register(
    Job, ReadOnlyAdmin, list_display=["kind", "key", "status", "done", "total", "created_at", "finished_at"]
)
