"""申报条件 as data (NAT-11): predicate kinds, their parameters, and validation for the centre's editor.

A level admits a candidate when any one condition set holds; a set holds when all its predicates hold.
Each predicate is a dict {"kind": ..., params}; `validate_predicates` refuses unknown kinds or bad params
with a Chinese message naming the predicate.
"""

from __future__ import annotations

from django.db import models

from kaowu.kernel.errors import KaowuError


class PredicateKind(models.TextChoices):
    AGE_MIN = "age_min", "年龄"
    WORK_YEARS = "work_years", "累计从事本职业或相关职业工作年限"
    CERTIFICATE = "certificate", "取得本职业或相关职业等级证书"
    DIPLOMA = "diploma", "取得相关专业毕业证书"
    TITLE = "title", "取得相应专业技术职称"
    APPRENTICESHIP = "apprenticeship", "经本职业学徒期满"


class DiplomaType(models.TextChoices):
    """Ordered roughly from lower to higher; the engine compares membership, not order."""

    TECH_SCHOOL = "tech_school", "技工学校"
    SECONDARY_VOCATIONAL = "secondary_vocational", "中等职业学校"
    SENIOR_TECH_SCHOOL = "senior_tech_school", "高级技工学校/高级工班"
    TECHNICIAN_COLLEGE = "technician_college", "技师学院"
    PREPARATORY_TECHNICIAN = "preparatory_technician", "预备技师/技师班"
    HIGHER_VOCATIONAL = "higher_vocational", "高等职业学校"
    JUNIOR_COLLEGE = "junior_college", "大学专科"
    BACHELOR = "bachelor", "大学本科"
    MASTER = "master", "硕士研究生及以上"


class TitleGrade(models.TextChoices):
    JUNIOR = "junior", "初级职称"
    INTERMEDIATE = "intermediate", "中级职称"
    SENIOR = "senior", "高级职称"


TITLE_RANK = {TitleGrade.JUNIOR: 1, TitleGrade.INTERMEDIATE: 2, TitleGrade.SENIOR: 3}

# Parameters each kind takes: name -> (type, required).
PARAMS = {
    PredicateKind.AGE_MIN: {"years": (int, True)},
    PredicateKind.WORK_YEARS: {"years": (int, True)},
    PredicateKind.CERTIFICATE: {"level": (int, True), "years_since": (int, False)},
    PredicateKind.DIPLOMA: {"types": (list, True), "graduating_ok": (bool, False), "evaluated_only": (bool, False)},
    PredicateKind.TITLE: {"grade": (str, True), "years_since": (int, False)},
    PredicateKind.APPRENTICESHIP: {},
}


def describe(predicate: dict) -> str:
    """A predicate in the words of a standard, e.g. 「取得本职业四级证书后满5年」."""
    from kaowu.kernel.enums import LEVEL_SHORT

    kind = predicate["kind"]
    if kind == PredicateKind.AGE_MIN:
        return f"年满{predicate['years']}周岁"
    if kind == PredicateKind.WORK_YEARS:
        return f"累计从事本职业或相关职业工作满{predicate['years']}年"
    if kind == PredicateKind.CERTIFICATE:
        text = f"取得本职业或相关职业{LEVEL_SHORT[predicate['level']]}及以上职业技能等级证书"
        years = predicate.get("years_since")
        return text + (f"后满{years}年" if years else "")
    if kind == PredicateKind.DIPLOMA:
        names = "、".join(DiplomaType(t).label for t in predicate["types"])
        text = f"取得{names}本专业或相关专业毕业证书"
        if predicate.get("evaluated_only"):
            text = "取得经评估论证的" + text[2:]
        if predicate.get("graduating_ok"):
            text += "（含尚未取得毕业证书的在校应届毕业生）"
        return text
    if kind == PredicateKind.TITLE:
        years = predicate.get("years_since")
        return f"取得相应专业{TitleGrade(predicate['grade']).label}" + (f"后满{years}年" if years else "")
    return "经本职业正规学徒培训，学徒期满"


def validate_predicates(predicates: list) -> list[dict]:
    """The predicates, checked; raises KaowuError naming the first bad one."""
    if not isinstance(predicates, list) or not predicates:
        raise KaowuError("条件组至少要有一项条件。", code="condition_empty", field="predicates")
    for n, p in enumerate(predicates, start=1):
        if not isinstance(p, dict) or p.get("kind") not in PredicateKind.values:
            kinds = "、".join(f"{k.value}（{k.label}）" for k in PredicateKind)
            raise KaowuError(f"第{n}项条件的类型无效，可选：{kinds}。", code="condition_kind", field="predicates")
        spec = PARAMS[PredicateKind(p["kind"])]
        unknown = set(p) - set(spec) - {"kind"}
        if unknown:
            raise KaowuError(
                f"第{n}项条件有未知参数：{'、'.join(sorted(unknown))}。", code="condition_param", field="predicates"
            )
        for name, (typ, required) in spec.items():
            if name not in p:
                if required:
                    raise KaowuError(f"第{n}项条件缺少参数「{name}」。", code="condition_param", field="predicates")
                continue
            value = p[name]
            if typ is int and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise KaowuError(
                    f"第{n}项条件的「{name}」须为不小于0的整数。", code="condition_param", field="predicates"
                )
            if typ is bool and not isinstance(value, bool):
                raise KaowuError(
                    f"第{n}项条件的「{name}」须为 true 或 false。", code="condition_param", field="predicates"
                )
        if p["kind"] == PredicateKind.CERTIFICATE and p["level"] not in (1, 2, 3, 4, 5):
            raise KaowuError(f"第{n}项条件的证书等级须为1–5。", code="condition_param", field="predicates")
        if p["kind"] == PredicateKind.DIPLOMA:
            bad = [t for t in p["types"] if t not in DiplomaType.values]
            if bad or not p["types"]:
                raise KaowuError(
                    f"第{n}项条件的学历类型无效：{'、'.join(map(str, bad)) or '（空）'}。",
                    code="condition_param",
                    field="predicates",
                )
        if p["kind"] == PredicateKind.TITLE and p["grade"] not in TitleGrade.values:
            raise KaowuError(
                f"第{n}项条件的职称等级须为 junior、intermediate 或 senior。",
                code="condition_param",
                field="predicates",
            )
    return predicates
