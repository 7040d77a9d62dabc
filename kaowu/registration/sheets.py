"""Reading the 33-column upload sheet (national.md, reference forms): the column table, the file checks, the
cells of the first worksheet, merged ranges, and the normalisation of cell values. imports.py runs the import (rows
checked in import_rows.py, written in import_write.py); export_sheet() (exports.py) writes the same columns.

Reading: openpyxl opens the workbook (read-only, cached formula values), which proves the file is a real .xlsx
and gives the shared strings and date styles. The cells are then read by `_fast_rows`, a scanner of the sheet's
XML that yields what openpyxl's read-only `iter_rows(values_only=True)` yields, ~6× faster: for the 10,000 rows
of bench/import_10k.py openpyxl alone needs ~4 s of CPU on the 2-core machine, more than the whole 5 s budget
under load, the scanner ~0.6 s. XML it does not expect (CDATA, comments, single-quoted attributes, unknown cell
types) is handed to openpyxl's own reader; tests compare both readers. Merged cells are found in the same XML
(read-only openpyxl does not report them), in its tail after </sheetData>: no second pass over the file.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator
from functools import lru_cache

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601

COLUMNS = (
    "序号",
    "职业工种名称",
    "认定等级",
    "申报条件",
    "证件类型",
    "证件号码",
    "姓名",
    "性别",
    "出生日期",
    "手机号码",
    "是否有职业资格证书",
    "证书等级",
    "证书编号",
    "文化程度",
    "所在省（市）区",
    "考生来源",
    "所在单位",
    "报名单位",
    "认定分类",
    "专业",
    "考试类型",
    "民族",
    "参加工作时间",
    "电子邮箱",
    "专业年限",
    "户籍所在地",
    "政治面貌",
    "学历证书编号",
    "简要经历",
    "通讯地址",
    "证书领取方式",
    "邮政编码",
    "邮寄地址",
)
LETTERS = [get_column_letter(i + 1) for i in range(len(COLUMNS))]
COL = {name: i for i, name in enumerate(COLUMNS)}

LEVELS = {"五级": 5, "四级": 4, "三级": 3, "二级": 2, "一级": 1}
LEVEL_WORDS = {
    **LEVELS,
    **{f"{n}级": n for n in range(1, 6)},
    "初级工": 5,
    "中级工": 4,
    "高级工": 3,
    "技师": 2,
    "高级技师": 1,
    "初级": 5,
    "中级": 4,
    "高级": 3,
}

MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED = 150 * 1024 * 1024  # ~80,000 rows; a 20 MB upload may not expand into gigabytes (zip bomb)

DATE_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
MONTH_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


# ── cells ────────────────────────────────────────────────────────────────────────────────────────────────────


def raw_text(value) -> str:
    """A cell's value as the text a person typed: numbers without a trailing .0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return str(value)


def fold(value) -> str:
    """Codes, numbers, dates and choices: NFKC (full-width to half-width), invisible characters and all spaces
    (U+3000, no-break space) removed."""
    return fold_text(value if type(value) is str else raw_text(value))


@lru_cache(maxsize=8192)  # a sheet repeats its choices (五级, 居民身份证, 男 …) thousands of times
def fold_text(text: str) -> str:
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        if INVISIBLE_RE.search(text):
            text = INVISIBLE_RE.sub("", text)
    return "".join(text.split())


def tidy(value, *, keep_lines: bool = False) -> str:
    """Free text: stray spaces trimmed and runs of spaces made one; the wording itself is kept."""
    text = value if type(value) is str else raw_text(value)
    if keep_lines:
        text = INVISIBLE_RE.sub("", text)
        return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    return tidy_text(text)


@lru_cache(maxsize=8192)
def tidy_text(text: str) -> str:
    if not text.isascii() and INVISIBLE_RE.search(text):
        text = INVISIBLE_RE.sub("", text)
    return " ".join(text.split())


def tidy_name(value) -> str:
    """Names: full-width Latin letters made half-width (other characters untouched, so a rare character of a
    name is not replaced by NFKC); spaces inside a Chinese name removed."""
    text = raw_text(value)
    if not text.isascii():
        text = INVISIBLE_RE.sub("", text).translate(FULL_WIDTH)
    text = " ".join(text.split())
    return text if any(c.isascii() and c.isalpha() for c in text) else text.replace(" ", "")


def parse_level(text: str) -> int | None:
    """五级 / 初级工 / 五级/初级工 / 五级（初级工） -> 5; None when unknown or contradictory."""
    if text in LEVEL_WORDS:
        return LEVEL_WORDS[text]
    parts = [p for p in re.split(r"[/、()（）\\|]+", text) if p]
    found = {LEVEL_WORDS.get(p) for p in parts}
    return found.pop() if parts and len(found) == 1 and None not in found else None


def parse_date(value, *, month_ok: bool = False) -> dt.date | None:
    """An Excel date or text 2026-01-05, 2026/1/5, 2026年1月5日, 20260105 (and 2015-03 when month_ok)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 19000101 <= value <= 21001231 and float(value).is_integer():
            value = str(int(value))
        elif 10000 <= value <= 80000:  # an Excel serial day (1927–2119) in a cell without a date format
            return from_excel(value).date()
        else:
            return None
    text = fold(value)
    m = DATE_TEXT.match(text) or DATE_COMPACT.match(text)
    if m is None and month_ok:
        m = MONTH_TEXT.match(text)
    if m is None:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.re is not MONTH_TEXT else 1
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# ── the file ─────────────────────────────────────────────────────────────────────────────────────────────────


class FileRefused(Exception):
    pass


SAVE_AS = "请在Excel或WPS中打开后“另存为”Excel工作簿（.xlsx）再上传。"


def _open_workbook(content: bytes, filename: str, *, max_bytes: int = MAX_BYTES):
    """The workbook, opened read-only by openpyxl, or FileRefused with a message saying what to do."""
    if len(content) > max_bytes:
        raise FileRefused(
            f"文件「{filename}」为{len(content) / 1024 / 1024:.1f}MB，超过{max_bytes // 1024 // 1024}MB上限，请分成几个文件导入。"
        )
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(f"文件「{filename}」是旧版Excel 97-2003（.xls）格式，系统只接受.xlsx。{SAVE_AS}")
    if content.startswith(b"%PDF-"):
        raise FileRefused(f"文件「{filename}」是PDF文件，不是Excel表格。请上传考生信息上传模板（.xlsx）。")
    if not content.startswith(b"PK\x03\x04"):
        raise FileRefused(f"文件「{filename}」不是Excel工作簿（.xlsx），可能是CSV或改了扩展名的其他文件。{SAVE_AS}")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
        if unzipped > MAX_UNZIPPED:
            raise FileRefused(f"文件「{filename}」解压后超过{MAX_UNZIPPED // 1024 // 1024}MB，请分成几个文件导入。")
        with warnings.catch_warnings():  # openpyxl warns about features it drops (data validation, styles)
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except FileRefused:
        raise
    except Exception as exc:  # openpyxl raises many kinds (BadZipFile, KeyError, InvalidFileException …)
        raise FileRefused(f"文件「{filename}」无法作为Excel工作簿（.xlsx）打开，文件可能已损坏。{SAVE_AS}") from exc


def _tokens(prefix: str) -> re.Pattern:
    """One pass over <sheetData>: a row start, a cell with its attributes in the usual order (r, s, t: what
    Excel, WPS and openpyxl write) and its plain inline text or value captured, or any other cell (attributes
    parsed one by one, content by the slower path)."""
    return re.compile(
        rf"<{prefix}(?:(row)\b([^>]*)>"
        rf'|c(?: r="([A-Z]{{1,3}})\d+")?(?: s="(\d+)")?(?: t="(\w+)")? ?'
        rf"(?:/>|>(?:<is><t>([^<]*)</t></is>|<v>([^<]*)</v>|(.*?))</{prefix}c>)"
        rf"|c\b([^>]*?)(?:/>|>(.*?)</{prefix}c>))",
        re.S,
    )


_P = r"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix (x:row, x:c) some generators write
TOKENS, TOKENS_PREFIXED = _tokens(""), _tokens(_P)
ATTRS = re.compile(r'([\w:]+)="([^"]*)"')
T_TEXT = re.compile(rf"<{_P}t(?:\s[^>]*)?>(.*?)</{_P}t>", re.S)
V_TEXT = re.compile(rf"<{_P}v(?:\s[^>]*)?>(.*?)</{_P}v>", re.S)
PHONETIC = re.compile(rf"<{_P}rPh\b.*?</{_P}rPh>", re.S)
SHEET_DATA = re.compile(rf"<({_P})sheetData\b[^>]*?(/?)>")
MERGE = re.compile(rf"<{_P}mergeCell\b[^>]*?\bref=\"([^\"]+)\"")
ROW_NUMBER = re.compile(r'\br="(\d+)"')
UNEXPECTED = ("<![CDATA[", "<!--")
SINGLE_QUOTED = re.compile(r"<[^<>]*='")  # an attribute in single quotes (text cannot hold a raw "<")


class _Unexpected(Exception):
    pass


def _xml_text(text: str) -> str:
    if "&" in text:
        text = html.unescape(text)
    return text.replace("\r\n", "\n") if "\r" in text else text


def _fast_rows(wb, ws, xml: str, start: int, end: int, *, prefixed: bool) -> Iterator[tuple[int, list]]:
    """(row number, values) for each row in the sheet XML between start and end; _Unexpected when the XML has
    something this scanner does not handle, so the caller falls back to openpyxl."""
    strings = ws._shared_strings
    date_styles, span_styles, epoch = wb._date_formats, wb._timedelta_formats, wb.epoch
    tokens = (TOKENS_PREFIXED if prefixed else TOKENS).findall(xml, start, end)
    try:
        yield from _scan(tokens, strings, date_styles, span_styles, epoch)
    except (ValueError, IndexError, KeyError, OverflowError) as exc:  # a corrupt cell: let openpyxl judge it
        raise _Unexpected from exc


def _scan(tokens, strings, date_styles, span_styles, epoch) -> Iterator[tuple[int, list]]:
    """Cell values from the tokens, converted as openpyxl converts them (numbers, shared strings, dates …)."""
    columns: dict[str, int] = {}
    row_no, values = 0, None
    for is_row, row_attrs, letters, style, kind, inline, text, inner, attrs, other in tokens:
        if is_row:
            if values is not None:
                yield row_no, values
            number = ROW_NUMBER.search(row_attrs)
            row_no = int(number.group(1)) if number else row_no + 1
            values = []
            continue
        if values is None:
            raise _Unexpected
        if attrs or other:  # attributes in another order, or others besides r, s, t
            a = dict(ATTRS.findall(attrs))
            letters = a.get("r", "").rstrip("0123456789")
            style, kind, inner = a.get("s", ""), a.get("t", ""), other
        if letters:
            col = columns.get(letters)
            if col is None:
                col = columns[letters] = column_index_from_string(letters) - 1
        else:
            col = len(values)
        if col >= len(values):
            values.extend([None] * (col + 1 - len(values)))
        if inline:
            values[col] = _xml_text(inline) if "&" in inline or "\r" in inline else inline
            continue
        if inner:
            if kind == "inlineStr":
                inner = PHONETIC.sub("", inner) if "rPh" in inner else inner
                values[col] = _xml_text("".join(T_TEXT.findall(inner)))
                continue
            found = V_TEXT.search(inner)
            text = found.group(1) if found else ""
        if not text:
            continue
        if kind == "s":
            value = strings[int(text)]
        elif kind == "n" or not kind:
            value = float(text) if ("." in text or "e" in text or "E" in text) else int(text)
            if style and int(style) in date_styles:
                try:
                    value = from_excel(value, epoch, timedelta=int(style) in span_styles)
                except (OverflowError, ValueError):
                    value = "#VALUE!"
        elif kind == "str" or kind == "e" or kind == "inlineStr":
            value = _xml_text(text)
        elif kind == "b":
            value = bool(int(text))
        elif kind == "d":
            value = from_ISO8601(text)
        else:
            raise _Unexpected
        values[col] = value
    if values is not None:
        yield row_no, values


def read_sheet(
    content: bytes, filename: str, *, max_bytes: int = MAX_BYTES
) -> tuple[list[str], Iterator[tuple[int, list]], int]:
    """Merged ranges, the rows, and the row count the sheet declares (for progress); files over `max_bytes` are
    refused."""
    wb = _open_workbook(content, filename, max_bytes=max_bytes)
    if not wb.worksheets:
        raise FileRefused(f"文件「{filename}」中没有工作表。请使用考生信息上传模板。")
    ws = wb.worksheets[0]
    raw = wb._archive.read(ws._worksheet_path)
    try:
        xml = raw.decode("utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8")
    except UnicodeDecodeError as exc:
        wb.close()
        raise FileRefused(f"文件「{filename}」的工作表编码无法识别。{SAVE_AS}") from exc
    declared = ws.max_row or 0
    begin = SHEET_DATA.search(xml)
    if begin is None or begin.group(2):
        wb.close()
        return MERGE.findall(xml), iter(()), 0
    start = begin.end()
    # The schema puts <mergeCells> after </sheetData>: search only the tail, from the last "sheetData>".
    end = xml.rfind("<", start, max(xml.rfind("sheetData>"), start))
    end = end if end > start else len(xml)
    merged = MERGE.findall(xml, end)

    def rows() -> Iterator[tuple[int, list]]:
        done = 0  # the last row handed out: openpyxl takes over after it if the scanner gives up
        try:
            if any(xml.find(marker, start, end) != -1 for marker in UNEXPECTED) or (
                xml.find("='", start, end) != -1 and SINGLE_QUOTED.search(xml, start, end)
            ):
                raise _Unexpected
            for number, values in _fast_rows(wb, ws, xml, start, end, prefixed=bool(begin.group(1))):
                done = number
                yield number, values
        except _Unexpected:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for number, values in enumerate(ws.iter_rows(min_row=done + 1, values_only=True), start=done + 1):
                    yield number, list(values)
        finally:
            wb.close()

    def guarded() -> Iterator[tuple[int, list]]:
        try:
            yield from rows()
        except Exception as exc:  # a corrupt sheet fails inside openpyxl in many ways (IndexError, KeyError …)
            raise FileRefused(f"文件「{filename}」的工作表内容已损坏，无法读取。{SAVE_AS}") from exc

    return merged, guarded(), declared
