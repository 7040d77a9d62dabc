"""场所标识 (ARR-12): the sign at the site's entrance, 「(机构名称)(职业等级名称)职业技能等级认定考场」, and the
「物品统一存放处」 sign for each room's bag storage (BJ Annex 3 §二1, §三(四)).
"""

from __future__ import annotations

import pathlib

from kaowu.arrangement.printouts.common import fit, load_session, room_heading, session_heading
from kaowu.kernel import pdf
from kaowu.plans.models import Session

TEMPLATE = pathlib.Path(__file__).with_name("site_sign.typ")
SUFFIX = "职业技能等级认定考场"
STORAGE = "物品统一存放处"
STORAGE_NOTE = "手机、智能手表等通讯工具请关闭后，与书包等个人物品一并存放于此，不得带至座位。"


def site_sign_data(session: Session) -> dict:
    """The entrance sign and one storage sign per seated room (four queries)."""
    sheet = load_session(session)
    heading = session_heading(sheet)
    occupation = heading["occupation"] + (f"（{heading['work_type']}）" if heading["work_type"] else "")
    # 职业等级名称: the occupation with the levels the session examines, e.g. 保健按摩师五级、四级.
    occupation_level = f"{occupation}{heading['levels_short']}"
    return {
        **heading,
        "title": f"{heading['org_name']}{occupation_level}{SUFFIX}",
        "occupation_level": occupation_level,
        "suffix": SUFFIX,
        "sizes": {
            "org": fit(heading["org_name"], 255, 34, least_pt=18),
            "occupation_level": fit(occupation_level, 255, 46, least_pt=22),
        },
        "rooms": [room_heading(sheet, r) for r in sheet.rooms],
        "storage": STORAGE,
        "storage_note": STORAGE_NOTE,
    }


def site_sign_pdf(session: Session) -> bytes:
    """A4 landscape: the entrance sign, then a storage sign for each room."""
    return pdf.render_cached(f"arrangement.site_sign:{session.pk}", TEMPLATE, site_sign_data(session))
