"""The blank-stock log of pre-printed certificate paper: ranges received, each sheet used (printed with a
certificate) or spoiled (with a reason). `balance` accounts for every sheet: received = used + spoiled + on hand."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from kaowu.certificates.enums import SheetUse
from kaowu.certificates.models import Certificate, StockRange, StockSheet
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.permissions import require_org_manager


def receive(*, actor: Actor, org, first: int, last: int, note: str = "") -> StockRange:
    require_org_manager(actor, org.pk)
    if first < 1 or last < first:
        raise KaowuError("流水号范围不正确：终止流水须不小于起始流水。", code="bad_range", field="last")
    with transaction.atomic():
        overlap = StockRange.objects.select_for_update().filter(org=org, first__lte=last, last__gte=first).first()
        if overlap:
            raise KaowuError(
                f"流水 {first}–{last} 与已入库的 {overlap.first}–{overlap.last} 重叠。", code="range_overlap"
            )
        stock = StockRange.objects.create(
            org=org, first=first, last=last, received_at=clock.now(), received_by=actor.acting_user, note=note
        )
        audit.record(actor, "certificates.stock_received", stock, changes={"first": first, "last": last}, org_id=org.pk)
    return stock


def _sheet(*, actor: Actor, org, serial: int, use: str, certificate: Certificate | None, reason: str) -> StockSheet:
    require_org_manager(actor, org.pk)
    with transaction.atomic():
        stock = StockRange.objects.filter(org=org, first__lte=serial, last__gte=serial).first()
        if stock is None:
            raise KaowuError(f"流水 {serial} 不在本机构已入库的空白证书范围内。", code="not_in_stock", field="serial")
        if StockSheet.objects.filter(org=org, serial=serial).exists():
            raise KaowuError(f"流水 {serial} 已登记过使用或作废，不能重复登记。", code="sheet_used", field="serial")
        sheet = StockSheet.objects.create(
            org=org,
            stock=stock,
            serial=serial,
            use=use,
            certificate=certificate,
            reason=reason,
            at=clock.now(),
            by=actor.acting_user,
        )
        audit.record(
            actor, f"certificates.sheet_{use}", sheet, changes={"serial": serial, "reason": reason}, org_id=org.pk
        )
    return sheet


def use_sheet(*, actor: Actor, org, serial: int, certificate: Certificate) -> StockSheet:
    if certificate.org_id != org.pk:
        raise KaowuError("证书不属于本机构。", code="not_found")
    return _sheet(actor=actor, org=org, serial=serial, use=SheetUse.USED, certificate=certificate, reason="")


def spoil_sheet(*, actor: Actor, org, serial: int, reason: str) -> StockSheet:
    if not (reason or "").strip():
        raise KaowuError("作废空白证书须写明原因（打印错误、污损等）。", code="reason_required", field="reason")
    return _sheet(actor=actor, org=org, serial=serial, use=SheetUse.SPOILED, certificate=None, reason=reason.strip())


@dataclass(frozen=True)
class Balance:
    received: int
    used: int
    spoiled: int

    @property
    def on_hand(self) -> int:
        return self.received - self.used - self.spoiled


def balance(org) -> Balance:
    received = sum(r.last - r.first + 1 for r in StockRange.objects.filter(org=org))
    used = StockSheet.objects.filter(org=org, use=SheetUse.USED).count()
    spoiled = StockSheet.objects.filter(org=org, use=SheetUse.SPOILED).count()
    return Balance(received, used, spoiled)
