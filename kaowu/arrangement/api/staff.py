"""The staff registry and conflicts (ARR-9, ARR-10), and confirming that rooms and staff are imported (ARR-1)."""

from django.db import IntegrityError
from ninja.pagination import paginate

from kaowu.arrangement import rooms
from kaowu.arrangement.api.common import given_fields, plan_or_404, router, staff_or_404, staff_taken
from kaowu.arrangement.api.schemas import ConflictIn, ConflictOut, StaffIn, StaffOut, StaffPatchIn
from kaowu.arrangement.models import Conflict, StaffMember
from kaowu.kernel.api import Id, Pages, SearchText, actor_of, created, responses, visible_or_422
from kaowu.kernel.tenancy import for_actor
from kaowu.parties.api import own_org
from kaowu.plans.enums import Milestone
from kaowu.registration.api.common import plan_step
from kaowu.registration.api.schemas import PlanStepOut
from kaowu.registration.models import Candidate


@router.get("/staff", response=responses(list[StaffOut]), summary="人员库（本机构；区可查看本区机构）")
@paginate(Pages)
def list_staff(request, name: SearchText | None = None, active: bool | None = None):
    rows = for_actor(StaffMember, actor_of(request))
    if name:
        rows = rows.filter(name__startswith=name.strip())
    if active is not None:
        rows = rows.filter(active=active)
    return rows.order_by("name", "id")


@router.post("/staff", response=responses(StaffOut, 201), summary="录入工作人员（角色、证卡，ARR-10）")
def create_staff(request, payload: StaffIn):
    actor = actor_of(request)
    org = own_org(actor)
    fields = given_fields(payload)
    name, doc_number, roles = fields.pop("name"), fields.pop("doc_number"), fields.pop("roles")
    try:
        staff = rooms.save_staff(
            actor=actor, org_id=org.pk, name=name, doc_number=doc_number, roles=[str(r) for r in roles], **fields
        )
    except IntegrityError as exc:
        raise staff_taken() from exc
    return created(staff)


@router.patch("/staff/{staff_id}", response=responses(StaffOut), summary="修改工作人员")
def update_staff(request, staff_id: Id, payload: StaffPatchIn):
    actor = actor_of(request)
    staff = staff_or_404(actor, staff_id)
    fields = given_fields(payload)
    name = fields.pop("name", staff.name)
    doc_number = fields.pop("doc_number", staff.doc_number)
    roles = [str(r) for r in fields.pop("roles", staff.roles)]
    try:
        return rooms.save_staff(
            actor=actor, org_id=staff.org_id, staff=staff, name=name, doc_number=doc_number, roles=roles, **fields
        )
    except IntegrityError as exc:
        raise staff_taken() from exc


@router.post(
    "/staff/{staff_id}/conflicts",
    response=responses(ConflictOut, 201),
    summary="申报回避：亲属、同单位、培训过（ARR-9）",
)
def declare_conflict(request, staff_id: Id, payload: ConflictIn):
    actor = actor_of(request)
    staff = staff_or_404(actor, staff_id)
    candidate = visible_or_422(Candidate, actor, payload.candidate_id, field="candidate_id", what="考生")
    conflict = rooms.declare_conflict(
        actor=actor, staff=staff, candidate=candidate, kind=payload.kind, note=payload.note
    )
    return created(Conflict.objects.select_related("candidate").get(pk=conflict.pk))


@router.post(
    "/plans/{plan_id}/rooms-and-staff/confirm",
    response=responses(PlanStepOut),
    summary="确认考场、考评员和质量内控人员信息已导入（ARR-1 期限内）",
)
def confirm_rooms_and_staff(request, plan_id: Id):
    actor = actor_of(request)
    plan = rooms.confirm_rooms_and_staff(actor=actor, plan=plan_or_404(actor, plan_id))
    return plan_step(plan, Milestone.ROOMS_IMPORTED)
