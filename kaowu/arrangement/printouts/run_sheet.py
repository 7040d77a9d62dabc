"""考务工作流程 (DAY-2, BJ Annex 5): the exam day's steps for one session, each at its time relative to the start
S and end E from the rule profile's offsets (report S−60 … papers returned E+5), with who does it and, in the
PDF, what is to be done and the names of the people assigned.
"""

from __future__ import annotations

import datetime as dt
import pathlib
from typing import NamedTuple

from kaowu.arrangement.enums import StaffRole
from kaowu.arrangement.printouts.common import (
    hm,
    load_session,
    role_label,
    room_heading,
    session_heading,
    site_staff_rows,
)
from kaowu.kernel import pdf
from kaowu.plans.models import Session
from kaowu.policy.engine import rule

TEMPLATE = pathlib.Path(__file__).with_name("run_sheet.typ")
TITLE = "考务工作流程"


class Step(NamedTuple):
    """A step of the day: the DAY-2 parameter giving its offset, whether it counts from the start or the end,
    what it is, who does it and what they do (BJ Annex 5, shortened)."""

    param: str
    anchor: str  # "S" or "E"
    item: str
    who: str
    what: str


STEPS = [
    Step("report", "S", "报到", "考务组及相关考务人员", "考务组及全体考务人员到考务办公室报到。"),
    Step(
        "briefing",
        "S",
        "安排工作",
        "主考",
        "主考提出本次组考、监考注意事项，宣布各考场监考人员名单；发放考务人员胸卡；"
        "核对时间（监考人员手表和考场钟表）。",
    ),
    Step(
        "papers_issued",
        "S",
        "分发试卷",
        "主考、保密员、主副监考",
        "主考与保密员办好交接手续后，将试卷从保密室取出送到考务办；主考将试卷（卡）分发给各考场主监考，"
        "主、副监考核对试卷袋上的职业、级别、份数，检查密封，无误后签收。",
    ),
    Step("papers_to_rooms", "S", "送试卷到达考场", "主、副监考", "主、副监考持卷（卡）直达考场。"),
    Step(
        "id_check",
        "S",
        "查证入场",
        "副监考（入口）、主监考（讲台）",
        "副监考在考场入口逐一检查准考证、有效身份证件，考生在「考生信息汇总表」上签字后入场；"
        "主监考看管试卷，引导考生对号入座，提醒关闭手机，证件放桌面右上角，个人物品放「物品统一存放处」。",
    ),
    Step("rules_read", "S", "宣布考场纪律", "主监考", "主监考宣读「考场规则」，强调考试注意事项。"),
    Step(
        "seal_opened",
        "S",
        "验封、启封、发卷",
        "主监考、副监考",
        "主监考向考生展示试卷袋密封完好后启封（不得破损二次密封的「舌头」）；发现数量不符、错装、漏印等"
        "立即报告考务负责人；逐一发卷，不得将试卷放在缺考考生桌上；副监考指导考生填写个人信息。",
    ),
    Step(
        "start",
        "S",
        "宣布正式开考",
        "主监考、副监考",
        "主监考宣布开始认定，保管备用和缺考人员试卷；副监考维护考场秩序，再次核对准考证、有效身份证件。",
    ),
    Step(
        "early_handin_from",
        "S",
        "交卷、收卷、填写考场记录单",
        "主监考",
        "开考{early}分钟后，申请交卷的考生举手示意，经监考人员检查后交卷退场；主监考将缺考、作弊人员信息"
        "填入试卷袋背面的《考场情况记录单》。",
    ),
    Step(
        "no_handin_from_end",
        "E",
        "宣布停止交卷",
        "主监考",
        "主监考提示考生距认定结束还有{late}分钟，在此期间不得交卷、离开考场。",
    ),
    Step(
        "collection_end",
        "E",
        "收卷",
        "主监考、副监考",
        "主监考宣布认定结束，考生停止答卷，坐在原位等候收齐试卷，核对无误后方可退场；主、副监考清点核对后，"
        "将卷、卡分别装入密封袋。",
    ),
    Step(
        "papers_returned_end",
        "E",
        "送还试卷",
        "主、副监考",
        "主、副监考将试卷送到考务办，考务人员清点验收齐全后，由监考人员封装，并在试卷袋监考记录中签字。",
    ),
]


def _times(session: Session) -> list[tuple[dt.datetime, Step]]:
    offsets = rule("DAY-2").params
    start, end = session.starts, session.ends
    return [(((start if s.anchor == "S" else end) + dt.timedelta(minutes=offsets[s.param])), s) for s in STEPS]


def run_sheet(session: Session) -> list[tuple[dt.time, str, str]]:
    """(time, item, who) for each step of the day, in order: 8:30–10:00 gives 7:30 报到 … 10:05 送还试卷."""
    return [(at.time(), step.item, step.who) for at, step in _times(session)]


def run_sheet_data(session: Session) -> dict:
    """The steps with their times and details, the site-wide staff and each room's staff (four queries)."""
    sheet = load_session(session)
    params = rule("DAY-2").params
    words = {"early": params["early_handin_from"], "late": -params["no_handin_from_end"]}
    steps = [
        {"time": hm(at), "item": step.item, "who": step.who, "what": step.what.format(**words)}
        for at, step in _times(sheet.session)
    ]
    return {
        **session_heading(sheet),
        "title": TITLE,
        "steps": steps,
        "site_staff": site_staff_rows(sheet.site_staff),
        "rooms": [room_heading(sheet, r) for r in sheet.rooms],
        "chief": role_label(StaffRole.CHIEF_EXAMINER),
        "citation": rule("DAY-2").citation,
    }


def run_sheet_pdf(session: Session) -> bytes:
    """The run sheet on A4: the steps, then who is assigned where."""
    return pdf.render_cached(f"arrangement.run_sheet:{session.pk}", TEMPLATE, run_sheet_data(session))
