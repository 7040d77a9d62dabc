"""Certificate numbers (NAT-1, NAT-2, CERT-1): 22 characters, `^[SY]\\d{21}$` —

    pos 1 kind (S/Y) · 2–5 人社部 code · 6–7 province · 8–13 provincial serial · 14–15 year · 16 level · 17–22 seq

The sequence runs per (positions 1–13, year, level), gap-free and never reused. `draw` takes the counter row
under a row lock (select_for_update on PostgreSQL; SQLite's IMMEDIATE transactions hold the write lock) inside
the caller's transaction, so numbers drawn by a transaction that rolls back are drawn again by the next one:
no gap. `check_imported` accepts a number from the municipal system after checking its format and that its
year and level digits agree with the certificate's."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import F

from kaowu.certificates.models import NumberCounter
from kaowu.kernel.enums import Level
from kaowu.policy.engine import RuleViolation, rule, violation

SEQ_MAX = 999_999


def _nat1(message: str, **values) -> RuleViolation:
    return RuleViolation([violation("NAT-1", message=message, **values)], field="number")


def check_format(number: str) -> str:
    """The number stripped, or refusal naming what is wrong (NAT-1)."""
    number = (number or "").strip().upper()
    if len(number) != 22:
        raise _nat1(
            "证书编号「{n}」为{k}位，应为22位（类型1位+机构代码12位+年份2位+等级1位+流水号6位）。请核对后重新录入。",
            n=number,
            k=len(number),
        )
    if number[0] not in "SY":
        raise _nat1(
            "证书编号「{n}」首位「{c}」不正确：首位应为S（社会培训评价组织）或Y（用人单位）。", n=number, c=number[0]
        )
    if not re.fullmatch(rule("NAT-1")["pattern"], number):
        raise _nat1("证书编号「{n}」第2–22位须全为数字。", n=number)
    if number[15] not in "12345":
        raise _nat1("证书编号「{n}」第16位（等级）应为1–5。", n=number)
    if number[16:] == "000000":
        raise _nat1("证书编号「{n}」流水号不能为000000。", n=number)
    return number


def prefix_of(org) -> str:
    """Positions 1–13 (NAT-1) from the organisation's filed kind, codes and serial."""
    prefix = org.certificate_prefix
    if not re.fullmatch(r"[SY]\d{12}", prefix):
        raise _nat1(
            "机构「{o}」的证书编号前缀「{p}」不完整：请先在机构信息中填写人社部机构代码、省级代码和6位机构序号。",
            o=org.full_name,
            p=prefix,
        )
    return prefix


def compose(prefix: str, year: int, level: int, seq: int) -> str:
    return f"{prefix}{year % 100:02d}{int(level)}{seq:06d}"


def draw(*, prefix: str, year: int, level: int, count: int = 1, org_id: int | None = None) -> list[str]:
    """`count` consecutive numbers for (prefix, year, level); must run inside the issuer's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbering.draw must run inside transaction.atomic()")
    Level(level)
    yy = year % 100
    counter = NumberCounter.objects.select_for_update().filter(prefix=prefix, year=yy, level=level).first()
    if counter is None:
        try:
            with transaction.atomic():
                NumberCounter.objects.create(prefix=prefix, year=yy, level=level, last=0, org_id=org_id)
        except IntegrityError:
            pass  # another issuer created it first
        counter = NumberCounter.objects.select_for_update().get(prefix=prefix, year=yy, level=level)
    first = counter.last + 1
    if counter.last + count > SEQ_MAX:
        raise _nat1(
            "{y}年{l}级证书流水号已用至{last}，剩余不足{n}个（最大999999）。", y=yy, l=level, last=counter.last, n=count
        )
    NumberCounter.objects.filter(pk=counter.pk).update(last=F("last") + count)
    return [compose(prefix, yy, level, s) for s in range(first, first + count)]


def check_imported(number: str, *, prefix: str, year: int, level: int) -> str:
    """A number from the municipal system (NAT-2): format, this organisation's prefix, year and level agree."""
    number = check_format(number)
    if number[:13] != prefix:
        raise RuleViolation(
            [
                violation(
                    "NAT-2",
                    message="导入的证书编号「{n}」前13位「{p}」与本机构编号前缀「{q}」不一致。",
                    n=number,
                    p=number[:13],
                    q=prefix,
                )
            ],
            field="number",
        )
    if number[13:15] != f"{year % 100:02d}":
        raise RuleViolation(
            [
                violation(
                    "NAT-2",
                    message="导入的证书编号「{n}」第14–15位年份「{y}」与发证年份{z}不一致。",
                    n=number,
                    y=number[13:15],
                    z=year,
                )
            ],
            field="number",
        )
    if number[15] != str(int(level)):
        raise RuleViolation(
            [
                violation(
                    "NAT-2",
                    message="导入的证书编号「{n}」第16位等级「{d}」与认定等级「{l}」（应为{e}）不一致。",
                    n=number,
                    d=number[15],
                    l=Level(level).label,
                    e=int(level),
                )
            ],
            field="number",
        )
    return number
