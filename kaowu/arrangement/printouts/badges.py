"""工作证（胸卡）(ARR-10, BJ Annex 4 一(八), Annex 5 7:35): a badge for every person assigned in a plan — name,
roles, organisation, credential number and validity — eight to an A4 page to cut out.
"""

from __future__ import annotations

import pathlib
from collections import defaultdict

from kaowu.arrangement.enums import StaffRole
from kaowu.arrangement.models import Assignment
from kaowu.arrangement.printouts.common import ROLE_ORDER, role_label
from kaowu.kernel import pdf
from kaowu.kernel.formats import cn_date
from kaowu.plans.models import BatchPlan

TEMPLATE = pathlib.Path(__file__).with_name("badges.typ")
TITLE = "职业技能等级认定工作证"


def badges_data(plan: BatchPlan) -> dict:
    """One badge per person, the highest role first (two queries)."""
    plan = BatchPlan.objects.select_related("org", "occupation").get(pk=plan.pk)
    people: dict[int, dict] = {}
    roles: dict[int, set[str]] = defaultdict(set)
    rooms: dict[int, set[str]] = defaultdict(set)
    dates: dict[int, set] = defaultdict(set)
    assignments = Assignment.objects.filter(session__plan_id=plan.pk).select_related("staff", "session", "room")
    for a in assignments.order_by():
        people[a.staff_id] = a.staff
        roles[a.staff_id].add(a.role)
        dates[a.staff_id].add(a.session.date)
        if a.room_id:
            rooms[a.staff_id].add(str(a.room))
    badges = []
    for pk, staff in people.items():
        ordered = sorted(roles[pk], key=lambda r: ROLE_ORDER[StaffRole(r)])
        badges.append(
            {
                "name": staff.name,
                "roles": [role_label(r) for r in ordered],
                "rank": ROLE_ORDER[StaffRole(ordered[0])],
                "org_name": plan.org.full_name,
                "credential_number": staff.credential_number,
                "valid_until": cn_date(staff.credential_valid_until),
                "rooms": "、".join(sorted(rooms[pk])),
                "dates": "、".join(f"{d.month}月{d.day}日" for d in sorted(dates[pk])),
            }
        )
    badges.sort(key=lambda b: (b["rank"], b["name"]))
    return {
        "title": TITLE,
        "org_name": plan.org.full_name,
        "plan_name": str(plan),
        "occupation": plan.occupation.name,
        "badges": badges,
    }


def badges_pdf(plan: BatchPlan) -> bytes:
    return pdf.render_cached(f"arrangement.badges:{plan.pk}", TEMPLATE, badges_data(plan))
