"""Seating (ARR-3, ARR-4): seating a session with a recorded seed, the seat list, moving and swapping seats."""

from django.db.models import Count
from ninja.pagination import paginate

from kaowu.arrangement import seating
from kaowu.arrangement.api.common import router, seat_or_404, session_or_404
from kaowu.arrangement.api.schemas import MoveIn, SeatingIn, SeatingOut, SeatOut, SwapIn
from kaowu.arrangement.models import Room, Seat
from kaowu.arrangement.queries import seats_for
from kaowu.kernel.api import Id, InvalidInput, Pages, actor_of, responses, visible_or_422


@router.post(
    "/sessions/{session_id}/seating",
    response=responses(SeatingOut),
    summary="编排场次座位：30座标准考场、蛇形座号、同单位不相邻，编排编号记录可复现（ARR-3、ARR-4）",
)
def seat_session(request, session_id: Id, payload: SeatingIn | None = None):
    actor = actor_of(request)
    session = session_or_404(actor, session_id)
    chosen = None
    if payload and payload.room_ids:
        at_site = Room.objects.filter(site_id=session.site_id)  # only rooms where the session is held
        chosen = [
            visible_or_422(at_site, actor, pk, field=f"room_ids.{i}", what=f"{session.site.name}的考场")
            for i, pk in enumerate(payload.room_ids)
        ]
        chosen = sorted({r.pk: r for r in chosen}.values(), key=lambda r: r.number)
    seed = (payload.seed.strip() or None) if payload and payload.seed else None
    run = seating.seat_session(actor=actor, session=session, seed=seed, rooms=chosen)
    counts = (
        Seat.objects.filter(session=session)
        .values("room_id", "room__number")
        .annotate(n=Count("id"))
        .order_by("room__number")
    )
    used = [{"room_id": c["room_id"], "number": c["room__number"], "candidates": c["n"]} for c in counts]
    return {
        "session_id": session.pk,
        "seed": run.seed,
        "seated_at": run.seated_at,
        "candidates": sum(r["candidates"] for r in used),
        "rooms": used,
    }


@router.get(
    "/sessions/{session_id}/seats",
    response=responses(list[SeatOut]),
    summary="场次座位表：考场、座号、排列、考生（证件号码脱敏）、准考证号",
)
@paginate(Pages)
def list_seats(request, session_id: Id, room_id: Id | None = None):
    actor = actor_of(request)
    session = session_or_404(actor, session_id)
    rows = seats_for(actor).filter(session=session)
    if room_id is not None:
        rows = rows.filter(room_id=room_id)
    return rows.order_by("room__number", "seat_no")


@router.post("/seats/{seat_id}/move", response=responses(SeatOut), summary="调座到空座位（保持蛇形和不相邻规则）")
def move_seat(request, seat_id: Id, payload: MoveIn):
    actor = actor_of(request)
    seat = seat_or_404(actor, seat_id)
    room = visible_or_422(Room.objects.select_related("site"), actor, payload.room_id, field="room_id", what="考场")
    seating.move_seat(actor=actor, seat=seat, room=room, seat_no=payload.seat_no, reason=payload.reason)
    return seat_or_404(actor, seat.pk)


@router.post("/seats/swap", response=responses(list[SeatOut]), summary="对调同一场次的两个座位")
def swap_seats(request, payload: SwapIn):
    actor = actor_of(request)
    if payload.first_seat_id == payload.second_seat_id:
        raise InvalidInput("请选择两个不同的座位。", field="second_seat_id")
    first = seat_or_404(actor, payload.first_seat_id, field="first_seat_id")
    second = seat_or_404(actor, payload.second_seat_id, field="second_seat_id")
    seating.swap_seats(actor=actor, first=first, second=second, reason=payload.reason)
    return [seat_or_404(actor, first.pk), seat_or_404(actor, second.pk)]
