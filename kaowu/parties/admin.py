from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from kaowu.kernel.admin import AuditedAdmin, ReadOnlyAdmin
from kaowu.parties.models import Centre, District, EvaluationOrg, FeeItem, FiledScope, Rulebook, Site, User


@admin.register(User)
class KaowuUserAdmin(UserAdmin):
    list_display = ["username", "display_name", "role", "org", "district", "is_active"]
    list_filter = ["role", "org", "district"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("所属单位与角色", {"fields": ["display_name", "role", "org", "district", "phone"]}),
    ]


admin.site.register(Centre)
admin.site.register(District, list_display=["code", "name"])


@admin.register(EvaluationOrg)
class EvaluationOrgAdmin(AuditedAdmin):
    """The centre files organisations here (no screen yet); every change is audited."""

    list_display = ["code", "full_name", "short_name", "kind", "district"]
    audit_fields = ["code", "full_name", "short_name", "kind", "district", "serial", "head_name", "address"]


@admin.register(FiledScope)
class FiledScopeAdmin(AuditedAdmin):
    """The centre records each organisation's filed scope (备案范围) here; every change is audited."""

    list_display = ["org", "occupation", "level", "filed_on", "reference"]
    audit_fields = ["org", "occupation", "level", "filed_on", "reference"]


admin.site.register(Site, ReadOnlyAdmin, list_display=["org", "name", "district", "status"], list_filter=["status"])
admin.site.register(Rulebook, ReadOnlyAdmin, list_display=["org", "kind", "title", "published_at"])


admin.site.register(FeeItem, ReadOnlyAdmin, list_display=["org", "occupation", "level", "subject", "amount_yuan"])
