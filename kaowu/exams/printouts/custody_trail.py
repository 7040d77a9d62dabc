"""试卷交接记录 (DAY-3): per packet of a session its seal number, label count, every hand-over with the givers'
and receivers' signatures (names, times, the seal number each saw), the opening in the room, the counts at the
return and what does not balance."""

from __future__ import annotations

import pathlib

from django.db.models import Prefetch
from django.utils import timezone

from kaowu.exams.enums import HandOverSide
from kaowu.exams.models import HandOver, Packet
from kaowu.kernel import pdf
from kaowu.plans.models import Session

TEMPLATE = pathlib.Path(__file__).with_name("custody_trail.typ")
TITLE = "试卷交接记录"


def _t(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M}" if moment else ""


def _n(value) -> str:
    return "" if value is None else str(value)


def custody_trail_data(session: Session) -> dict:
    plan = session.plan
    hand_overs = HandOver.objects.prefetch_related("signatures").order_by("started_at", "pk")
    packets = (
        Packet.objects.filter(session=session)
        .select_related("room", "paper", "seal_shown_by", "opened_by")
        .prefetch_related(Prefetch("hand_overs", queryset=hand_overs))
        .order_by("room__number", "pk")
    )

    def who(row, side):
        return "、".join(f"{s.name} {_t(s.at)}" for s in row.signatures.all() if s.side == side)

    return {
        "title": TITLE,
        "org_name": plan.org.full_name,
        "plan_name": str(plan),
        "site_name": session.site.name,
        "session": str(session),
        "packets": [
            {
                "seal_no": p.seal_no,
                "room": p.room.label,
                "paper": f"{p.paper.version}卷",
                "sheets": str(p.sheets),
                "holder": p.get_holder_display(),
                "hand_overs": [
                    {
                        "from": h.get_from_place_display(),
                        "to": h.get_to_place_display(),
                        "givers": who(h, HandOverSide.GIVER),
                        "receivers": who(h, HandOverSide.RECEIVER) or "（待签收）",
                        "count": _n(h.count),
                        "done": _t(h.completed_at),
                    }
                    for h in p.hand_overs.all()
                ],
                "shown": f"{p.seal_shown_by.display_name} {_t(p.seal_shown_at)}" if p.seal_shown_at else "",
                "opened": f"{p.opened_by.display_name} {_t(p.opened_at)}" if p.opened_at else "",
                "received": _n(p.received),
                "used": _n(p.used),
                "spare": _n(p.spare),
                "returned": _n(p.returned),
                "flags": list(p.flags),
            }
            for p in packets
        ],
    }


def custody_trail_pdf(session: Session) -> bytes:
    return pdf.render(TEMPLATE, custody_trail_data(session))
