"""htmx fragments of the plan forms: the <option>s of work types and of allowed methods."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kaowu.catalog.enums import Method, Subject
from kaowu.catalog.models import WorkType
from kaowu.kernel.views import actor_of
from kaowu.plans.views.common import allowed_methods, plan_or_404


@login_required
@require_GET
def work_type_options(request):
    """<option>s of the work types of one occupation, for the plan form."""
    occupation = request.GET.get("occupation") or None
    work_types = WorkType.objects.filter(occupation_id=occupation) if occupation and occupation.isdigit() else []
    return render(
        request, "plans/_options.html", {"options": [(w.pk, w.name) for w in work_types], "empty": "（不分工种）"}
    )


@login_required
@require_GET
def method_options(request, pk: int):
    """<option>s of the methods the standard allows for one subject of this plan (PLAN-8)."""
    plan = plan_or_404(actor_of(request), pk)
    subject = request.GET.get("subject", "")
    methods = allowed_methods(plan, subject if subject in Subject.values else None)
    return render(request, "plans/_options.html", {"options": [(m, Method(m).label) for m in methods]})
