"""Identity documents (NAT-6, NAT-7): the 18-character GB 11643 scheme and its other document types.

`python-stdnum` rejects the 港澳台 (81/82/83) and new foreign permanent residence (9…) prefixes, so the
check is written here; the region table is only a warning (NAT-6: unknown region → warn).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import models

from kaowu.kernel import clock

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
PATTERN = re.compile(r"^\d{17}[\dX]$")
PASSPORT = re.compile(r"^[A-Z0-9]{5,17}$")
# Province-level codes of GB/T 2260 (first two digits), for the warning only.
PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
    ]
)
HK_MO_TW = ("810000", "820000", "830000")


class DocType(models.TextChoices):
    ID_CARD = "id_card", "居民身份证"
    HK_MO_TW_PERMIT = "hmt_permit", "港澳台居民居住证"
    FOREIGN_PERMANENT = "foreign_pr", "外国人永久居留身份证"
    PASSPORT = "passport", "护照"


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


@dataclass
class IdCheck:
    """The result of checking one document number: normalised number, derived facts, errors and warnings."""

    number: str
    doc_type: str
    birth_date: dt.date | None = None
    sex: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise(raw: str) -> str:
    """Full-width characters to half-width, spaces removed, lower-case x to X (NAT-6)."""
    text = unicodedata.normalize("NFKC", str(raw or ""))
    return re.sub(r"\s+", "", text).upper()


def check_character(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def check(raw: str, doc_type: str = DocType.ID_CARD) -> IdCheck:
    number = normalise(raw)
    result = IdCheck(number=number, doc_type=doc_type)
    if doc_type == DocType.PASSPORT:
        if not PASSPORT.match(number):
            result.errors.append("护照号码应为5–17位字母或数字，请核对证件后重新填写。")
        return result
    if not PATTERN.match(number):
        result.errors.append(f"证件号码应为18位（前17位数字，最后一位数字或X），当前为{len(number)}位「{number}」。")
        return result
    expected = check_character(number[:17])
    if number[17] != expected:
        # The correct character is not told: it would let anyone complete a number they only half know.
        result.errors.append("证件号码校验码错误：最后一位与前17位不对应，请逐位核对证件后重新填写。")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        result.errors.append(f"证件号码中的出生日期「{number[6:14]}」不是有效日期，请核对证件。")
        birth = None
    if birth is not None:
        if birth > clock.today() or birth.year < 1900:
            result.errors.append(f"证件号码中的出生日期{birth:%Y-%m-%d}不合理，请核对证件。")
        else:
            result.birth_date = birth
    result.sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    region = number[:6]
    if doc_type == DocType.HK_MO_TW_PERMIT and region not in HK_MO_TW:
        result.errors.append("港澳台居民居住证号码应以810000（香港）、820000（澳门）或830000（台湾）开头。")
    elif doc_type == DocType.FOREIGN_PERMANENT and not number.startswith("9"):
        result.errors.append("外国人永久居留身份证（2023年版）号码应以9开头。")
    elif doc_type == DocType.ID_CARD and region[:2] not in PROVINCES:
        result.warnings.append(f"证件号码前6位地区码「{region}」不在行政区划代码表中，请再核对一次（不影响提交）。")
    return result
