"""Custody of the sealed packets on the day (DAY-3, BJ Annex 4 §三, Annex 5 7:40 … 10:05).

    pack_packets (secure room, from a sealed paper) --> held by the secure room
    start_hand_over (giving side signs, seal number checked) --> pending
    sign_hand_over (the other signatures; two people for the secure room) --> complete: the receiver holds it
    open_packet (in the room, from S−5, seal shown by one invigilator, opened by another)
    the return (room -> office, E+5) carries used / spare counts and the office's count: unbalanced is flagged

A hand-over is refused when its seal number differs from the packet's (stop and tell the chief), when the move
is not one of PACKET_MOVES, or when a person signs twice or for a side they do not hold. The papers' own seal
and opening (items.services.sealing) are reused: the first hand-over out of the secure room is the paper's
`hand_over`, and the room's opening signs the paper's `sign_opening` (time, two people, content hash) while the
paper is still sealed. Nothing here edits a hand-over once complete.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kaowu.arrangement.enums import StaffRole
from kaowu.arrangement.models import Seat
from kaowu.exams.enums import PACKET_MOVES, SIGNERS_PER_SIDE, HandOverSide, Place
from kaowu.exams.models import CheckIn, HandOver, HandOverSignature, Packet
from kaowu.exams.permissions import invigilates, is_office, roles_at
from kaowu.items.enums import PaperStatus
from kaowu.items.models import Paper
from kaowu.items.permissions import require_seal_signer
from kaowu.items.services import sealing
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.kernel.errors import KaowuError, NotAllowed, StateError
from kaowu.plans.models import Session
from kaowu.policy.engine import RuleViolation, rule, violation

CHIEF_SIDE = frozenset({StaffRole.CHIEF_EXAMINER, StaffRole.DEPUTY_EXAMINER, StaffRole.SITE_LEAD})


def refuse(what: str, *, field: str | None = None) -> RuleViolation:
    return RuleViolation([violation("DAY-3", what=what)], field=field)


def signers_needed(place: str) -> int:
    return SIGNERS_PER_SIDE.get(place, 1)


def holds(actor: Actor, packet: Packet, place: str) -> bool:
    """Whether the actor may sign for `place` on this packet's hand-overs."""
    if actor.user is None or actor.token is not None or actor.org_id != packet.session.plan.org_id:
        return False
    session = packet.session
    if place == Place.SECURE_ROOM:
        return actor.role == Role.CONFIDENTIALITY_OFFICER
    if place == Place.CHIEF:
        return any(role in CHIEF_SIDE for role, _ in roles_at(actor, session))
    if place == Place.ROOM:
        return invigilates(actor, session, packet.room)
    if place == Place.OFFICE:
        return is_office(actor, session)
    if place == Place.MARKING:
        return actor.role == Role.MARKER
    return False


def _seal_checked(packet: Packet, seal_no: str) -> str:
    seen = (seal_no or "").strip()
    if seen != packet.seal_no:
        raise refuse("封条编号与试卷袋登记的不符：请停止交接、不要启封，立即报告主考和保密员。", field="seal_no")
    return seen


def pack_packets(*, actor: Actor, paper: Paper) -> list[Packet]:
    """Pack a sealed paper into one packet per room of its session, in the secure room: each labelled with the
    room's candidates and the profile's spares (DAY-3 spare_papers_per_room), each with its own seal number.
    Packing again answers the packets already made. Writes audit event exams.packet.packed."""
    require_seal_signer(actor, paper.org_id)
    with transaction.atomic():
        paper = Paper.objects.select_for_update(of=("self",)).select_related("assembly__session__plan").get(pk=paper.pk)
        if paper.status != PaperStatus.SEALED:
            raise StateError("只有已密封、未启封的试卷才能装袋。", code="paper_not_sealed")
        session = paper.assembly.session
        if session is None:
            raise KaowuError("该试卷未关联考试场次，不能装袋。", code="paper_without_session")
        spare = rule("DAY-3")["spare_papers_per_room"]
        per_room: dict[int, int] = {}
        rooms = {}
        for seat in Seat.objects.filter(session=session).select_related("room"):
            per_room[seat.room_id] = per_room.get(seat.room_id, 0) + 1
            rooms[seat.room_id] = seat.room
        made = []
        now = clock.now()
        for room_id in sorted(per_room, key=lambda r: rooms[r].number):
            room = rooms[room_id]
            packet, created = Packet.objects.get_or_create(
                paper=paper,
                room=room,
                defaults={
                    "session": session,
                    "seal_no": f"{paper.seal_no}-{room.number:02d}",
                    "sheets": per_room[room_id] + spare,
                    "packed_by": actor.user,
                    "packed_at": now,
                },
            )
            if created:
                audit.record(
                    actor,
                    "exams.packet.packed",
                    packet,
                    org_id=session.plan.org_id,
                    changes={"seal_no": [None, packet.seal_no], "sheets": [None, packet.sheets]},
                )
            made.append(packet)
    return made


def pending_of(packet: Packet) -> HandOver | None:
    return packet.hand_overs.filter(completed_at__isnull=True).first()


def start_hand_over(
    *,
    actor: Actor,
    packet: Packet,
    to_place: str,
    seal_no: str,
    count: int | None = None,
    used: int | None = None,
    spare: int | None = None,
    note: str = "",
) -> HandOver:
    """The giving side begins a hand-over and signs it, having checked the seal number. A room returning its
    packet (room -> office) gives the used and spare counts. Blocks DAY-3 (seal number, a move out of order,
    a hand-over already pending). Writes audit event exams.handover.started."""
    with transaction.atomic():
        packet = (
            Packet.objects.select_for_update(of=("self",)).select_related("session__plan", "room").get(pk=packet.pk)
        )
        if not holds(actor, packet, packet.holder):
            raise NotAllowed(
                f"试卷袋现由{packet.get_holder_display()}保管，须由保管方发起交接。", code="not_the_holder"
            )
        if to_place not in PACKET_MOVES.get(packet.holder, ()):
            allowed = "、".join(Place(p).label for p in sorted(PACKET_MOVES.get(packet.holder, ())))
            raise refuse(
                f"试卷袋不能由{packet.get_holder_display()}直接交给{Place(to_place).label if to_place in Place.values else to_place}；"
                f"可交给：{allowed or '无'}。",
                field="to_place",
            )
        if pending_of(packet) is not None:
            raise refuse("该试卷袋有一笔交接尚未签字完成，请先完成或由接收方签字。")
        seen = _seal_checked(packet, seal_no)
        if packet.holder == Place.ROOM and to_place == Place.OFFICE:
            if used is None or spare is None:
                raise KaowuError("交回试卷袋须填写使用份数和备用（未用）份数。", code="invalid_input", field="used")
            packet.used, packet.spare = used, spare
            packet.save(update_fields=["used", "spare"])
        now = clock.now()
        row = HandOver.objects.create(
            packet=packet,
            from_place=packet.holder,
            to_place=to_place,
            count=count,
            note=(note or "")[:200],
            started_at=now,
        )
        _sign(actor, row, HandOverSide.GIVER, seen, now)
        audit.record(
            actor,
            "exams.handover.started",
            row,
            org_id=packet.session.plan.org_id,
            changes={"from": [None, row.from_place], "to": [None, to_place], "seal_no": [None, seen]},
        )
        return _complete_if_signed(actor, row, packet)


def sign_hand_over(*, actor: Actor, hand_over: HandOver, seal_no: str, count: int | None = None) -> HandOver:
    """Another signature on a pending hand-over: the secure room's second keeper, or the receiving side, each
    having checked the seal number; the receiver counts the papers where the label's count matters (a room
    receiving its packet, the office receiving a return). Blocks DAY-3. Writes exams.handover.signed."""
    with transaction.atomic():
        row = HandOver.objects.select_for_update(of=("self",)).get(pk=hand_over.pk)
        packet = (
            Packet.objects.select_for_update(of=("self",)).select_related("session__plan", "room").get(pk=row.packet_id)
        )
        if row.completed_at is not None:
            raise StateError("该交接已签字完成。", code="hand_over_complete")
        signed = list(row.signatures.all())
        if any(s.user_id == actor.user.pk for s in signed):
            raise refuse("您已在本次交接上签字；交出方和接收方须由不同的人分别签字。")
        side = _side_for(actor, row, packet, signed)
        seen = _seal_checked(packet, seal_no)
        now = clock.now()
        if side == HandOverSide.RECEIVER and count is not None:
            row.count = count
            row.save(update_fields=["count"])
        _sign(actor, row, side, seen, now)
        audit.record(
            actor, "exams.handover.signed", row, org_id=packet.session.plan.org_id, changes={"side": [None, side]}
        )
        return _complete_if_signed(actor, row, packet)


def _side_for(actor: Actor, row: HandOver, packet: Packet, signed: list[HandOverSignature]) -> str:
    givers = sum(1 for s in signed if s.side == HandOverSide.GIVER)
    if givers < signers_needed(row.from_place) and holds(actor, packet, row.from_place):
        return HandOverSide.GIVER
    if holds(actor, packet, row.to_place):
        if givers < signers_needed(row.from_place):
            raise refuse(
                f"{row.get_from_place_display()}须由{signers_needed(row.from_place)}人共同签字交出（已签{givers}人），"
                "接收方再签收。"
            )
        return HandOverSide.RECEIVER
    raise NotAllowed(
        f"此次交接由{row.get_from_place_display()}交给{row.get_to_place_display()}，您不是交接的任何一方。",
        code="not_a_party",
    )


def _sign(actor: Actor, row: HandOver, side: str, seen: str, now) -> None:
    user = actor.user
    HandOverSignature.objects.create(
        hand_over=row, side=side, user=user, name=user.display_name or user.username, seal_no_seen=seen, at=now
    )


def _complete_if_signed(actor: Actor, row: HandOver, packet: Packet) -> HandOver:
    sides = list(row.signatures.values_list("side", flat=True))
    if sides.count(HandOverSide.GIVER) < signers_needed(row.from_place):
        return row
    if sides.count(HandOverSide.RECEIVER) < signers_needed(row.to_place):
        return row
    now = clock.now()
    row.completed_at = now
    row.save(update_fields=["completed_at"])
    packet.holder = row.to_place
    fields = ["holder"]
    if row.to_place == Place.ROOM:
        packet.received = row.count
        fields.append("received")
    if row.from_place == Place.ROOM and row.to_place == Place.OFFICE:
        packet.returned = row.count
        fields.append("returned")
    packet.flags = count_problems(packet)
    fields.append("flags")
    packet.save(update_fields=fields)
    if row.from_place == Place.SECURE_ROOM:
        _paper_handed_over(actor, row, packet)
    audit.record(
        actor,
        "exams.handover.completed",
        row,
        org_id=packet.session.plan.org_id,
        changes={"holder": [row.from_place, row.to_place], "flags": [None, packet.flags]},
    )
    return row


def _paper_handed_over(actor: Actor, row: HandOver, packet: Packet) -> None:
    """The paper's own custody trail (items) records its first hand-over out of the secure room."""
    paper = packet.paper
    if paper.status != PaperStatus.SEALED or paper.custody.filter(action="handed_over").exists():
        return
    giver = row.signatures.filter(side=HandOverSide.GIVER).select_related("user").first()
    receiver = row.signatures.filter(side=HandOverSide.RECEIVER).select_related("user").first()
    if giver is None or receiver is None:
        return
    sealing.hand_over(
        actor=Actor.of(giver.user),
        paper=paper,
        receiver=Actor.of(receiver.user),
        seal_no=paper.seal_no,
        note=f"试卷袋 {packet.seal_no} 等出保密室",
    )


def count_problems(packet: Packet) -> list[str]:
    """What does not add up: the room's count against the label, and at the return used + spare against what was
    received and what came back; used against the candidates let in (BJ Annex 5 8:25, 10:05)."""
    problems = []
    if packet.received is not None and packet.received != packet.sheets:
        problems.append(f"考场清点{packet.received}份，与袋上标注的{packet.sheets}份不符。")
    if packet.used is not None and packet.spare is not None:
        base = packet.received if packet.received is not None else packet.sheets
        if packet.used + packet.spare != base:
            problems.append(f"使用{packet.used}份＋备用{packet.spare}份≠收到{base}份。")
        present = CheckIn.objects.filter(exam_day__session_id=packet.session_id, room_id=packet.room_id).count()
        if packet.used != present:
            problems.append(f"使用{packet.used}份，与实到考生{present}人不符。")
    if packet.returned is not None:
        base = packet.received if packet.received is not None else packet.sheets
        if packet.returned != base:
            problems.append(f"交回{packet.returned}份，与收到的{base}份不符。")
    return problems


def open_packet(*, actor: Actor, packet: Packet, seal_no: str) -> Packet:
    """In the room from S−5 (DAY-3): one invigilator shows the candidates the intact seal (its number typed),
    another opens it. Refused before S−5 or on another day, when the packet is not in the room, by someone not
    working this room, by the same person twice. While the paper is still sealed, each signature is the paper's
    sign_opening too (which checks the content hash). Writes exams.packet.seal_shown / exams.packet.opened."""
    with transaction.atomic():
        packet = (
            Packet.objects.select_for_update(of=("self",)).select_related("session__plan", "room").get(pk=packet.pk)
        )
        session: Session = packet.session
        if not (invigilates(actor, session, packet.room) or holds(actor, packet, Place.CHIEF)):
            raise NotAllowed("试卷袋由本考场的监考员在考场内启封。", code="opener_only")
        if packet.opened_at is not None:
            raise StateError(f"该试卷袋已于{timezone.localtime(packet.opened_at):%H:%M}启封。", code="packet_opened")
        if packet.holder != Place.ROOM or pending_of(packet) is not None:
            raise refuse(f"试卷袋现由{packet.get_holder_display()}保管：只有送到考场、由监考员签收后才能在考场内启封。")
        now = clock.now()
        opens = sealing.opening_time(session)
        if now < opens or timezone.localtime(now).date() != session.date:
            raise refuse(
                f"试卷只能在考试当天于考场内开考前{-rule('DAY-2')['seal_opened']}分钟"
                f"（{timezone.localtime(opens):%H:%M}）起验封启封，现在还不能启封。"
            )
        seen = _seal_checked(packet, seal_no)
        paper = packet.paper
        if paper.status in (PaperStatus.SEALED, PaperStatus.OPENING):
            sealing.sign_opening(actor=actor, paper=paper)
            paper.refresh_from_db(fields=["status"])
        org_id = session.plan.org_id
        if packet.seal_shown_at is None:
            packet.seal_shown_at, packet.seal_shown_by = now, actor.user
            packet.save(update_fields=["seal_shown_at", "seal_shown_by"])
            audit.record(actor, "exams.packet.seal_shown", packet, org_id=org_id, changes={"seal_no": [None, seen]})
            return packet
        if packet.seal_shown_by_id == actor.user.pk:
            raise refuse("验封和启封须由两人分别签字：请由另一名监考员启封。")
        packet.opened_at, packet.opened_by = now, actor.user
        packet.save(update_fields=["opened_at", "opened_by"])
        audit.record(actor, "exams.packet.opened", packet, org_id=org_id, changes={"opened_at": [None, str(now)]})
    return packet
