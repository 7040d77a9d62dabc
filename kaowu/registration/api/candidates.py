"""Candidates (REG-1): self-registration on the portal, the candidates the actor may see, one candidate."""

from ninja.pagination import paginate

from kaowu.kernel.actors import client_ip
from kaowu.kernel.api import Brake, Id, Pages, SearchText, actor_of, created, responses
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.registration import candidates
from kaowu.registration.api.common import router
from kaowu.registration.api.schemas import CandidateDetailOut, CandidateOut, RegisterIn
from kaowu.registration.models import Candidate


@router.post(
    "/portal/register",
    auth=None,
    throttle=[Brake(lambda ip: not candidates.registration_throttled(ip), wait=60)],
    response=responses(CandidateOut, 201),
    summary="考生注册（门户，无需登录）",
)
def register(request, payload: RegisterIn):
    """Self-registration (REG-1): the login is the phone or e-mail; birth date and sex come from the ID."""
    candidate = candidates.register_candidate(
        doc_type=payload.doc_type,
        doc_number=payload.doc_number,
        name=payload.name,
        password=payload.password,
        phone=payload.phone,
        email=payload.email,
        ip=client_ip(request),
        birth_date=payload.birth_date,
        sex=payload.sex or "",
    )
    return created(candidate)


@router.get("/candidates", response=responses(list[CandidateOut]), summary="考生（按身份限定范围，证件号码脱敏）")
@paginate(Pages)
def list_candidates(request, name: SearchText | None = None):
    rows = for_actor(Candidate, actor_of(request))
    if name:
        rows = rows.filter(name__startswith=name.strip())
    return rows


@router.get("/candidates/{candidate_id}", response=responses(CandidateDetailOut), summary="考生详情")
def get_candidate(request, candidate_id: Id):
    return get_for_actor_or_404(Candidate, actor_of(request), pk=candidate_id)
