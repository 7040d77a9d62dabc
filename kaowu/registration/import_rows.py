"""Checking the rows of the 33-column upload sheet against a batch plan (national.md, reference forms).

RowChecker turns one row of raw cells into a normalised, JSON-ready dict and adds every problem it finds to
the sheet with its Excel row and column (REG-1, NAT-5, NAT-6, NAT-7, PLAN-7); plan_conflicts then checks the
rows together: duplicates in the file, documents already applied to the plan, a known document under another
name. imports.py drives both, for the preview and again for the commit; import_write.py writes the rows.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from kaowu.kernel import clock
from kaowu.kernel.enums import LEVEL_SHORT
from kaowu.plans.models import BatchPlan
from kaowu.registration import idcard
from kaowu.registration.enums import ACTIVE_STATUSES, Category, ExamType
from kaowu.registration.evidence import detect_certificate_format
from kaowu.registration.models import Application, Candidate
from kaowu.registration.services import level_problems
from kaowu.registration.sheets import COL, COLUMNS, fold, fold_text, parse_date, parse_level, tidy, tidy_name, tidy_text

if TYPE_CHECKING:
    from kaowu.registration.imports import ParsedSheet

REQUIRED = ("职业工种名称", "认定等级", "申报条件", "证件类型", "证件号码", "姓名", "手机号码", "认定分类", "考试类型")
REQUIRED_COLS = [COL[name] for name in REQUIRED]
# Free-text columns -> model field. Their wording is kept (no NFKC: it would turn Chinese punctuation into ASCII).
TEXT_FIELDS = {
    "申报条件": "declared_condition",
    "文化程度": "education",
    "所在省（市）区": "region",
    "考生来源": "source",
    "所在单位": "employer",
    "报名单位": "registering_unit",
    "专业": "specialty",
    "民族": "ethnicity",
    "户籍所在地": "household_registration",
    "政治面貌": "political_status",
    "简要经历": "experience",
    "通讯地址": "address",
    "证书领取方式": "certificate_delivery",
    "邮寄地址": "mailing_address",
}
CANDIDATE_FIELDS = (
    "doc_type",
    "doc_number",
    "name",
    "sex",
    "birth_date",
    "phone",
    "email",
    "ethnicity",
    "political_status",
    "education",
    "region",
    "household_registration",
    "address",
    "postal_code",
    "work_start_date",
)
APPLICATION_FIELDS = (
    "level",
    "category",
    "exam_type",
    "declared_condition",
    "specialty",
    "years_in_specialty",
    "source",
    "employer",
    "registering_unit",
    "diploma_number",
    "experience",
    "certificate_delivery",
    "mailing_address",
)
TEXT_COLS = [(COL[name], key) for name, key in TEXT_FIELDS.items()]
LIMITS = {
    f.name: f.max_length
    for model in (Candidate, Application)
    for f in model._meta.get_fields()
    if getattr(f, "max_length", None) and f.name in CANDIDATE_FIELDS + APPLICATION_FIELDS
}
_KEY_COLS = {
    "name": COL["姓名"],
    "phone": COL["手机号码"],
    "email": COL["电子邮箱"],
    "diploma_number": COL["学历证书编号"],
    "postal_code": COL["邮政编码"],
} | {key: col for col, key in TEXT_COLS}
LENGTH_CHECKS = [(col, key, LIMITS[key]) for key, col in _KEY_COLS.items() if key in LIMITS]

DOC_TYPES = {
    "居民身份证": idcard.DocType.ID_CARD,
    "身份证": idcard.DocType.ID_CARD,
    "中华人民共和国居民身份证": idcard.DocType.ID_CARD,
    "港澳台居民居住证": idcard.DocType.HK_MO_TW_PERMIT,
    "港澳居民居住证": idcard.DocType.HK_MO_TW_PERMIT,
    "台湾居民居住证": idcard.DocType.HK_MO_TW_PERMIT,
    "外国人永久居留身份证": idcard.DocType.FOREIGN_PERMANENT,
    "外国人永久居留证": idcard.DocType.FOREIGN_PERMANENT,
    "护照": idcard.DocType.PASSPORT,
}
SEXES = {"男": idcard.Sex.MALE, "男性": idcard.Sex.MALE, "女": idcard.Sex.FEMALE, "女性": idcard.Sex.FEMALE}
CATEGORIES = {
    "初次认定": Category.INITIAL,
    "初次": Category.INITIAL,
    "晋级认定": Category.PROMOTION,
    "晋级": Category.PROMOTION,
}
EXAM_TYPES = {"正考": ExamType.REGULAR, "补考": ExamType.RETAKE}
YES = {"是", "有", "Y", "YES", "TRUE", "1"}
NO = {"否", "无", "没有", "N", "NO", "FALSE", "0", ""}

SQL_CHUNK = 900  # parameters per IN (...) query: under SQLite's 999

PHONE = re.compile(r"^1\d{10}$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
POSTAL = re.compile(r"^\d{6}$")
SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.I)


class RowChecker:
    """Checks one row at a time against the plan; the plan's facts are read once, so the cost in queries does
    not grow with the number of rows."""

    def __init__(self, sheet: ParsedSheet, plan: BatchPlan):
        self.sheet = sheet
        self.plan = plan
        self.today = clock.today()
        occupation = plan.occupation
        work_types = [plan.work_type] if plan.work_type_id else list(occupation.work_types.all())
        names = {occupation.name, occupation.code}
        for wt in work_types:
            names |= {wt.name} | {f"{occupation.name}{sep}{wt.name}" for sep in ("/", "-", "—", "·", "、")}
            names.add(f"{occupation.name}({wt.name})")
        self.occupations = {fold(n) for n in names}
        self.plan_occupation = occupation.name + (f"（{plan.work_type.name}）" if plan.work_type_id else "")
        self.level_messages: dict[int, str | None] = {}
        self.conditions = ConditionMatcher(plan)

    def level_problem(self, level: int) -> str | None:
        if level not in self.level_messages:
            found = level_problems(self.plan, level)
            self.level_messages[level] = found[0].message if found else None
        return self.level_messages[level]

    def check(self, row: int, v: list) -> dict | None:
        """The normalised row (errors found are added to the sheet); None for a row of spaces only.

        `v` (raw) and `f` (folded) are indexed as COLUMNS: 1 职业工种名称, 2 认定等级, 4 证件类型, 5 证件号码,
        6 姓名, 7 性别, 8 出生日期, 9 手机号码, 10–12 证书, 18 认定分类, 20 考试类型, 22 参加工作时间,
        23 电子邮箱, 24 专业年限, 27 学历证书编号, 31 邮政编码; the free-text columns by TEXT_COLS.
        """
        add = self.sheet.add
        # fold() inlined for the common cases (text, empty): this runs for every cell of every row
        f = [fold_text(x) if type(x) is str else "" if x is None else fold(x) for x in v]
        if not any(f):
            return None
        for col in REQUIRED_COLS:
            if not f[col]:
                add(row, col, f"「{COLUMNS[col]}」不能为空，请填写。")
        out: dict = {"row": row}

        if f[1] and f[1] not in self.occupations:
            add(
                row,
                1,
                f"职业工种「{f[1]}」与本计划的「{self.plan_occupation}」不符，请只填写本计划职业（工种）的考生。",
            )

        level = parse_level(f[2]) if f[2] else None
        if f[2] and level is None:
            add(row, 2, f"认定等级「{f[2]}」无法识别，请填写五级、四级、三级、二级或一级（也可写初级工至高级技师）。")
        elif level is not None and (problem := self.level_problem(level)):
            add(row, 2, problem)
        out["level"] = level

        doc_type = DOC_TYPES.get(f[4])
        if f[4] and doc_type is None:
            add(row, 4, f"证件类型「{f[4]}」无法识别，请填写居民身份证、港澳台居民居住证、外国人永久居留身份证或护照。")
        checked = self._document(row, v[5], f[5], doc_type)
        out["doc_type"] = doc_type
        out["doc_number"] = checked.number if checked else f[5].upper()

        name = tidy_name(v[6])
        out["name"] = name

        sex = SEXES.get(f[7], "")
        if f[7] and not sex:
            add(row, 7, f"性别「{f[7]}」无法识别，请填写男或女。")
        derived_sex = checked.sex if checked and checked.ok else ""
        if sex and derived_sex and sex != derived_sex:
            add(row, 7, f"性别填写为「{f[7]}」，但证件号码显示为{idcard.Sex(derived_sex).label}性，请核对。")
        out["sex"] = sex or derived_sex

        birth = parse_date(v[8]) if f[8] else None
        if f[8] and birth is None:
            add(row, 8, f"出生日期「{f[8]}」无法识别，请写成2026-01-05或2026年1月5日的形式。")
        derived_birth = checked.birth_date if checked and checked.ok else None
        if birth and derived_birth and birth != derived_birth:
            add(row, 8, f"出生日期{birth:%Y-%m-%d}与证件号码中的{derived_birth:%Y-%m-%d}不符，请核对。")
        if doc_type == idcard.DocType.PASSPORT:
            if not f[7]:
                add(row, 7, "护照持有人请填写性别（男或女）。")
            if not f[8]:
                add(row, 8, "护照持有人请填写出生日期。")
        birth = derived_birth or birth
        out["birth_date"] = birth.isoformat() if birth else None

        phone = f[9].replace("-", "").removeprefix("+86")
        if phone and not PHONE.match(phone):
            add(row, 9, f"手机号码「{phone}」应为以1开头的11位数字，请核对。")
        out["phone"] = phone

        self._certificate(row, f, out)

        for col, key in TEXT_COLS:
            x = v[col]
            out[key] = (
                tidy_text(x) if type(x) is str and key != "experience" else tidy(x, keep_lines=key == "experience")
            )

        if f[3] and level is not None:
            label, problem = self.conditions.match(level, f[3])
            if problem:
                add(row, 3, problem)
            elif label:
                out["declared_condition"] = label

        out["category"] = CATEGORIES.get(f[18])
        if f[18] and out["category"] is None:
            add(row, 18, f"认定分类「{f[18]}」无法识别，请填写初次认定或晋级认定。")
        out["exam_type"] = EXAM_TYPES.get(f[20])
        if f[20] and out["exam_type"] is None:
            add(row, 20, f"考试类型「{f[20]}」无法识别，请填写正考或补考。")

        work_start = parse_date(v[22], month_ok=True) if f[22] else None
        if f[22] and work_start is None:
            add(row, 22, f"参加工作时间「{f[22]}」无法识别，请写成2015-03-01或2015年3月的形式。")
        elif work_start and (work_start > self.today or (birth and work_start < birth)):
            add(row, 22, f"参加工作时间{work_start:%Y-%m-%d}不合理（晚于今天或早于出生日期），请核对。")
        out["work_start_date"] = work_start.isoformat() if work_start else None

        email = f[23].lower()
        if email and (len(email) > 254 or not EMAIL.match(email)):
            add(row, 23, f"电子邮箱「{email}」格式不正确，请填写如 name@example.com 的地址，或留空。")
        out["email"] = email

        out["years_in_specialty"] = None
        if f[24]:
            years = _years(f[24])
            if years is None:
                add(row, 24, f"专业年限「{f[24]}」应为0–60之间的数字（可带一位小数），请核对。")
            out["years_in_specialty"] = years

        out["diploma_number"] = f[27]
        if f[31] and not POSTAL.match(f[31]):
            add(row, 31, f"邮政编码「{f[31]}」应为6位数字，请核对或留空。")
        out["postal_code"] = f[31]

        for col, key, limit in LENGTH_CHECKS:
            if len(out[key]) > limit:
                add(row, col, f"「{COLUMNS[col]}」最多{limit}个字，当前{len(out[key])}个字，请精简。")
        return out

    def _document(self, row: int, raw, text: str, doc_type: str | None) -> idcard.IdCheck | None:
        """REG-1, NAT-6, NAT-7: the number checked for its type; one Excel turned into a float is refused."""
        if (isinstance(raw, (int, float)) and not isinstance(raw, bool) and abs(raw) >= 1e15) or SCIENTIFIC.match(text):
            shown = f"{raw:.14E}" if isinstance(raw, (int, float)) else text
            self.sheet.add(
                row,
                5,
                f"证件号码被Excel存成了数字（显示为{shown}），末几位已丢失。"
                "请把该列单元格格式设为「文本」后重新填写完整的证件号码（或在号码前加英文单引号'）。",
            )
            return None
        if not text or not doc_type:
            return None
        checked = idcard.check(text, doc_type)
        for message in checked.errors:
            self.sheet.add(row, 5, message)
        return checked

    def _certificate(self, row: int, f: list[str], out: dict) -> None:
        add = self.sheet.add
        has_text, level_text, number = f[10].upper(), f[11], f[12]
        has = True if has_text in YES else False if has_text in NO else None
        if has is None:
            add(row, 10, f"是否有职业资格证书「{f[10]}」应填写是或否。")
        out["certificate_level"], out["certificate_number"], out["certificate_format"] = None, "", ""
        if not has:
            if has is False and (level_text or number):
                add(row, 10, "填写了证书等级或证书编号，但「是否有职业资格证书」为否。请改为是，或删去证书信息。")
            return
        level = parse_level(level_text) if level_text else None
        if not level_text:
            add(row, 11, "有职业资格证书时请填写证书等级（五级至一级）。")
        elif level is None:
            add(row, 11, f"证书等级「{level_text}」无法识别，请填写五级、四级、三级、二级或一级。")
        if not number:
            add(row, 12, "有职业资格证书时请填写证书编号。")
            return
        number, number_format, found = detect_certificate_format(number)  # NAT-5: an unknown format is kept
        if found is not None and level is not None and found != level:
            add(
                row,
                12,
                f"证书编号显示的等级为{LEVEL_SHORT[found]}，与填写的证书等级{LEVEL_SHORT[level]}不符，请核对证书（NAT-5）。",
            )
        if len(number) > 40:
            add(row, 12, "证书编号超过40个字符，请核对。")
        out["certificate_level"], out["certificate_number"], out["certificate_format"] = level, number, number_format


CONDITION_REF = re.compile(r"^(?:([一二三四五])级)?(?:申报)?(?:条件)?\(?(\d{1,2})\)?[:：.、]?(.*)$")
END_PUNCT = "。.;；"


class ConditionMatcher:
    """申报条件 text -> the standard's condition set of the row's level (NAT-11). Accepted: the template's
    drop-down value (「四级 条件（2）」), 「条件（2）」/「（2）」/「2」, or the condition's own text as the standard
    words it (spaces, full- or half-width brackets and a final 。 ignored), optionally after its number — which
    is also what the export writes, so an exported sheet re-imports. Paraphrases are not guessed at: the row is
    an error that lists what may be written. A level whose standard has no condition sets keeps the text."""

    def __init__(self, plan: BatchPlan):
        from kaowu.catalog.models import StandardLevel

        self.sets: dict[int, list[tuple[int, str, str]]] = {}
        for sl in StandardLevel.objects.filter(standard_id=plan.standard_id).prefetch_related("condition_sets"):
            self.sets[sl.level] = [(cs.ordinal, cs.label, self.key(cs.label)) for cs in sl.condition_sets.all()]

    @staticmethod
    def key(text: str) -> str:
        return fold_text(text).rstrip(END_PUNCT)

    def match(self, level: int, folded: str) -> tuple[str | None, str | None]:
        """(the standard's label, None) when matched; (None, what to write) when not; (None, None) when the
        level has no condition sets to match against."""
        sets = self.sets.get(level)
        if not sets:
            return None, None
        key = folded.rstrip(END_PUNCT)
        by_text = {k: label for _, label, k in sets}
        if key in by_text:
            return by_text[key], None
        m = CONDITION_REF.match(key)
        if m:
            word, number, rest = m.groups()
            ordinal = int(number)
            if word and parse_level(word + "级") != level:
                return None, (
                    f"申报条件写的是{word}级的条件（{ordinal}），但本行认定等级为{LEVEL_SHORT[level]}，"
                    "请核对认定等级或改填本等级的条件。"
                )
            for n, label, k in sets:
                if n == ordinal and (not rest or rest.rstrip(END_PUNCT) == k):
                    return label, None
        allowed = "；".join(f"条件（{n}）{self.short(label)}" for n, label, _ in sets)
        return None, (
            f"申报条件「{folded[:40]}」不是{LEVEL_SHORT[level]}的申报条件之一。请从下拉列表选择，"
            f"或填写条件序号（如「条件（1）」）或标准原文。可填：{allowed}"
        )

    @staticmethod
    def short(label: str, width: int = 28) -> str:
        return label if len(label) <= width else label[: width - 1] + "…"


def _years(text: str) -> str | None:
    """专业年限 as a string with one decimal (3, 3.5, 3年), or None when not a number of years 0–60."""
    try:
        years = Decimal(text.removesuffix("年")).quantize(Decimal("0.1"))
    except InvalidOperation:
        return None
    return str(years) if Decimal(0) <= years <= Decimal(60) else None


def existing_candidates(keys: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, str]]:
    """(doc_type, doc_number) -> (candidate id, name) of those already registered, SQL_CHUNK numbers a query."""
    numbers = sorted({number for _, number in keys})
    found = {}
    for i in range(0, len(numbers), SQL_CHUNK):
        rows = Candidate.objects.filter(doc_number__in=numbers[i : i + SQL_CHUNK]).values_list(
            "id", "doc_type", "doc_number", "name"
        )
        found.update({(t, n): (pk, name) for pk, t, n, name in rows if (t, n) in keys})
    return found


def plan_conflicts(sheet: ParsedSheet, plan: BatchPlan, rows: list[dict]) -> dict:
    """Duplicates within the file and against the plan's live applications; a known document under another
    name. Adds the errors to `sheet`; returns the existing candidates found."""
    doc_col, name_col = COL["证件号码"], COL["姓名"]
    where: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        where.setdefault((r["doc_type"], r["doc_number"]), []).append(r["row"])
    for at in where.values():
        if len(at) > 1:
            for row in at:
                others = "、".join(f"第{x}行" for x in at if x != row)
                sheet.add(
                    row,
                    doc_col,
                    f"证件号码与{others}重复（第{'、'.join(map(str, at))}行为同一证件），同一证件在一个计划中只能报名一次，请删去重复行。",
                )
    live = set(
        Application.objects.filter(plan=plan, status__in=ACTIVE_STATUSES).values_list(
            "candidate__doc_type", "candidate__doc_number"
        )
    )
    existing = existing_candidates(set(where))
    for r in rows:
        key = (r["doc_type"], r["doc_number"])
        if key in live:
            sheet.add(r["row"], doc_col, "该证件已在本计划中报名，同一证件在同一计划只能报名一次。请删去此行。")
        elif key in existing and "".join(existing[key][1].split()) != "".join(r["name"].split()):
            sheet.add(
                r["row"],
                name_col,
                "该证件号码已登记的考生姓名与表中姓名不符，请核对证件；如姓名确有变更请先办理信息更正。",
            )
    return existing
