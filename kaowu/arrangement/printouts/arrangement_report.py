"""考务安排上报表 (ARR-2): the exam arrangement reported to the supervising department by T−3 — per site and
room: room, location, subject, time, candidates and staff by role; the site-wide staff and facilities; totals.
As a workbook (a summary sheet and one sheet per site) and as a PDF.
"""

from __future__ import annotations

import io
import pathlib
import re
from collections import Counter, defaultdict

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from kaowu.arrangement.enums import REQUIRED_FACILITIES, StaffRole
from kaowu.arrangement.models import Assignment, Facility, Room, Seat
from kaowu.arrangement.printouts.common import (
    ROLE_ORDER,
    ROOM_ROLES,
    cn_date,
    occupation_text,
    role_label,
    room_place,
    site_staff_rows,
    staff_matrix,
    staff_names,
    time_span,
    weekday,
    work_type_text,
)
from kaowu.kernel import pdf
from kaowu.kernel.enums import Level
from kaowu.plans import milestones as plan_milestones
from kaowu.plans.enums import Milestone
from kaowu.plans.models import BatchPlan, Session
from kaowu.policy.engine import rule

TEMPLATE = pathlib.Path(__file__).with_name("arrangement_report.typ")
TITLE = "职业技能等级认定考务安排上报表"


def arrangement_report_data(plan: BatchPlan) -> dict:
    """Eight queries, whatever the number of sites, rooms and candidates."""
    plan = (
        BatchPlan.objects.select_related("org", "occupation", "work_type", "standard")
        .prefetch_related("plan_levels")
        .get(pk=plan.pk)
    )
    sessions = list(
        Session.objects.filter(plan_id=plan.pk).select_related("site__district").order_by("date", "start_time")
    )
    ids = [s.pk for s in sessions]
    seated: dict[tuple[int, int], int] = Counter()
    candidates: set[int] = set()
    for session_id, room_id, app_id in (
        Seat.objects.filter(session_id__in=ids).order_by().values_list("session_id", "room_id", "application_id")
    ):
        seated[(session_id, room_id)] += 1
        candidates.add(app_id)
    rooms = Room.objects.in_bulk({room_id for _, room_id in seated})
    room_staff: dict[tuple[int, int], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    site_staff: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    people: set[int] = set()
    by_role: Counter = Counter()
    for a in Assignment.objects.filter(session_id__in=ids).select_related("staff").order_by("role", "staff__name"):
        people.add(a.staff_id)
        by_role[a.role] += 1
        target = site_staff[a.session_id] if a.room_id is None else room_staff[(a.session_id, a.room_id)]
        target[a.role].append(a.staff.name)
    site_ids = sorted({s.site_id for s in sessions})
    facilities: dict[int, dict[str, str]] = defaultdict(dict)
    for f in Facility.objects.filter(site_id__in=site_ids):
        facilities[f.site_id][f.kind] = f.location
    done = plan_milestones.done_map(plan)

    sites: dict[int, dict] = {}
    by_site: dict[int, list[Session]] = defaultdict(list)
    for s in sessions:
        by_site[s.site_id].append(s)
    for s in sessions:
        site = sites.setdefault(
            s.site_id,
            {
                "name": s.site.name,
                "address": s.site.address,
                "district": s.site.district.name,
                "sessions": [],
                "facilities": [
                    {"kind": k.label, "location": facilities[s.site_id].get(k, "")} for k in REQUIRED_FACILITIES
                ],
                "rooms": 0,
                "seats": 0,
            },
        )
        rows = []
        for (session_id, room_id), n in sorted(seated.items(), key=lambda kv: rooms[kv[0][1]].number):
            if session_id != s.pk:
                continue
            room = rooms[room_id]
            staff = room_staff[(s.pk, room_id)]
            rows.append(
                {
                    "room": str(room),
                    "place": room_place(room),
                    "count": n,
                    "staff": {role_label(r): staff_names(staff.get(r, [])) for r in ROOM_ROLES},
                }
            )
        site["sessions"].append(
            {
                "subject": s.get_subject_display(),
                "method": s.get_method_display(),
                "date": cn_date(s.date),
                "weekday": weekday(s.date),
                "time": time_span(s),
                "rooms": rows,
                "count": sum(r["count"] for r in rows),
                "site_staff": site_staff_rows(site_staff.get(s.pk, {})),
            }
        )
        site["staff"] = staff_matrix(by_site[s.site_id], site_staff)
        site["rooms"] += len(rows)
        site["seats"] += sum(r["count"] for r in rows)

    arr2 = rule("ARR-2")
    deadline, _ = plan_milestones.deadline(plan, Milestone.ARRANGEMENT_REPORTED)
    levels = sorted(plan.plan_levels.all(), key=lambda pl: -pl.level)
    return {
        "title": TITLE,
        "org_name": plan.org.full_name,
        "org_code": plan.org.code,
        "plan_name": str(plan),
        "occupation_text": occupation_text(plan),
        "work_type": work_type_text(plan),
        "standard": f"{plan.standard.name}（{plan.standard.edition}）",
        "levels": "、".join(f"{Level(pl.level).label} {pl.headcount}人" for pl in levels),
        "first_date": cn_date(plan.first_date),
        "deadline": cn_date(deadline),
        "days_before": arr2["days_before"],
        "arranged_at": cn_date(done[Milestone.ARRANGED].date()) if Milestone.ARRANGED in done else "",
        "reported_at": (
            cn_date(done[Milestone.ARRANGEMENT_REPORTED].date()) if Milestone.ARRANGEMENT_REPORTED in done else ""
        ),
        "contact": f"{plan.contact_name} {plan.contact_phone}".strip(),
        "room_roles": [role_label(r) for r in ROOM_ROLES],
        "sites": list(sites.values()),
        "totals": {
            "sites": len(sites),
            "sessions": len(sessions),
            "rooms": sum(s["rooms"] for s in sites.values()),
            "seats": sum(seated.values()),
            "candidates": len(candidates),
            "staff": len(people),
            "by_role": [
                {"role": role_label(r), "count": by_role[r]}
                for r in sorted(by_role, key=lambda r: ROLE_ORDER[StaffRole(r)])
            ],
        },
        "citation": arr2.citation,
    }


def arrangement_report_pdf(plan: BatchPlan) -> bytes:
    return pdf.render_cached(f"arrangement.report:{plan.pk}", TEMPLATE, arrangement_report_data(plan))


# ---- workbook -------------------------------------------------------------------------------------------------

FONT = "宋体"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E6E6E6")
WRAP = Alignment(vertical="center", wrap_text=True)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def arrangement_report_xlsx(plan: BatchPlan) -> bytes:
    """「汇总」 (the plan, totals, each site's totals, staff by role), then one sheet per site."""
    data = arrangement_report_data(plan)
    wb = Workbook()
    _summary(wb.active, data)
    used: set[str] = {wb.active.title}
    for site in data["sites"]:
        _site_sheet(wb.create_sheet(_sheet_title(site["name"], used)), site, data)
    wb.properties.title = f"{TITLE} {data['plan_name']}"
    wb.properties.creator = "考务管理系统"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_title(name: str, used: set[str]) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name; names stay unique."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:28] or "考点"
    title, n = base, 2
    while title in used:
        title, n = f"{base[:26]}({n})", n + 1
    used.add(title)
    return title


def _row(ws, values, *, bold=False, fill=None, align=WRAP, border=True):
    ws.append(values)
    r = ws.max_row
    for c in range(1, len(values) + 1):
        cell = ws.cell(r, c)
        cell.font = Font(name=FONT, bold=bold)
        cell.alignment = align
        if border:
            cell.border = BOX
        if fill:
            cell.fill = fill
    return r


def _widths(ws, widths):
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _summary(ws, data: dict) -> None:
    ws.title = "汇总"
    _widths(ws, [22, 40, 14, 14, 14, 14])
    ws.append([data["title"]])
    ws.cell(1, 1).font = Font(name=FONT, size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    ws.row_dimensions[1].height = 26
    for label, value in (
        ("评价机构", f"{data['org_name']}（{data['org_code']}）"),
        ("计划名称", data["plan_name"]),
        ("评价职业", data["occupation_text"] + (f" 工种：{data['work_type']}" if data["work_type"] else "")),
        ("依据标准", data["standard"]),
        ("评价等级及人数", data["levels"]),
        ("首次认定日期", data["first_date"]),
        ("上报截止日期", f"{data['deadline']}（{data['citation']}）"),
        ("编排完成（准考证发放）", data["arranged_at"] or "未完成"),
        ("上报日期", data["reported_at"] or "未上报"),
        ("联系人", data["contact"]),
    ):
        r = _row(ws, [label, value])
        ws.cell(r, 1).font = Font(name=FONT, bold=True)
        ws.cell(r, 1).fill = HEAD_FILL
    ws.append([])
    t = data["totals"]
    _row(
        ws, ["考点数", "场次数", "考场数", "考生人次", "考生人数", "工作人员"], bold=True, fill=HEAD_FILL, align=CENTRE
    )
    _row(ws, [t["sites"], t["sessions"], t["rooms"], t["seats"], t["candidates"], t["staff"]], align=CENTRE)
    ws.append([])
    _row(ws, ["考点", "地址", "所在区", "考场数", "考生人次"], bold=True, fill=HEAD_FILL, align=CENTRE)
    for site in data["sites"]:
        _row(ws, [site["name"], site["address"], site["district"], site["rooms"], site["seats"]])
    ws.append([])
    _row(ws, ["人员角色", "安排人次"], bold=True, fill=HEAD_FILL, align=CENTRE)
    for item in t["by_role"]:
        _row(ws, [item["role"], item["count"]])
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _site_sheet(ws, site: dict, data: dict) -> None:
    roles = data["room_roles"]
    headings = ["科目", "评价方式", "日期", "时间", "考场号", "位置", "考生人数", *roles]
    _widths(ws, [12, 12, 18, 14, 11, 22, 10, *([24] * len(roles))])
    ws.append([f"{site['name']}（{site['address']}）"])
    ws.cell(1, 1).font = Font(name=FONT, size=13, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headings))
    _row(ws, headings, bold=True, fill=HEAD_FILL, align=CENTRE)
    header_row = ws.max_row
    for s in site["sessions"]:
        for room in s["rooms"]:
            _row(
                ws,
                [s["subject"], s["method"], s["date"], s["time"], room["room"], room["place"], room["count"]]
                + [room["staff"][r] for r in roles],
            )
        _row(ws, [s["subject"], "", s["date"], s["time"], "小计", "", s["count"]] + [""] * len(roles), bold=True)
    _row(ws, ["合计", "", "", "", f"{site['rooms']}个考场", "", site["seats"]] + [""] * len(roles), bold=True)
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.append([])
    _row(ws, ["场次", "", "", "", "考务组", "", "", "人员"], bold=True, fill=HEAD_FILL, border=False)
    for s in site["sessions"]:
        for item in s["site_staff"]:
            _row(ws, [f"{s['subject']} {s['date']} {s['time']}", "", "", "", item["role"], "", "", item["names"]])
    ws.append([])
    _row(ws, ["考务设施（ARR-14）", "", "", "", "位置"], bold=True, fill=HEAD_FILL, border=False)
    for f in site["facilities"]:
        _row(ws, [f["kind"], "", "", "", f["location"] or "未登记"])
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
