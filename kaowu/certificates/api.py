"""The certificates API: the organisation's certificates of a plan and the issuing steps (scoped, as every
endpoint); the public verification (no login, rate-limited, CERT-3) and the published public keys."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from kaowu.certificates import queries
from kaowu.certificates.services import issuing
from kaowu.kernel.api import Brake, Id, actor_of, responses
from kaowu.kernel.tenancy import get_for_actor_or_404
from kaowu.plans.models import BatchPlan

router = Router()


class CertificateOut(Schema):
    id: int
    number: str
    holder_name: str
    level: int
    issued_on: dt.date
    status: str
    late: bool
    filed_ref: str
    query_checked_at: dt.datetime | None
    handed_over_at: dt.datetime | None


class IssueIn(Schema):
    application_ids: list[int] | None = None
    imported: dict[int, str] | None = None


class FilingIn(Schema):
    reference: str


class RevokeIn(Schema):
    reason: str
    note: str


class VerifyOut(Schema):
    result: str
    number: str = ""
    message: str = ""
    holder: str = ""
    doc_number: str = ""
    occupation: str = ""
    work_type: str = ""
    level: str = ""
    issued_on: str = ""
    org_name: str = ""
    status_label: str = ""
    events: list[dict] = []


class OfflineIn(Schema):
    token: str


@router.get("/plans/{plan_id}/certificates", response=responses(list[CertificateOut]), summary="计划的证书")
def plan_certificates(request, plan_id: Id):
    actor = actor_of(request)
    plan = get_for_actor_or_404(BatchPlan, actor, pk=plan_id)
    return list(queries.certificates_of_plan(actor, plan))


@router.post("/plans/{plan_id}/certificates", response=responses(list[CertificateOut]), summary="为合格考生制作证书")
def issue(request, plan_id: Id, body: IssueIn):
    actor = actor_of(request)
    plan = get_for_actor_or_404(BatchPlan.objects.select_related("org", "occupation", "work_type"), actor, pk=plan_id)
    return issuing.issue_certificates(
        actor=actor, plan=plan, application_ids=body.application_ids, imported=body.imported
    )


@router.post("/plans/{plan_id}/certificates/filing", response=responses(dict), summary="记录市中心备案")
def filing(request, plan_id: Id, body: FilingIn):
    actor = actor_of(request)
    plan = get_for_actor_or_404(BatchPlan, actor, pk=plan_id)
    certs = list(queries.certificates_of_plan(actor, plan).filter(filed_at__isnull=True))
    return {"filed": issuing.record_filing(actor=actor, certificates=certs, reference=body.reference)}


@router.post("/certificates/{pk}/query-check", response=responses(CertificateOut), summary="记录全国联网查询核验")
def query_check(request, pk: Id):
    actor = actor_of(request)
    return issuing.record_query_check(actor=actor, certificate=queries.certificate_for(actor, pk))


@router.post("/certificates/{pk}/hand-over", response=responses(CertificateOut), summary="发放证书")
def hand_over(request, pk: Id):
    actor = actor_of(request)
    return issuing.hand_over(actor=actor, certificate=queries.certificate_for(actor, pk))


@router.post("/certificates/{pk}/revoke", response=responses(CertificateOut), summary="撤销证书")
def revoke(request, pk: Id, body: RevokeIn):
    actor = actor_of(request)
    return issuing.revoke(
        actor=actor, certificate=queries.certificate_for(actor, pk), reason=body.reason, note=body.note
    )


@router.get("/certificates/{pk}/credential", response=responses(dict), summary="电子证书签名凭证")
def credential(request, pk: Id):
    return queries.certificate_for(actor_of(request), pk).credential


def _allowed(ip: str | None) -> bool:
    return not queries.verify_throttled(ip)


@router.get(
    "/public/certificates/verify",
    auth=None,
    response=responses(VerifyOut),
    throttle=[Brake(_allowed, wait=60)],
    summary="证书查询（公开）",
)
def verify(request, number: str, name: str):
    return queries.verify(number, name)


@router.post(
    "/public/certificates/verify-token",
    auth=None,
    response=responses(VerifyOut),
    throttle=[Brake(_allowed, wait=60)],
    summary="扫码核验（公开）",
)
def verify_token(request, body: OfflineIn):
    return queries.verify_qr(body.token)


@router.get("/public/certificates/keys", auth=None, response=responses(list[dict]), summary="证书签名公钥（公开）")
def keys(request):
    return queries.published_keys()
