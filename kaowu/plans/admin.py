from django.contrib import admin

from kaowu.kernel.admin import ReadOnlyAdmin
from kaowu.plans.models import AnnualPlan, BatchPlan, ChangeRequest, Notice, PlanMilestone, StopLift

admin.site.register(BatchPlan, ReadOnlyAdmin, list_display=["name", "org", "status", "first_date"])
admin.site.register(AnnualPlan, ReadOnlyAdmin, list_display=["org", "year", "status", "late"])
admin.site.register(Notice, ReadOnlyAdmin, list_display=["title", "org", "kind", "status"])
admin.site.register(ChangeRequest, ReadOnlyAdmin, list_display=["plan", "session", "status", "submitted_at"])
admin.site.register(PlanMilestone, ReadOnlyAdmin, list_display=["plan", "key", "done_at", "done_by"])
admin.site.register(StopLift, ReadOnlyAdmin, list_display=["plan", "step", "until", "decided_by", "decided_at"])
