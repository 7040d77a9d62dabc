"""REST API of the parties (/api/v1/): who am I, districts, organisations, filed scope, sites, API tokens, audit."""

import datetime as dt

from django.db.models import QuerySet
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from kaowu.catalog.api import occupation_by_code
from kaowu.kernel.actors import Actor
from kaowu.kernel.api import Id, Input, Pages, SearchText, UnknownReference, actor_of, created, responses
from kaowu.kernel.enums import Role
from kaowu.kernel.errors import NotAllowed
from kaowu.kernel.models import AuditEvent
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.parties import services
from kaowu.parties.enums import SiteStatus
from kaowu.parties.models import ApiToken, District, EvaluationOrg, FiledScope, Site


def own_org(actor: Actor) -> EvaluationOrg:
    """The actor's organisation, for actions only an organisation takes."""
    if actor.org_id is None:
        raise NotAllowed("此操作只能由评价机构的管理员或考务人员办理。", code="org_only")
    return EvaluationOrg.objects.get(pk=actor.org_id)


# ---------------------------------------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------------------------------------


class PartyOut(Schema):
    kind: str = Field(description="centre 市中心 / district 区 / org 评价机构 / candidate 考生")
    id: int | None
    name: str


class MeOut(Schema):
    username: str | None
    display_name: str
    role: str
    role_label: str
    party: PartyOut
    org_id: int | None
    district_id: int | None
    via_token: bool
    token_prefix: str | None


class DistrictOut(Schema):
    id: int
    code: str
    name: str
    agency_name: str


class DistrictRef(Schema):
    id: int
    code: str
    name: str


class OrgRef(Schema):
    id: int
    code: str
    short_name: str


class OrgOut(Schema):
    id: int
    code: str
    full_name: str
    short_name: str
    kind: str
    kind_label: str
    district: DistrictRef

    @staticmethod
    def resolve_kind_label(obj: EvaluationOrg) -> str:
        return obj.get_kind_display()


class OrgDetailOut(OrgOut):
    certificate_prefix: str
    head_name: str
    business_head_name: str
    contact_name: str
    contact_phone: str
    address: str
    filing_reference: str


class OccupationRef(Schema):
    code: str
    name: str


class ScopeOut(Schema):
    id: int
    org_id: int
    occupation: OccupationRef
    level: int
    level_label: str
    filed_on: dt.date
    reference: str

    @staticmethod
    def resolve_level_label(obj: FiledScope) -> str:
        return obj.get_level_display()


class ScopeIn(Input):
    occupation: str = Field(description="职业编码，如 6-31-01-03", max_length=10)
    level: int = Field(ge=1, le=5, description="等级：5（五级）至1（一级）")
    filed_on: dt.date = Field(description="备案日期")
    reference: str = Field("", max_length=60, description="备案复函文号")


class SiteOut(Schema):
    id: int
    org: OrgRef
    name: str
    address: str
    district: DistrictRef
    status: str
    status_label: str
    is_addon: bool
    requested_at: dt.datetime | None
    decided_at: dt.datetime | None
    decision_note: str
    filed_on: dt.date | None

    @staticmethod
    def resolve_status_label(obj: Site) -> str:
        return obj.get_status_display()


class SiteIn(Input):
    name: str = Field(max_length=100, description="评价地点名称")
    address: str = Field(max_length=200, description="详细地址")
    district_code: str = Field(max_length=6, description="所在区行政区划代码，如 110105（朝阳区）")


class SiteDecisionIn(Input):
    note: str = Field("", max_length=300, description="审核意见；不同意时必填")


class TokenOut(Schema):
    id: int
    org_id: int
    name: str
    prefix: str
    created_by: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    @staticmethod
    def resolve_created_by(obj: ApiToken) -> str:
        return obj.created_by.display_name or obj.created_by.username


class TokenCreatedOut(TokenOut):
    key: str = Field(description="完整令牌，只显示这一次；请立即妥善保存。调用时放在 Authorization: Bearer 之后。")


class TokenIn(Input):
    name: str = Field(max_length=60, description="用途，如「与本单位报名系统对接」")


class AuditOut(Schema):
    chain: str
    seq: int | None  # empty until the event is sealed into its chain (moments after commit)
    at: dt.datetime
    actor_label: str
    role: str
    party: str
    org_id: int | None
    action: str
    object_type: str
    object_id: str
    object_label: str
    changes: dict
    ip: str | None


# ---------------------------------------------------------------------------------------------------------
# Endpoints
# ---------------------------------------------------------------------------------------------------------

router = Router()


def _party(actor: Actor) -> dict:
    if actor.is_centre:
        return {"kind": "centre", "id": None, "name": actor.party_label}
    if actor.is_district:
        return {"kind": "district", "id": actor.district_id, "name": actor.party_label}
    if actor.org_id is None:
        return {"kind": actor.role, "id": None, "name": ""}  # a candidate belongs to no party
    return {"kind": "org", "id": actor.org_id, "name": actor.party_label}


@router.get("/me", response=responses(MeOut), summary="当前身份（角色、所属单位）")
def me(request):
    actor = actor_of(request)
    return {
        "username": actor.user.username if actor.user else None,
        "display_name": actor.label,
        "role": actor.role,
        "role_label": Role(actor.role).label if actor.role in Role.values else actor.role,
        "party": _party(actor),
        "org_id": actor.org_id,
        "district_id": actor.district_id,
        "via_token": actor.token is not None,
        "token_prefix": actor.token.prefix if actor.token else None,
    }


@router.get("/districts", response=responses(list[DistrictOut]), summary="北京市各区")
def list_districts(request):
    return District.objects.all()


@router.get("/orgs", response=responses(list[OrgOut]), summary="评价机构（按身份限定范围）")
@paginate(Pages)
def list_orgs(request):
    return for_actor(EvaluationOrg, actor_of(request)).select_related("district")


@router.get("/orgs/{org_id}", response=responses(OrgDetailOut), summary="评价机构详情")
def get_org(request, org_id: Id):
    return get_for_actor_or_404(EvaluationOrg.objects.select_related("district"), actor_of(request), pk=org_id)


@router.get("/orgs/{org_id}/scopes", response=responses(list[ScopeOut]), summary="备案范围（职业×等级）")
def list_scopes(request, org_id: Id):
    org = get_for_actor_or_404(EvaluationOrg, actor_of(request), pk=org_id)
    return FiledScope.objects.filter(org=org).select_related("occupation")


@router.post("/orgs/{org_id}/scopes", response=responses(ScopeOut, 201), summary="备案职业等级（市中心）")
def add_scope(request, org_id: Id, payload: ScopeIn):
    actor = actor_of(request)
    org = get_for_actor_or_404(EvaluationOrg, actor, pk=org_id)
    scope = services.add_filed_scope(
        actor=actor,
        org=org,
        occupation=occupation_by_code(payload.occupation),
        level=payload.level,
        filed_on=payload.filed_on,
        reference=payload.reference,
    )
    return created(FiledScope.objects.select_related("occupation").get(pk=scope.pk))


def _sites(actor: Actor) -> QuerySet[Site]:
    return for_actor(Site, actor).select_related("org", "district")


@router.get("/sites", response=responses(list[SiteOut]), summary="评价地点（按身份限定范围）")
@paginate(Pages)
def list_sites(request, status: SiteStatus | None = None):
    sites = _sites(actor_of(request))
    if status:
        sites = sites.filter(status=status)
    return sites


@router.post("/sites", response=responses(SiteOut, 201), summary="申请增项备案评价地点（评价机构）")
def request_site(request, payload: SiteIn):
    actor = actor_of(request)
    district = District.objects.filter(code=payload.district_code.strip()).first()
    if district is None:
        raise UnknownReference(
            f"没有行政区划代码为「{payload.district_code}」的区，请按 GET /districts 所列代码填写，如 110105。",
            field="district_code",
        )
    site = services.request_site_filing(
        actor=actor, org=own_org(actor), name=payload.name, address=payload.address, district=district
    )
    return created(_sites(actor).get(pk=site.pk))


@router.post("/sites/{site_id}/approve", response=responses(SiteOut), summary="同意增项备案（市中心）")
def approve_site(request, site_id: Id, payload: SiteDecisionIn | None = None):
    actor = actor_of(request)
    site = get_for_actor_or_404(Site, actor, pk=site_id)
    services.approve_site_filing(actor=actor, site=site, note=payload.note if payload else "")
    return _sites(actor).get(pk=site.pk)


@router.post("/sites/{site_id}/reject", response=responses(SiteOut), summary="不同意增项备案（市中心，须写理由）")
def reject_site(request, site_id: Id, payload: SiteDecisionIn):
    actor = actor_of(request)
    site = get_for_actor_or_404(Site, actor, pk=site_id)
    services.reject_site_filing(actor=actor, site=site, note=payload.note)
    return _sites(actor).get(pk=site.pk)


def _tokens(actor: Actor) -> QuerySet[ApiToken]:
    if not (actor.is_centre or actor.is_org_manager):
        return ApiToken.objects.none()  # tokens are the office's business; districts and site staff see none
    return for_actor(ApiToken, actor).select_related("created_by").order_by("-created_at")


@router.get("/tokens", response=responses(list[TokenOut]), summary="本机构的 API 令牌")
def list_tokens(request):
    return _tokens(actor_of(request))


@router.post(
    "/tokens", response=responses(TokenCreatedOut, 201), summary="新建 API 令牌（机构管理员；完整令牌只显示一次）"
)
def create_token(request, payload: TokenIn):
    actor = actor_of(request)
    token, key = services.create_api_token(actor=actor, org=own_org(actor), name=payload.name)
    token = _tokens(actor).get(pk=token.pk)
    token.key = key  # shown this once; only the hash is stored
    return created(token)


@router.delete("/tokens/{token_id}", response=responses(None, 204), summary="吊销 API 令牌（机构管理员）")
def revoke_token(request, token_id: Id):
    actor = actor_of(request)
    token = get_for_actor_or_404(_tokens(actor), actor, pk=token_id)
    services.revoke_api_token(actor=actor, token=token)
    return Status(204, None)


@router.get("/audit", response=responses(list[AuditOut]), summary="审计日志（市中心全部，区为本区机构，机构为本机构）")
@paginate(Pages)
def list_audit(
    request,
    action: SearchText | None = None,
    object_type: SearchText | None = None,
    object_id: SearchText | None = None,
):
    events = for_actor(AuditEvent, actor_of(request)).order_by("-id")
    if action:
        events = events.filter(action__startswith=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    return events
