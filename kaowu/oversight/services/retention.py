"""Archives and retention (ARCH-1): retention classes per record kind as data, the archive index (the fixed
place of each paper record), disposal lists for approval when periods end, and the one guarded deletion path.

A record's period starts on the local date of its kind's `date_field` and ends on the same day N years later
(29 February → 28 February), N being the profile's paper_years / electronic_years; the roster never ends.
Deletion is allowed from the end day on, and only for a record on an approved disposal list; the day before is
refused here with ARCH-1 and, on PostgreSQL, by the database trigger whatever the path.

Disposal list lifecycle: prepared -> approved | rejected (another person than the one who prepared it);
approved -> disposed. Audit events oversight.archive.filed, oversight.disposal.prepared/approved/rejected/done.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.kernel.permissions import require_org_admin, require_org_manager
from kaowu.oversight.enums import DisposalStatus, Retention
from kaowu.oversight.models import ArchiveEntry, DisposalItem, DisposalList, RecordKind
from kaowu.policy.engine import RuleViolation, rule, violation


def years_of(kind: RecordKind) -> int | None:
    """The kind's retention in years from the profile (None: kept forever)."""
    if kind.retention == Retention.FOREVER:
        return None
    return int(rule("ARCH-1")[f"{kind.retention}_years"])


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def start_of(obj: models.Model, kind: RecordKind) -> dt.date:
    value = getattr(obj, kind.date_field)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date()
    return value


def expires_on(obj: models.Model, kind: RecordKind) -> dt.date | None:
    """The first day the record may be disposed of (None: never)."""
    years = years_of(kind)
    return None if years is None else add_years(start_of(obj, kind), years)


def kind_of(obj: models.Model) -> RecordKind | None:
    return RecordKind.objects.filter(label=obj._meta.label_lower).first()


def deletion_violations(obj: models.Model, *, today: dt.date) -> list:
    kind = kind_of(obj)
    if kind is None:
        return []
    ends = expires_on(obj, kind)
    if ends is None:
        return [violation("ARCH-1", message=f"{kind.title}永久保存，不能删除。如有错误，请申请信息更正（CORR-1）。")]
    if today < ends:
        return [
            violation(
                "ARCH-1",
                message=f"{kind.title}须保存{years_of(kind)}年，至{ends:%Y年%m月%d日}期满，期满前不能删除；"
                "期满后请编制销毁清单报批。",
            )
        ]
    return []


def require_deletable(obj: models.Model, *, today: dt.date) -> None:
    problems = deletion_violations(obj, today=today)
    if problems:
        raise RuleViolation(problems)


def file_archive_entry(
    *, actor: Actor, org, kind: RecordKind, description: str, location: str, box: str = "", plan=None
) -> ArchiveEntry:
    """Record where a paper record is kept. ARCH-1: a fixed place must be named."""
    require_org_manager(actor, org.pk)
    if not (location or "").strip():
        raise RuleViolation(
            [violation("ARCH-1", message="归档材料应在固定地点存放，请填写存放地点（如档案室及柜号）。")]
        )
    if not (description or "").strip():
        raise KaowuError("请填写归档的材料名称。", code="description_required", field="description")
    with transaction.atomic():
        entry = ArchiveEntry.objects.create(
            org=org,
            plan=plan,
            kind=kind,
            description=description.strip(),
            location=location.strip(),
            box=box.strip(),
            filed_on=clock.today(),
            filed_by=actor.acting_user,
        )
        audit.record(actor, "oversight.archive.filed", entry, changes={"location": entry.location}, org_id=org.pk)
    return entry


def _expired_rows(kind: RecordKind, org, as_of: dt.date):
    """Rows of one kind of the organisation whose period has ended by `as_of` (start ≤ as_of − N years)."""
    years = years_of(kind)
    if years is None:
        return None
    model = apps.get_model(kind.label)
    cutoff = add_years(as_of, -years)
    field = model._meta.get_field(kind.date_field)
    if isinstance(field, models.DateTimeField):
        bound = timezone.make_aware(dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time()))
        condition = {f"{kind.date_field}__lt": bound}
    else:
        condition = {f"{kind.date_field}__lte": cutoff}
    return model.objects.filter(**{f"{kind.org_path}_id": org.pk, **condition})


def prepare_disposal_list(*, actor: Actor, org, as_of: dt.date | None = None) -> DisposalList:
    """ARCH-1: every record of the organisation whose period has ended by `as_of` (today by default) goes onto
    one list for approval; paper records in the archive index go on it too. Nothing is deleted here."""
    require_org_manager(actor, org.pk)
    as_of = as_of or clock.today()
    with transaction.atomic():
        disposal = DisposalList.objects.create(
            org=org, as_of=as_of, prepared_by=actor.acting_user, prepared_at=clock.now()
        )
        items = []
        for kind in RecordKind.objects.exclude(retention=Retention.FOREVER):
            rows = _expired_rows(kind, org, as_of)
            for row in rows.iterator():
                items.append(
                    DisposalItem(
                        disposal=disposal,
                        kind=kind,
                        object_id=row.pk,
                        label=str(row)[:200],
                        starts_on=start_of(row, kind),
                        expires_on=expires_on(row, kind),
                    )
                )
        for entry in ArchiveEntry.objects.filter(org=org, disposed_at__isnull=True).select_related("kind"):
            years = years_of(entry.kind)
            if years is not None and add_years(entry.filed_on, years) <= as_of:
                items.append(
                    DisposalItem(
                        disposal=disposal,
                        kind=entry.kind,
                        object_id=entry.pk,
                        label=f"档案：{entry}"[:200],
                        starts_on=entry.filed_on,
                        expires_on=add_years(entry.filed_on, years),
                    )
                )
        DisposalItem.objects.bulk_create(items, ignore_conflicts=True)
        audit.record(actor, "oversight.disposal.prepared", disposal, changes={"items": len(items)}, org_id=org.pk)
    return disposal


def _decide(*, actor: Actor, disposal: DisposalList, to: str, note: str) -> DisposalList:
    require_org_admin(actor, disposal.org_id)
    with transaction.atomic():
        disposal = DisposalList.objects.select_for_update().get(pk=disposal.pk)
        if disposal.status != DisposalStatus.PREPARED:
            raise StateError(f"该销毁清单{disposal.get_status_display()}，不能再审批。", code="disposal_decided")
        if actor.acting_user is not None and disposal.prepared_by_id == actor.acting_user.pk:
            raise RuleViolation([violation("ARCH-1", message="销毁清单须由编制人以外的负责人审批。")])
        disposal.status, disposal.decided_by, disposal.decided_at = to, actor.acting_user, clock.now()
        disposal.decision_note = (note or "").strip()[:200]
        disposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit.record(actor, f"oversight.disposal.{to}", disposal, changes={"note": disposal.decision_note})
    return disposal


def approve_disposal(*, actor: Actor, disposal: DisposalList, note: str = "") -> DisposalList:
    return _decide(actor=actor, disposal=disposal, to=DisposalStatus.APPROVED, note=note)


def reject_disposal(*, actor: Actor, disposal: DisposalList, note: str) -> DisposalList:
    return _decide(actor=actor, disposal=disposal, to=DisposalStatus.REJECTED, note=note)


def dispose(*, actor: Actor, disposal: DisposalList) -> dict:
    """Carry out an approved list: paper records marked destroyed in the index, electronic rows deleted — each
    checked again against ARCH-1 on today's date. A row another record still refers to is kept and reported."""
    require_org_admin(actor, disposal.org_id)
    today = clock.today()
    done, kept = 0, []
    with transaction.atomic():
        disposal = DisposalList.objects.select_for_update().get(pk=disposal.pk)
        if disposal.status != DisposalStatus.APPROVED:
            raise RuleViolation([violation("ARCH-1", message="销毁清单未经审批，不能销毁任何材料。")])
        for item in disposal.items.select_related("kind"):
            if item.label.startswith("档案："):
                ArchiveEntry.objects.filter(pk=item.object_id, org_id=disposal.org_id).update(disposed_at=clock.now())
                done += 1
                continue
            row = apps.get_model(item.kind.label).objects.filter(pk=item.object_id).first()
            if row is None:
                continue
            require_deletable(row, today=today)
            try:
                with transaction.atomic():
                    row.delete()
                done += 1
            except (ProtectedError, RestrictedError, IntegrityError):
                kept.append(item.label)
        disposal.status = DisposalStatus.DISPOSED
        disposal.save(update_fields=["status"])
        audit.record(actor, "oversight.disposal.done", disposal, changes={"disposed": done, "kept": kept})
    return {"disposed": done, "kept": kept}


def delete_record(*, actor: Actor, obj: models.Model) -> None:
    """The one deletion path for a kept record: refused (ARCH-1) before its period ends, and afterwards unless it
    is on an approved disposal list (use `dispose`)."""
    require_deletable(obj, today=clock.today())
    raise RuleViolation([violation("ARCH-1", message="保存期满的材料须列入销毁清单并经审批后销毁，不能单独删除。")])
