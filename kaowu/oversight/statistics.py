"""Statistics for the district and the centre (SUP-3, BJ Art.4(一)): candidates, pass rates, batches, overdue
steps and complaints, per organisation, occupation, level and month, filtered; the same numbers for the screen,
the charts and the XLSX export.

The query count does not depend on the data: one aggregate of the applications per (plan, level), rolled up
in Python for every grouping; one read of the plans in scope with
their milestones and sessions (prefetched) for the overdue steps, one for complaints. Candidates are approved
applications; the pass rate is 合格 over results recorded; the passed count agrees with the rosters (one roster
row per certificate of a pass)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.query import Prefetch

from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.tenancy import for_actor
from kaowu.oversight.enums import ComplaintStatus
from kaowu.oversight.models import Complaint
from kaowu.plans import milestones
from kaowu.plans.models import BatchPlan, Session
from kaowu.registration.enums import ApplicationStatus
from kaowu.registration.models import Application
from kaowu.results.enums import Outcome

GROUPS = {"org": "机构", "occupation": "职业", "level": "等级", "month": "月份"}
LEVELS = {5: "五级", 4: "四级", 3: "三级", 2: "二级", 1: "一级"}


@dataclass(frozen=True)
class Filters:
    district: int | None = None
    org: int | None = None
    occupation: str = ""
    level: int | None = None
    month_from: dt.date | None = None
    month_to: dt.date | None = None  # first day of the last month included

    @classmethod
    def parse(cls, params) -> Filters:
        def month(value: str) -> dt.date | None:
            if not value:
                return None
            try:
                return dt.datetime.strptime(value, "%Y-%m").date()
            except ValueError:
                raise KaowuError("月份格式应为YYYY-MM，例如2026-11。", code="bad_month", field="month") from None

        def number(value: str) -> int | None:
            return int(value) if (value or "").isdigit() else None

        return cls(
            district=number(params.get("district", "")),
            org=number(params.get("org", "")),
            occupation=(params.get("occupation") or "").strip(),
            level=number(params.get("level", "")),
            month_from=month(params.get("from", "")),
            month_to=month(params.get("to", "")),
        )


def plans_in_scope(actor: Actor, filters: Filters):
    plans = for_actor(BatchPlan, actor)
    if filters.district:
        plans = plans.filter(org__district_id=filters.district)
    if filters.org:
        plans = plans.filter(org_id=filters.org)
    if filters.occupation:
        plans = plans.filter(occupation__code=filters.occupation)
    if filters.month_from:
        plans = plans.filter(first_date__gte=filters.month_from)
    if filters.month_to:
        nxt = (filters.month_to.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        plans = plans.filter(first_date__lt=nxt)
    return plans


def _rollup(cells: list[dict], plans: dict, group: str) -> list[dict]:
    """Sum the (plan, level) cells into one row per organisation, occupation, level or month."""

    def key_of(cell):
        plan = plans[cell["plan_id"]]
        if group == "org":
            return plan.org.short_name
        if group == "occupation":
            return plan.occupation.name
        if group == "level":
            return cell["level"]
        return plan.first_date.strftime("%Y-%m") if plan.first_date else "未定"

    rows: dict = {}
    for cell in cells:
        row = rows.setdefault(key_of(cell), {"candidates": 0, "results": 0, "passed": 0, "batches": set()})
        for k in ("candidates", "results", "passed"):
            row[k] += cell[k]
        row["batches"].add(cell["plan_id"])
    out = []
    for key in sorted(rows, key=lambda k: -k if group == "level" else k):
        r = rows[key]
        label = LEVELS.get(key, key) if group == "level" else key
        rate = round(100 * r["passed"] / r["results"], 1) if r["results"] else None
        out.append(
            {
                "label": label,
                **{k: r[k] for k in ("candidates", "results", "passed")},
                "batches": len(r["batches"]),
                "pass_rate": rate,
            }
        )
    return out


def overdue_steps(plans: list[BatchPlan], *, today: dt.date) -> dict[str, int]:
    """Steps past their deadline and not done, per organisation (milestones and sessions prefetched)."""
    out: dict[str, int] = {}
    steps = [s for s in milestones.STEPS if s.on_timeline and s.recorded and s.anchor]
    for plan in plans:
        done = milestones.done_map(plan)
        n = 0
        for step in steps:
            if step.key in done:
                continue
            due, _ = milestones.deadline(plan, step.key, done)
            if due is not None and today > due:
                n += 1
        if n:
            out[plan.org.short_name] = out.get(plan.org.short_name, 0) + n
    return out


def dashboard(actor: Actor, filters: Filters, *, today: dt.date) -> dict:
    scoped = plans_in_scope(actor, filters)
    plans = {
        p.pk: p
        for p in scoped.select_related("org", "occupation")
        .only("id", "first_date", "status", "org__short_name", "occupation__name")
        .prefetch_related("milestones", Prefetch("sessions", queryset=Session.objects.only("plan_id", "date")))
    }
    apps = Application.objects.filter(plan__in=scoped.values("pk"), status=ApplicationStatus.APPROVED)
    if filters.level:
        apps = apps.filter(level=filters.level)
    # One pass over the applications: a cell per (plan, level), rolled up in Python for every grouping.
    cells = list(
        apps.values("plan_id", "level")
        .annotate(
            candidates=Count("id"),
            results=Count("result"),
            passed=Count("result", filter=Q(result__outcome=Outcome.PASSED)),
        )
        .order_by()
    )
    groups = {g: _rollup(cells, plans, g) for g in GROUPS}
    complaints = for_actor(Complaint, actor).filter(org__in=scoped.values("org"))
    by_org = list(
        complaints.values("org__short_name")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=~Q(status=ComplaintStatus.CLOSED)),
            overdue=Count("id", filter=~Q(status=ComplaintStatus.CLOSED) & Q(deadline__lt=today)),
        )
        .order_by("org__short_name")
    )
    overdue = overdue_steps(list(plans.values()), today=today)
    totals = {k: sum(c[k] for c in cells) for k in ("candidates", "results", "passed")}
    totals["batches"] = len({c["plan_id"] for c in cells})
    totals["pass_rate"] = round(100 * totals["passed"] / totals["results"], 1) if totals["results"] else None
    totals["overdue_steps"] = sum(overdue.values())
    totals["complaints"] = sum(r["total"] for r in by_org)
    return {
        "totals": totals,
        "groups": groups,
        "overdue": sorted(overdue.items()),
        "complaints": [
            {"label": r["org__short_name"], "total": r["total"], "open": r["open"], "overdue": r["overdue"]}
            for r in by_org
        ],
    }


def charts(data: dict) -> dict[str, str]:
    from kaowu.oversight.charts import bar_chart, column_chart

    org = data["groups"]["org"]
    return {
        "candidates_by_org": bar_chart([(r["label"], r["candidates"]) for r in org[:15]], title="各机构考生人数"),
        "pass_rate_by_org": bar_chart(
            [(r["label"], r["pass_rate"] or 0) for r in org[:15]], title="各机构合格率", unit="%", colour="#2e7d32"
        ),
        "by_month": column_chart(
            [(r["label"], r["candidates"]) for r in data["groups"]["month"][-12:]], title="各月考生人数"
        ),
        "by_level": bar_chart(
            [(r["label"], r["candidates"]) for r in data["groups"]["level"]], title="各等级考生人数", colour="#6a1b9a"
        ),
        "overdue": bar_chart(data["overdue"][:15], title="逾期未完成环节（按机构）", colour="#c62828"),
    }


def dashboard_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    t = data["totals"]
    ws.append(["考生人数", "认定结果", "合格", "合格率(%)", "批次", "逾期环节", "咨询投诉"])
    ws.append(
        [t["candidates"], t["results"], t["passed"], t["pass_rate"], t["batches"], t["overdue_steps"], t["complaints"]]
    )
    for group, title in GROUPS.items():
        sheet = wb.create_sheet(f"按{title}")
        sheet.append([title, "考生人数", "认定结果", "合格", "合格率(%)", "批次"])
        for r in data["groups"][group]:
            sheet.append([r["label"], r["candidates"], r["results"], r["passed"], r["pass_rate"], r["batches"]])
    sheet = wb.create_sheet("咨询投诉")
    sheet.append(["机构", "总数", "未办结", "逾期"])
    for r in data["complaints"]:
        sheet.append([r["label"], r["total"], r["open"], r["overdue"]])
    sheet = wb.create_sheet("逾期环节")
    sheet.append(["机构", "逾期未完成环节数"])
    for label, n in data["overdue"]:
        sheet.append([label, n])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
