"""Consultations, complaints, petitions and reports about an organisation (SUP-2, BJ Art.4(三)).

open -> answered (a reply) -> closed (with the outcome). A case comes from the public page (the complainant gets
a case number and an access code to follow it), from a logged-in candidate (who sees their own cases), or is
entered by the district. It goes to the district of the organisation, which sets an owner; the deadline is the
profile's SUP-2 reply_days after receipt. Attachments are PDF, JPG or PNG by content; any other type is refused
with what to do, and nothing of the case is saved.
Audit events oversight.complaint.received / owner_set / replied / closed.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.files.base import ContentFile
from django.db import transaction

from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, NotAllowed, StateError
from kaowu.oversight.enums import ComplaintChannel, ComplaintKind, ComplaintStatus
from kaowu.oversight.models import Complaint, ComplaintAttachment, ComplaintReply
from kaowu.parties.models import EvaluationOrg
from kaowu.policy.engine import rule
from kaowu.registration.candidates import sniff

PUBLIC = Actor(user=None, role="")  # the public page: nobody logged in
EXTENSIONS = {"pdf": {".pdf"}, "png": {".png"}, "jpeg": {".jpg", ".jpeg"}}


def _sup2(message: str, *, code: str, field: str | None = None) -> KaowuError:
    data = rule("SUP-2")
    return KaowuError(
        f"依据{data.citation}：{message}", code=code, rule_id="SUP-2", citation=data.citation, field=field
    )


def checked_attachment(name: str, content: bytes) -> str:
    """The attachment's type by content; the name's extension must agree (SUP-2 attachment_types)."""
    params = rule("SUP-2").params
    kind = sniff(content)
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if kind is None or kind not in params["attachment_types"] or suffix not in EXTENSIONS[kind]:
        raise _sup2(
            f"附件「{name}」不是PDF、JPG或PNG文件，请转换为这些格式后重新提交。",
            code="attachment_type",
            field="attachments",
        )
    if len(content) > params["attachment_max_bytes"]:
        raise _sup2(
            f"附件「{name}」超过{params['attachment_max_bytes'] // 1048576}MB，请压缩后重新提交。",
            code="attachment_too_large",
            field="attachments",
        )
    return kind


def channel_of(actor: Actor) -> str:
    if actor.is_candidate:
        return ComplaintChannel.CANDIDATE
    if actor.is_district or actor.is_centre:
        return ComplaintChannel.DISTRICT
    if actor.user is None and not actor.role:
        return ComplaintChannel.PUBLIC
    raise NotAllowed(
        "评价机构不能登记针对机构的投诉，请由反映人通过公众页面或区鉴定管理机构提交。", code="not_complainant"
    )


def deadline_for(received: dt.date) -> dt.date:
    return received + dt.timedelta(days=int(rule("SUP-2")["reply_days"]))


def submit_complaint(
    *,
    actor: Actor,
    org: EvaluationOrg,
    kind: str,
    complainant_name: str,
    contact: str,
    subject: str,
    body: str,
    attachments: list[tuple[str, bytes]] = (),
    plan=None,
) -> Complaint:
    """Register a case about `org` for its district. Returns it with its number and access code."""
    channel = channel_of(actor)
    if kind not in ComplaintKind.values:
        raise KaowuError("请选择类别：咨询、投诉、信访或举报。", code="bad_kind", field="kind")
    for field, value, label in (
        ("complainant_name", complainant_name, "反映人姓名"),
        ("contact", contact, "联系方式"),
        ("subject", subject, "事由"),
        ("body", body, "具体内容"),
    ):
        if not (value or "").strip():
            raise KaowuError(f"请填写{label}。", code="required", field=field)
    if actor.is_district and actor.district_id != org.district_id:
        raise NotAllowed("只能登记本区机构的咨询投诉；其他区的请转交所在区。", code="not_own_district")
    kinds = [checked_attachment(name, content) for name, content in attachments]  # all checked before any save
    now = clock.now()
    with transaction.atomic():
        complaint = Complaint.objects.create(
            number=f"TS{now:%Y%m%d}{secrets.token_hex(3).upper()}",
            access_code=f"{secrets.randbelow(10**8):08d}",
            kind=kind,
            channel=channel,
            org=org,
            district_id=org.district_id,
            plan=plan,
            complainant_name=complainant_name.strip()[:50],
            contact=contact.strip()[:60],
            complainant=actor.user if actor.is_candidate else None,
            subject=subject.strip()[:120],
            body=body.strip(),
            received_at=now,
            entered_by=actor.user if channel == ComplaintChannel.DISTRICT else None,
            deadline=deadline_for(clock.today()),
        )
        for (name, content), sniffed in zip(attachments, kinds, strict=True):
            a = ComplaintAttachment(
                complaint=complaint, original_name=name[:200], content_type=sniffed, size=len(content)
            )
            a.file.save(
                f"{complaint.number}-{secrets.token_hex(4)}.{'jpg' if sniffed == 'jpeg' else sniffed}",
                ContentFile(content),
                save=False,
            )
            a.save()
        audit.record(actor, "oversight.complaint.received", complaint, changes={"channel": channel}, org_id=org.pk)
    return complaint


def _handler(actor: Actor, complaint: Complaint) -> Complaint:
    if not (actor.is_centre or (actor.is_district and actor.district_id == complaint.district_id)):
        raise NotAllowed("咨询投诉由机构所在区的鉴定管理机构办理。", code="not_handler")
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def set_owner(*, actor: Actor, complaint: Complaint, owner) -> Complaint:
    with transaction.atomic():
        complaint = _handler(actor, complaint)
        if owner.district_id != complaint.district_id and owner.role != "centre_officer":
            raise KaowuError("承办人须为本区鉴定管理机构的工作人员。", code="bad_owner", field="owner")
        complaint.owner = owner
        complaint.save(update_fields=["owner"])
        audit.record(
            actor, "oversight.complaint.owner_set", complaint, changes={"owner": owner.pk}, org_id=complaint.org_id
        )
    return complaint


def reply(*, actor: Actor, complaint: Complaint, text: str) -> ComplaintReply:
    if not (text or "").strip():
        raise KaowuError("请填写答复内容。", code="required", field="text")
    with transaction.atomic():
        complaint = _handler(actor, complaint)
        if complaint.status == ComplaintStatus.CLOSED:
            raise StateError("该件已办结，不能再答复。", code="complaint_closed")
        r = ComplaintReply.objects.create(complaint=complaint, by=actor.user, at=clock.now(), text=text.strip())
        complaint.status = ComplaintStatus.ANSWERED
        complaint.save(update_fields=["status"])
        audit.record(actor, "oversight.complaint.replied", complaint, org_id=complaint.org_id)
    return r


def close_complaint(*, actor: Actor, complaint: Complaint, outcome: str) -> Complaint:
    if not (outcome or "").strip():
        raise KaowuError("办结须写明办理结果。", code="required", field="outcome")
    with transaction.atomic():
        complaint = _handler(actor, complaint)
        if complaint.status == ComplaintStatus.CLOSED:
            raise StateError("该件已办结。", code="complaint_closed")
        complaint.status, complaint.outcome, complaint.closed_at = ComplaintStatus.CLOSED, outcome.strip(), clock.now()
        complaint.save(update_fields=["status", "outcome", "closed_at"])
        audit.record(actor, "oversight.complaint.closed", complaint, org_id=complaint.org_id)
    return complaint


def is_overdue(complaint: Complaint, *, today: dt.date) -> bool:
    return complaint.status != ComplaintStatus.CLOSED and today > complaint.deadline
