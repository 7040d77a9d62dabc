"""The centre edits the rule profile and the working-day calendar here; every change is audited."""

from django.contrib import admin

from kaowu.kernel.admin import AuditedAdmin
from kaowu.policy.models import ComplianceFlag, Rule, RuleProfile, WorkdayOverride, WorkdayYear


@admin.register(RuleProfile)
class RuleProfileAdmin(AuditedAdmin):
    list_display = ["name", "slug"]
    audit_fields = ["slug", "name", "description"]


@admin.register(Rule)
class RuleAdmin(AuditedAdmin):
    list_display = ["rule_id", "title", "kind", "unit", "params", "citation"]
    list_filter = ["profile", "kind"]
    search_fields = ["rule_id", "title", "citation"]
    audit_fields = ["rule_id", "title", "kind", "params", "unit", "citation", "message"]


@admin.register(WorkdayYear)
class WorkdayYearAdmin(AuditedAdmin):
    list_display = ["year", "complete", "source"]
    audit_fields = ["year", "source", "complete"]


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(AuditedAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    audit_fields = ["date", "is_workday", "note"]


@admin.register(ComplianceFlag)
class ComplianceFlagAdmin(admin.ModelAdmin):
    list_display = ["created_at", "org", "rule_id", "object_label", "message"]
    list_filter = ["rule_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
