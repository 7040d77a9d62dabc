"""Sealing, custody and opening of papers (DAY-3, BJ Annex 4 §三, Annex 5), and the audit of every view of
item content.

    assembled --sign_seal (1st person)--> sealing --sign_seal (2nd person)--> sealed
    sealed --sign_opening (1st, in the room, from S−5 on the exam day)--> opening --(2nd person)--> opened
    assembled --discard--> discarded

Sealing records the content hash and a seal number and writes the first custody row (into the secure room);
`hand_over` writes each signed hand-over; opening checks the hash again. Two different people sign each
seal and each opening. When every written theory session of a plan has a sealed paper, the plan's
PAPERS_SEALED step is marked (plans.milestones).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from kaowu.catalog.enums import Method
from kaowu.items.enums import CustodyAction, PaperStatus
from kaowu.items.models import CustodyEvent, Paper, PaperItem
from kaowu.items.permissions import require_custodian, require_item_bank, require_opener, require_seal_signer
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, StateError
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.plans.models import Session
from kaowu.policy.engine import RuleViolation, rule, violation

WRITTEN_METHODS = (Method.WRITTEN,)


def content_digest(paper: Paper) -> str:
    """sha256 of the paper's questions in order: position, type, points, version, stem, options, answer."""
    rows = (
        PaperItem.objects.filter(paper=paper)
        .order_by("position")
        .values_list(
            "position",
            "kind",
            "points",
            "item_version_id",
            "item_version__stem",
            "item_version__options",
            "item_version__answer",
        )
    )
    payload = [
        [pos, kind, str(points), vid, stem, options, answer] for pos, kind, points, vid, stem, options, answer in rows
    ]
    text = json.dumps([paper.version, paper.duration_minutes, payload], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _two_people(first_id: int | None, actor: Actor, what: str) -> None:
    if actor.user is not None and first_id == actor.user.pk:
        raise RuleViolation([violation("DAY-3", what=f"{what}须由两人分别签字，第二人不能与第一人相同。")])


def sign_seal(*, actor: Actor, paper: Paper) -> Paper:
    """One signature of the seal. The first (an item-bank person) starts it; the second, by someone else (item
    bank or confidentiality officer), seals: hash, seal number, time, the first custody row."""
    require_seal_signer(actor, paper.org_id)
    with transaction.atomic():
        paper = (
            Paper.objects.select_for_update(of=("self",))
            .select_related("assembly", "assembly__session__plan")
            .get(pk=paper.pk)
        )
        plan = paper.assembly.session.plan if paper.assembly.session_id else None
        if plan is not None:
            milestones.require(plan, Milestone.PAPERS_SEALED)
        if paper.status == PaperStatus.ASSEMBLED:
            require_item_bank(actor, paper.org_id)
            paper.status = PaperStatus.SEALING
            paper.sealed_by = actor.user
            paper.save(update_fields=["status", "sealed_by"])
            audit.record(actor, "items.paper.seal_signed", paper, changes={"status": ["assembled", "sealing"]})
            return paper
        if paper.status != PaperStatus.SEALING:
            raise StateError(f"试卷当前为「{paper.get_status_display()}」，不能签封。", code="paper_not_sealable")
        _two_people(paper.sealed_by_id, actor, "试卷密封")
        now = clock.now()
        paper.status = PaperStatus.SEALED
        paper.seal_witness = actor.user
        paper.sealed_at = now
        paper.content_hash = content_digest(paper)
        paper.seal_no = f"{paper.org.code}-{timezone.localtime(now):%Y%m%d}-{paper.pk:06d}{paper.version}"
        paper.save(update_fields=["status", "seal_witness", "sealed_at", "content_hash", "seal_no"])
        CustodyEvent.objects.create(
            paper=paper,
            action=CustodyAction.SEALED,
            by_id=paper.sealed_by_id,
            witness=actor.user,
            seal_no=paper.seal_no,
            at=now,
            note="密封后存入保密室",
        )
        audit.record(
            actor,
            "items.paper.sealed",
            paper,
            changes={
                "status": ["sealing", "sealed"],
                "content_hash": [None, paper.content_hash],
                "seal_no": [None, paper.seal_no],
            },
        )
        if plan is not None and all_sessions_sealed(plan):
            milestones.mark(plan, Milestone.PAPERS_SEALED, actor)
    return paper


def all_sessions_sealed(plan) -> bool:
    """Every paper-and-pencil theory session of the plan has a sealed (or later) paper."""
    sessions = set(
        Session.objects.filter(plan=plan, subject="theory", method__in=WRITTEN_METHODS).values_list("pk", flat=True)
    )
    sealed = set(
        Paper.objects.filter(
            assembly__session_id__in=sessions,
            status__in=(PaperStatus.SEALED, PaperStatus.OPENING, PaperStatus.OPENED),
        ).values_list("assembly__session_id", flat=True)
    )
    return bool(sessions) and sessions <= sealed


def hand_over(*, actor: Actor, paper: Paper, receiver: Actor, seal_no: str, note: str = "") -> CustodyEvent:
    """A signed hand-over of a sealed paper (保密员 ↔ 主考, DAY-2 S−50): both sign, the seal number is checked."""
    require_custodian(actor, paper.org_id)
    require_custodian(receiver, paper.org_id)
    _two_people(actor.user.pk if actor.user else None, receiver, "试卷交接")
    with transaction.atomic():
        paper = Paper.objects.select_for_update().get(pk=paper.pk)
        if paper.status != PaperStatus.SEALED:
            raise StateError("只有已密封、未启封的试卷才能交接。", code="paper_not_sealed")
        if seal_no.strip() != paper.seal_no:
            raise RuleViolation(
                [violation("DAY-3", what="封条编号与密封记录不符，请停止交接并报告主考。")], field="seal_no"
            )
        event = CustodyEvent.objects.create(
            paper=paper,
            action=CustodyAction.HANDED_OVER,
            by=actor.user,
            witness=receiver.user,
            seal_no=paper.seal_no,
            at=clock.now(),
            note=note[:200],
        )
        audit.record(actor, "items.paper.handed_over", paper, changes={"to": [None, receiver.label]})
    return event


def opening_time(session: Session) -> dt.datetime:
    """S−5 on the exam day (DAY-2 `seal_opened`), in Beijing time."""
    offset = rule("DAY-2")["seal_opened"]
    return timezone.make_aware(session.starts + dt.timedelta(minutes=offset))


def sign_opening(*, actor: Actor, paper: Paper) -> Paper:
    """One signature of the opening in the room (DAY-3): from S−5 on the exam day, never earlier, by two
    different people; the second signature checks the content hash and makes the content readable."""
    require_opener(actor, paper.org_id)
    with transaction.atomic():
        paper = Paper.objects.select_for_update(of=("self",)).select_related("assembly__session").get(pk=paper.pk)
        session = paper.assembly.session
        if session is None:
            raise KaowuError("该试卷未关联考试场次，不能启封。", code="paper_without_session")
        if paper.status not in (PaperStatus.SEALED, PaperStatus.OPENING):
            raise StateError(f"试卷当前为「{paper.get_status_display()}」，不能启封。", code="paper_not_sealed")
        now = clock.now()
        opens = opening_time(session)
        if now < opens:
            raise RuleViolation(
                [
                    violation(
                        "DAY-3",
                        what=f"试卷只能在考场内于开考前{-rule('DAY-2')['seal_opened']}分钟"
                        f"（{timezone.localtime(opens):%Y-%m-%d %H:%M}）起验封启封，现在还不能启封。",
                    )
                ]
            )
        if timezone.localtime(now).date() != session.date:
            raise RuleViolation([violation("DAY-3", what="试卷只能在考试当天于考场内启封。")])
        if paper.status == PaperStatus.SEALED:
            paper.status = PaperStatus.OPENING
            paper.opened_by = actor.user
            paper.save(update_fields=["status", "opened_by"])
            audit.record(actor, "items.paper.open_signed", paper, changes={"status": ["sealed", "opening"]})
            return paper
        _two_people(paper.opened_by_id, actor, "试卷启封")
        if content_digest(paper) != paper.content_hash:
            raise RuleViolation([violation("DAY-3", what="试卷内容与密封时的哈希不符，请停止启封并报告主考和督考员。")])
        paper.status = PaperStatus.OPENED
        paper.open_witness = actor.user
        paper.opened_at = now
        paper.save(update_fields=["status", "open_witness", "opened_at"])
        CustodyEvent.objects.create(
            paper=paper,
            action=CustodyAction.OPENED,
            by_id=paper.opened_by_id,
            witness=actor.user,
            seal_no=paper.seal_no,
            at=now,
            note="考场内验封启封",
        )
        audit.record(actor, "items.paper.opened", paper, changes={"status": ["opening", "opened"]})
    return paper


def discard(*, actor: Actor, paper: Paper) -> Paper:
    """An assembled paper not to be used (not sealed yet)."""
    require_item_bank(actor, paper.org_id)
    with transaction.atomic():
        paper = Paper.objects.select_for_update().get(pk=paper.pk)
        if paper.status != PaperStatus.ASSEMBLED:
            raise StateError("只有未密封的试卷可以作废。", code="paper_not_assembled")
        paper.status = PaperStatus.DISCARDED
        paper.save(update_fields=["status"])
        audit.record(actor, "items.paper.discarded", paper, changes={"status": ["assembled", "discarded"]})
    return paper


def record_content_view(*, actor: Actor, obj: Model, what: str) -> None:
    """Every view of item or paper content is an audit event (DAY-3)."""
    with transaction.atomic():
        audit.record(actor, f"items.{what}.content_viewed", obj, org_id=getattr(obj, "org_id", None))
