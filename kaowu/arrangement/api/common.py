"""The arrangement stage's router, which every endpoint module of this package registers on, and the lookups and
helpers they share: objects read scoped to the actor (missing and not-yours are both 404; sessions, seats and
assignments are visible when their plan is), the given fields of a body, binary downloads.
"""

from django.db.models import QuerySet
from django.http import Http404
from ninja import Router

from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Room, Seat, StaffMember
from kaowu.arrangement.queries import seats_for
from kaowu.kernel.actors import Actor
from kaowu.kernel.api import Input, UnknownReference
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.parties.models import Site
from kaowu.plans.models import BatchPlan, Session
from kaowu.plans.queries import visible_plans

router = Router()


def _not_found() -> Http404:
    return Http404("未找到该记录，或您无权查看。")


def _plans(actor: Actor) -> QuerySet[BatchPlan]:
    return visible_plans(actor).values("pk")


def plan_or_404(actor: Actor, pk: int) -> BatchPlan:
    return get_for_actor_or_404(visible_plans(actor).select_related("org", "occupation"), actor, pk=pk)


def site_or_404(actor: Actor, pk: int) -> Site:
    return get_for_actor_or_404(Site.objects.select_related("org"), actor, pk=pk)


def rooms_for(actor: Actor) -> QuerySet[Room]:
    return for_actor(Room, actor).select_related("site").prefetch_related("stations")


def room_or_404(actor: Actor, pk: int) -> Room:
    return get_for_actor_or_404(rooms_for(actor), actor, pk=pk)


def session_or_404(actor: Actor, pk: int) -> Session:
    row = Session.objects.select_related("plan", "plan__org", "site").filter(pk=pk, plan__in=_plans(actor)).first()
    if row is None:
        raise _not_found()
    return row


def seat_or_404(actor: Actor, pk: int, *, field: str | None = None) -> Seat:
    row = seats_for(actor).filter(pk=pk).first()
    if row is None:
        if field is None:
            raise _not_found()
        raise UnknownReference(f"座位（编号 {pk}）不存在或不属于本单位，请重新选择。", field=field)
    return row


def staff_or_404(actor: Actor, pk: int) -> StaffMember:
    return get_for_actor_or_404(StaffMember, actor, pk=pk)


def tickets_for(actor: Actor) -> QuerySet[AdmissionTicket]:
    """Tickets the actor may see; a candidate sees only their own, and only once released."""
    rows = for_actor(AdmissionTicket, actor).select_related("plan", "plan__org", "application__candidate")
    if actor.is_candidate:
        rows = rows.filter(status=TicketStatus.RELEASED)
    return rows


def given_fields(payload: Input) -> dict:
    return {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}


def staff_taken() -> KaowuError:
    """save_staff does not check the (org, document) unique constraint; the database does."""
    return KaowuError(
        "人员库中已有该证件号码的人员，请在原记录上修改。", code="staff_doc_number_taken", field="doc_number"
    )
