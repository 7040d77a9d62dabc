"""Import of candidates and applications from the 33-column upload sheet (national.md, reference forms).

    upload ──preview_import──▶ preview ──commit_import──▶ committed
                    └────────▶ refused ◀──────┘ (re-check failed: nothing written)

A sheet is checked whole and every problem is listed with its Excel row and column (REG-1, NAT-5, NAT-6,
NAT-7, PLAN-7, REG-6); it is written whole or not at all. export_sheet() (exports.py) writes the same shape.

Reading the file (the column table, the fast cell scanner and its openpyxl fall-back, merged cells, cell
normalisation) is sheets.py; this module checks the header and the rows against the plan, then writes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connections, router, transaction
from openpyxl.utils import column_index_from_string, get_column_letter

from kaowu.core import audit
from kaowu.core.actors import Actor
from kaowu.core.enums import LEVEL_SHORT
from kaowu.core.errors import KaowuError, StateError
from kaowu.core.permissions import require_org_manager
from kaowu.plans.models import BatchPlan
from kaowu.policy import clock
from kaowu.policy.engine import enforce
from kaowu.registration import idcard
from kaowu.registration.enums import ACTIVE_STATUSES, ApplicationStatus, Category, ExamType, ImportStatus
from kaowu.registration.enums import QualificationKind as QK
from kaowu.registration.evidence import detect_certificate_format
from kaowu.registration.models import Application, Candidate, ImportBatch, Qualification
from kaowu.registration.services import entry_problems, level_problems
from kaowu.registration.sheets import (
    COL,
    COLUMNS,
    MAX_BYTES,
    _FileRefused,
    _fold,
    _raw_text,
    _sheet,
    _tidy,
    fold,
    parse_date,
    parse_level,
    tidy,
    tidy_name,
)
from kaowu.registration.sheets import LETTERS as LETTERS  # exports.py takes the column letters from here

Progress = Callable[[int, int], None]

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

MAX_ROWS = 50_000
MAX_ERRORS = 5_000  # all errors are counted; this many are kept, so a sheet of garbage cannot fill the database
PROGRESS_EVERY = 500
SQL_CHUNK = 900  # parameters per IN (...) query: under SQLite's 999

PHONE = re.compile(r"^1\d{10}$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
POSTAL = re.compile(r"^\d{6}$")
SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.I)


# ── the sheet: errors, header, merged cells ──────────────────────────────────────────────────────────────────


@dataclass
class ParsedSheet:
    """A sheet read and checked: its normalised rows (JSON-ready) and every error found."""

    filename: str
    sha256: str
    rows: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    row_count: int = 0
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, row: int | None, col: int | None, message: str, *, name: str | None = None) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(
                {
                    "row": row,
                    "column": get_column_letter(col + 1) if col is not None else "",
                    "field": name
                    if name is not None
                    else (COLUMNS[col] if col is not None and col < len(COLUMNS) else ""),
                    "message": message,
                }
            )


def _header_key(value) -> str:
    return fold(value).strip("*")


HEADER_KEYS = [_header_key(name) for name in COLUMNS]


def _check_header(sheet: ParsedSheet, row: int, values: list) -> bool:
    got = [_header_key(v) for v in values]
    while got and not got[-1]:
        got.pop()
    if got == HEADER_KEYS:
        return True
    template = "请使用33列的考生信息上传模板，列名和顺序不要改动。"
    missing = [name for name, key in zip(COLUMNS, HEADER_KEYS, strict=True) if key not in got]
    seen: set[str] = set()
    extra = []
    for i, key in enumerate(got):
        if key not in HEADER_KEYS or key in seen:
            extra.append(i)
        seen.add(key)
    for name in missing:
        sheet.add(row, None, f"表头缺少「{name}」列。{template}", name=name)
    for i in extra:
        shown = _raw_text(values[i]).strip() or "（空白表头）"
        sheet.add(row, i, f"表头多出「{shown}」列（第{get_column_letter(i + 1)}列）。{template}", name=shown)
    if not missing and not extra:
        for i, (key, want) in enumerate(zip(got, HEADER_KEYS, strict=True)):
            if key != want:
                shown = _raw_text(values[i]).strip()
                sheet.add(row, i, f"第{get_column_letter(i + 1)}列应为「{COLUMNS[i]}」，实际为「{shown}」。{template}")
    return False


def _merged_errors(sheet: ParsedSheet, ranges: list[str]) -> None:
    for ref in ranges:
        first = ref.split(":")[0]
        letters = first.rstrip("0123456789")
        col = column_index_from_string(letters) - 1
        sheet.add(
            int(first[len(letters) :] or 0),
            col,
            f"单元格区域 {ref} 是合并单元格。请取消合并，每个考生一行、每个单元格单独填写后重新上传。",
            name=COLUMNS[col] if col < len(COLUMNS) else "",
        )


# ── rows ─────────────────────────────────────────────────────────────────────────────────────────────────────


class _RowChecker:
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
        f = [_fold(x) if type(x) is str else "" if x is None else fold(x) for x in v]
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
            out[key] = _tidy(x) if type(x) is str and key != "experience" else tidy(x, keep_lines=key == "experience")

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


def _years(text: str) -> str | None:
    """专业年限 as a string with one decimal (3, 3.5, 3年), or None when not a number of years 0–60."""
    try:
        years = Decimal(text.removesuffix("年")).quantize(Decimal("0.1"))
    except InvalidOperation:
        return None
    return str(years) if Decimal(0) <= years <= Decimal(60) else None


def _existing_candidates(keys: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, str]]:
    """(doc_type, doc_number) -> (candidate id, name) of those already registered, SQL_CHUNK numbers a query."""
    numbers = sorted({number for _, number in keys})
    found = {}
    for i in range(0, len(numbers), SQL_CHUNK):
        rows = Candidate.objects.filter(doc_number__in=numbers[i : i + SQL_CHUNK]).values_list(
            "id", "doc_type", "doc_number", "name"
        )
        found.update({(t, n): (pk, name) for pk, t, n, name in rows if (t, n) in keys})
    return found


def _plan_conflicts(sheet: ParsedSheet, plan: BatchPlan, rows: list[dict]) -> dict:
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
    existing = _existing_candidates(set(where))
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


def parse_sheet(*, content: bytes, filename: str, plan: BatchPlan, progress: Progress | None = None) -> ParsedSheet:
    """Read and check a 33-column sheet for `plan`: the file, its header, merged cells, then every row
    (REG-1, NAT-5, NAT-6, NAT-7, PLAN-7). Collects all errors; writes nothing."""
    sheet = ParsedSheet(filename=filename, sha256=hashlib.sha256(content).hexdigest())
    try:
        # imports.MAX_BYTES, the one upload limit: the API checks an upload against it before reading
        merged, rows, declared = _sheet(content, filename, max_bytes=MAX_BYTES)
    except _FileRefused as exc:
        sheet.add(None, None, str(exc), name="")
        return sheet
    checker = _RowChecker(sheet, plan)
    try:
        return _check_rows(sheet, checker, rows, merged, declared, progress)
    except _FileRefused as exc:
        rows.close()
        sheet.errors, sheet.error_count, sheet.row_count = [], 0, 0
        sheet.add(None, None, str(exc), name="")
        return sheet


def _check_rows(
    sheet: ParsedSheet, checker: _RowChecker, rows, merged: list[str], declared: int, progress: Progress | None
) -> ParsedSheet:
    header_row = None
    checked: list[dict] = []
    width = len(COLUMNS)
    for number, values in rows:
        if not any(values):  # empty cells, or only formatting left on the row
            continue
        if header_row is None:
            if not any(_raw_text(v).strip() for v in values):
                continue
            header_row = number
            if not _check_header(sheet, number, values) or merged:
                _merged_errors(sheet, merged)
                rows.close()
                return sheet
            continue
        values = values[:width] if len(values) >= width else values + [None] * (width - len(values))
        row = checker.check(number, values)
        if row is None:  # only spaces
            continue
        sheet.row_count += 1
        if sheet.row_count > MAX_ROWS:
            rows.close()
            sheet.add(None, None, f"数据超过{MAX_ROWS}行，请分成几个文件导入。", name="")
            return sheet
        if row["doc_type"] and row["doc_number"]:
            checked.append(row)
        if progress and sheet.row_count % PROGRESS_EVERY == 0:
            progress(sheet.row_count, max(declared - header_row, sheet.row_count))
    if header_row is None:
        sheet.add(None, None, "表格是空的：第一个工作表中没有表头和考生数据。请使用考生信息上传模板。", name="")
        return sheet
    if sheet.row_count == 0:
        sheet.add(header_row + 1, None, "表格只有表头，没有考生数据。", name="")
    _plan_conflicts(sheet, checker.plan, checked)
    if progress:
        progress(sheet.row_count, sheet.row_count)
    sheet.errors.sort(key=lambda e: (e["row"] or 0, len(e["column"]), e["column"]))
    if sheet.error_count > len(sheet.errors):
        sheet.errors.append(
            {
                "row": None,
                "column": "",
                "field": "",
                "message": f"共{sheet.error_count}处错误，以上列出前{MAX_ERRORS}处。",
            }
        )
    sheet.rows = checked if sheet.ok else []
    return sheet


# ── preview and commit ───────────────────────────────────────────────────────────────────────────────────────


def _raise_entry_problems(plan: BatchPlan) -> None:
    problems = entry_problems(plan, today=clock.today())
    enforce([p for p in problems if not isinstance(p, KaowuError)])
    if problems:
        raise problems[0]


def _plan_for_import(plan_id: int, *, lock: bool = False) -> BatchPlan:
    plans = BatchPlan.objects.select_related("org", "occupation", "work_type", "standard")
    return (plans.select_for_update() if lock else plans).get(pk=plan_id)


def preview_import(
    *, actor: Actor, plan: BatchPlan, filename: str, content: bytes, progress: Progress | None = None
) -> ImportBatch:
    """Read and check an uploaded sheet; keep the result as an ImportBatch to show before committing.

    -> preview (normalised rows kept) or refused (every error kept). Nothing else is written. Organisation
    managers only; blocks REG-6 (entry closed). Writes audit event registration.import.previewed or .refused.
    """
    require_org_manager(actor, plan.org_id)
    plan = _plan_for_import(plan.pk)
    _raise_entry_problems(plan)
    filename = (filename or "").replace("\\", "/").rsplit("/", 1)[-1][:200] or "未命名.xlsx"
    sheet = parse_sheet(content=content, filename=filename, plan=plan, progress=progress)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            plan=plan,
            filename=filename,
            sha256=sheet.sha256,
            status=ImportStatus.PREVIEW if sheet.ok else ImportStatus.REFUSED,
            row_count=sheet.row_count,
            errors=sheet.errors,
            rows=sheet.rows,
            created_by=actor.acting_user,
            created_at=clock.now(),
        )
        audit.record(
            actor,
            "registration.import.previewed" if sheet.ok else "registration.import.refused",
            batch,
            org_id=plan.org_id,
            changes={
                "rows": [None, sheet.row_count],
                "errors": [None, sheet.error_count],
                "sha256": [None, batch.sha256],
            },
        )
    return batch


class _Refused(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__(errors[0]["message"] if errors else "")
        self.errors = errors


def _sheet_error(message: str) -> dict:
    return {"row": None, "column": "", "field": "", "message": message}


def commit_import(*, actor: Actor, batch: ImportBatch) -> ImportBatch:
    """Write a previewed sheet, all or nothing: candidates (an existing one, by document, is reused and its own
    record left as it is), submitted applications and declared certificates.

    preview -> committed; preview -> refused when a re-check fails (entry closed since, REG-6; the same document
    applied to the plan since the preview; a row conflicting with another writer). Writes one audit event,
    registration.import.committed, with the counts and the file's sha256 (or .refused with the reasons).
    """
    require_org_manager(actor, batch.plan.org_id)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if batch.status != ImportStatus.PREVIEW:
                raise StateError(
                    f"导入批次「{batch.filename}」当前为「{batch.get_status_display()}」，不能再导入。请重新上传。",
                    code="import_not_preview",
                )
            plan = _plan_for_import(batch.plan_id, lock=True)
            problems = entry_problems(plan, today=clock.today())
            if problems:
                raise _Refused([_sheet_error(problems[0].message)])
            check = ParsedSheet(filename=batch.filename, sha256=batch.sha256)
            checker = _RowChecker(check, plan)
            for level in sorted({r["level"] for r in batch.rows}):
                if problem := checker.level_problem(level):
                    check.add(None, COL["认定等级"], problem)
            existing = _plan_conflicts(check, plan, batch.rows)
            if not check.ok:
                raise _Refused(check.errors)
            counts = _write(actor=actor, plan=plan, batch=batch, existing=existing)
            batch.status = ImportStatus.COMMITTED
            batch.committed_at = clock.now()
            # The rows now live as candidates and applications; keep no second copy of the ID numbers.
            batch.rows = []
            batch.save(update_fields=["status", "committed_at", "rows"])
            audit.record(
                actor,
                "registration.import.committed",
                batch,
                org_id=plan.org_id,
                changes={**{k: [None, v] for k, v in counts.items()}, "sha256": [None, batch.sha256]},
            )
    except _Refused as exc:
        return _refuse(actor, batch, exc.errors)
    except IntegrityError:
        return _refuse(
            actor,
            batch,
            [
                _sheet_error(
                    "导入时有其他人同时登记或报名了表中的证件，本次未写入任何数据。请重新上传预览后再确认导入。"
                )
            ],
        )
    return batch


def _refuse(actor: Actor, batch: ImportBatch, errors: list[dict]) -> ImportBatch:
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        batch.status = ImportStatus.REFUSED
        batch.errors = errors
        batch.save(update_fields=["status", "errors"])
        audit.record(
            actor,
            "registration.import.refused",
            batch,
            org_id=batch.plan.org_id,
            changes={"status": [ImportStatus.PREVIEW, ImportStatus.REFUSED], "errors": [None, len(errors)]},
        )
    return batch


PREPARED_TYPES = frozenset({"DateField", "DateTimeField", "DecimalField", "JSONField", "TimeField", "UUIDField"})


def _insert_rows(model, rows: list[dict], constants: dict) -> None:
    """INSERT `rows` (attname -> value) of `model`, with `constants` and the model's defaults for the rest.

    What bulk_create does, without its per-row, per-field cost: every value is prepared by its field
    (get_db_prep_save), but constants and defaults once per column, repeated values once, and plain text and
    integers not at all. bench/import_10k.py: 10,000 candidates and applications take ~0.4 s this way against
    ~3 s through bulk_create, which alone would break the 5 s goal. No signals are sent, as with bulk_create.
    """
    if not rows:
        return
    conn = connections[router.db_for_write(model)]
    varying, fixed = [], []
    for f in model._meta.concrete_fields:
        if f.attname in rows[0]:
            varying.append((f, _preparer(f, conn) if f.get_internal_type() in PREPARED_TYPES else None))
        elif not f.primary_key:
            value = constants[f.attname] if f.attname in constants else f.get_default()
            fixed.append((f, f.get_db_prep_save(value, conn)))
    columns = ", ".join(conn.ops.quote_name(f.column) for f, _ in varying + fixed)
    table = conn.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * (len(varying) + len(fixed)))})"
    tail = tuple(value for _, value in fixed)
    names = [(f.attname, prepare) for f, prepare in varying]
    params = [tuple(r[a] if prepare is None else prepare(r[a]) for a, prepare in names) + tail for r in rows]
    with conn.cursor() as cursor:
        for i in range(0, len(params), 2000):
            cursor.executemany(sql, params[i : i + 2000])


def _preparer(f, conn) -> Callable:
    seen: dict = {}

    def prepare(value):
        try:
            return seen[value]
        except KeyError:
            seen[value] = prepared = f.get_db_prep_save(value, conn)
            return prepared
        except TypeError:  # unhashable (a JSON value)
            return f.get_db_prep_save(value, conn)

    return prepare


def _write(*, actor: Actor, plan: BatchPlan, batch: ImportBatch, existing: dict) -> dict:
    """Candidates, applications and certificates of a checked batch; one INSERT statement per table and chunk."""
    rows, now, user = batch.rows, clock.now(), actor.acting_user
    ids = {key: pk for key, (pk, _) in existing.items()}
    new = [r for r in rows if (r["doc_type"], r["doc_number"]) not in ids]
    people = [{k: r[k] for k in CANDIDATE_FIELDS} for r in new]
    for person in people:
        person["birth_date"] = _date(person["birth_date"])
        person["work_start_date"] = _date(person["work_start_date"])
    _insert_rows(Candidate, people, {"created_at": now})
    ids.update(
        {key: pk for key, (pk, _) in _existing_candidates({(r["doc_type"], r["doc_number"]) for r in new}).items()}
    )
    apps = []
    for r in rows:
        app = {k: r[k] for k in APPLICATION_FIELDS}
        app["years_in_specialty"] = Decimal(r["years_in_specialty"]) if r["years_in_specialty"] else None
        app["candidate_id"] = ids[(r["doc_type"], r["doc_number"])]
        apps.append(app)
    _insert_rows(
        Application,
        apps,
        {
            "plan_id": plan.pk,
            "standard_id": plan.standard_id,
            "status": ApplicationStatus.SUBMITTED,
            "submitted_at": now,
            "created_at": now,
            "created_by_id": user.pk if user else None,
            "import_batch_id": batch.pk,
        },
    )
    app_ids = dict(Application.objects.filter(import_batch=batch).values_list("candidate_id", "id"))
    certificates = [
        {
            "application_id": app_ids[app["candidate_id"]],
            "level": r["certificate_level"],
            "number": r["certificate_number"],
            "number_format": r["certificate_format"],
        }
        for app, r in zip(apps, rows, strict=True)
        if r["certificate_number"]
    ]
    _insert_rows(Qualification, certificates, {"kind": QK.CERTIFICATE})
    return {
        "applications": len(apps),
        "candidates_created": len(new),
        "candidates_reused": len(rows) - len(new),
        "certificates": len(certificates),
    }


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
