"""REST API of the policy: the rules of the default profile (numbers, unit, citation) and the working-day calendar."""

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from ninja import Field, Router, Schema

from kaowu.kernel import formats
from kaowu.kernel.api import EARLIEST_YEAR, LATEST_YEAR, InvalidInput, responses
from kaowu.policy.models import Rule, WorkdayOverride
from kaowu.policy.workdays import WorkdayCalendar

router = Router()

MAX_CALENDAR_DAYS = 366


class RuleOut(Schema):
    rule_id: str
    title: str
    kind: str = Field(description="block 阻断 / warn 提醒 / record 留痕")
    kind_label: str
    params: dict
    unit: str = Field(description="calendar 自然日 / working 工作日 / month 月；空为不计日")
    citation: str

    @staticmethod
    def resolve_kind_label(obj: Rule) -> str:
        return obj.get_kind_display()


class WorkdayOut(Schema):
    date: dt.date
    weekday: str
    is_workday: bool
    note: str = Field(description="调休或节假日说明（来自工作日调整表）")


def _rules() -> QuerySet[Rule]:
    return Rule.objects.filter(profile__slug=settings.KAOWU_DEFAULT_PROFILE).order_by("id")


@router.get("/rules", response=responses(list[RuleOut]), summary="规则（默认规则配置）")
def list_rules(request):
    return _rules()


@router.get("/rules/{rule_id}", response=responses(RuleOut), summary="一条规则")
def get_rule(request, rule_id: str):
    found = _rules().filter(rule_id=rule_id.upper()[:12]).first() if "\x00" not in rule_id else None
    if found is None:
        raise Http404(rule_id)
    return found


@router.get("/calendar/workdays", response=responses(list[WorkdayOut]), summary="工作日（含调休）")
def list_workdays(request, start: dt.date, end: dt.date):
    """Each date from start to end with is_workday. A year without holiday data answers 422 NAT-9."""
    for name, value in (("start", start), ("end", end)):
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise InvalidInput(f"日期须在{EARLIEST_YEAR}年至{LATEST_YEAR}年之间。", field=name)
    if end < start:
        raise InvalidInput("结束日期不能早于开始日期。", field="end")
    if (end - start).days >= MAX_CALENDAR_DAYS:
        raise InvalidInput(f"一次最多查询{MAX_CALENDAR_DAYS}天，请缩小日期范围。", field="end")
    calendar = WorkdayCalendar()
    notes = dict(WorkdayOverride.objects.filter(date__range=(start, end)).values_list("date", "note"))
    days = []
    day = start
    while day <= end:
        days.append(
            {
                "date": day,
                "weekday": formats.weekday(day),
                "is_workday": calendar.is_workday(day),
                "note": notes.get(day, ""),
            }
        )
        day += dt.timedelta(days=1)
    return days
