"""Rooms, work stations and site facilities (ARR-3, ARR-13, ARR-14)."""

from django.db import IntegrityError

from kaowu.arrangement import rooms
from kaowu.arrangement.api.common import given_fields, room_or_404, rooms_for, router, site_or_404
from kaowu.arrangement.api.schemas import FacilityIn, FacilityOut, RoomIn, RoomOut, RoomPatchIn, StationIn, StationOut
from kaowu.arrangement.enums import FacilityKind
from kaowu.arrangement.models import Facility
from kaowu.kernel.api import Id, actor_of, created, responses
from kaowu.kernel.errors import KaowuError


@router.get("/sites/{site_id}/rooms", response=responses(list[RoomOut]), summary="评价地点的考场")
def list_rooms(request, site_id: Id):
    actor = actor_of(request)
    site = site_or_404(actor, site_id)
    return rooms_for(actor).filter(site=site).order_by("number")


@router.post("/sites/{site_id}/rooms", response=responses(RoomOut, 201), summary="录入考场（已备案的评价地点）")
def create_room(request, site_id: Id, payload: RoomIn):
    actor = actor_of(request)
    site = site_or_404(actor, site_id)
    fields = payload.model_dump(exclude={"number", "rows", "columns", "kind", "door"})
    room = rooms.save_room(
        actor=actor,
        site=site,
        number=payload.number,
        rows=payload.rows,
        columns=payload.columns,
        kind=payload.kind,
        door=payload.door,
        **fields,
    )
    return created(room_or_404(actor, room.pk))


@router.patch("/rooms/{room_id}", response=responses(RoomOut), summary="修改考场（准考证发放后不能修改）")
def update_room(request, room_id: Id, payload: RoomPatchIn):
    actor = actor_of(request)
    room = room_or_404(actor, room_id)
    given = given_fields(payload)
    core = {k: given.pop(k, getattr(room, k)) for k in ("number", "rows", "columns", "kind", "door")}
    try:
        rooms.save_room(actor=actor, site=room.site, room=room, **core, **given)
    except IntegrityError as exc:
        raise KaowuError(
            f"{room.site.name}已有第{core['number']:02d}考场，请换一个考场号。",
            code="room_number_taken",
            field="number",
        ) from exc
    return room_or_404(actor, room.pk)


@router.post("/rooms/{room_id}/stations", response=responses(StationOut, 201), summary="录入或修改工位（ARR-13）")
def add_station(request, room_id: Id, payload: StationIn):
    actor = actor_of(request)
    return created(
        rooms.add_station(actor=actor, room=room_or_404(actor, room_id), code=payload.code, equipment=payload.equipment)
    )


@router.get("/sites/{site_id}/facilities", response=responses(list[FacilityOut]), summary="考点设施（ARR-14）")
def list_facilities(request, site_id: Id):
    site = site_or_404(actor_of(request), site_id)
    return Facility.objects.filter(site=site)


@router.put(
    "/sites/{site_id}/facilities/{kind}",
    response=responses(FacilityOut),
    summary="登记考务办公室、保密室、应急考场、医务室、禁带物品存放处的位置（ARR-14）",
)
def set_facility(request, site_id: Id, kind: FacilityKind, payload: FacilityIn):
    actor = actor_of(request)
    return rooms.set_facility(actor=actor, site=site_or_404(actor, site_id), kind=kind, location=payload.location)
