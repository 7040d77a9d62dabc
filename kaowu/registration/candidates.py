"""Candidates: self-registration in the portal, entry by staff, and profile edits (REG-1, NAT-6, NAT-7)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from kaowu.kernel import audit, clock, throttle
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.kernel.errors import KaowuError, NotAllowed, require
from kaowu.parties.models import User
from kaowu.policy.engine import rule, violation
from kaowu.registration import idcard
from kaowu.registration.models import Candidate

PROFILE_FIELDS = [
    "name",
    "doc_type",
    "doc_number",
    "sex",
    "birth_date",
    "phone",
    "email",
    "ethnicity",
    "political_status",
    "education",
    "region",
    "household_registration",
    "address",
    "postal_code",
    "work_start_date",
]


def is_mainland_mobile(phone: str) -> bool:
    """A mainland mobile number: 11 digits starting with 1 (as the import already checks)."""
    return len(phone) == 11 and phone.isdigit() and phone.startswith("1")


def checked_document(*, doc_type: str, doc_number: str) -> idcard.IdCheck:
    """The normalised number and its derived facts; refuses with REG-1/NAT-6 on a bad number."""
    require(
        doc_type in idcard.DocType.values,
        "证件类型无效，请选择居民身份证、港澳台居民居住证、外国人永久居留身份证或护照。",
        code="doc_type_invalid",
        field="doc_type",
    )
    result = idcard.check(doc_number, doc_type)
    if not result.ok:
        v = violation("NAT-6" if doc_type != idcard.DocType.PASSPORT else "NAT-7", message=result.errors[0])
        raise KaowuError(
            v.message, code="doc_number_invalid", rule_id=v.rule_id, citation=v.citation, field="doc_number"
        )
    return result


def _document_free(doc_type: str, number: str, *, exclude: int | None = None) -> None:
    taken = Candidate.objects.filter(doc_type=doc_type, doc_number=number)
    if exclude:
        taken = taken.exclude(pk=exclude)
    require(
        not taken.exists(),
        "该证件号码已登记。如是本人，请用已注册的账号登录；如需更正请联系评价机构。",
        code="doc_number_taken",
        field="doc_number",
    )


# Portal registration per client address, shared by the HTML form and the API (kernel.throttle).
REGISTER_BRAKE = {"scope": "register", "limit": 20, "window": 60}
THROTTLED = "注册请求过于频繁，请1分钟后再试。"


def registration_throttled(ip: str | None) -> bool:
    """Count one registration attempt from this address; True once past the limit of the minute."""
    return throttle.over(
        REGISTER_BRAKE["scope"], ip or "unknown", limit=REGISTER_BRAKE["limit"], window=REGISTER_BRAKE["window"]
    )


def register_candidate(
    *,
    doc_type: str,
    doc_number: str,
    name: str,
    password: str,
    phone: str = "",
    email: str = "",
    ip: str | None = None,
    birth_date: dt.date | None = None,
    sex: str = "",
) -> Candidate:
    """Self-registration in the portal: phone or e-mail plus password; the login is the phone or e-mail.

    Birth date and sex come from the ID number; a passport holder gives them.
    """
    phone, email = phone.strip(), email.strip().lower()
    require(bool(phone or email), "请填写手机号码或电子邮箱，用作登录账号。", code="login_missing", field="phone")
    require(
        not phone or is_mainland_mobile(phone),
        f"手机号码「{phone}」应为11位数字且以1开头（中国大陆手机号），请核对后重新填写。",
        code="phone_invalid",
        field="phone",
    )
    require(bool(name.strip()), "请填写姓名（与证件一致）。", code="name_missing", field="name")
    result = checked_document(doc_type=doc_type, doc_number=doc_number)
    username = phone or email
    require(
        not User.objects.filter(username=username).exists(),
        f"账号「{username}」已注册，请直接登录。",
        code="login_taken",
        field="phone" if phone else "email",
    )
    try:
        # Django's validators: length, common passwords (12345678, password …), all-digit, likeness to the account.
        validate_password(password, user=User(username=username, display_name=name.strip(), email=email, phone=phone))
    except ValidationError as exc:
        raise KaowuError("密码不符合要求：" + "；".join(exc.messages), code="password_weak", field="password") from exc
    require(
        (result.birth_date or birth_date) is not None and bool(result.sex or sex),
        "护照持有人请填写出生日期和性别。",
        code="birth_missing",
        field="birth_date",
    )
    with transaction.atomic():
        _document_free(doc_type, result.number)
        user = User(username=username, role=Role.CANDIDATE, display_name=name.strip(), phone=phone, email=email)
        user.set_password(password)
        user.save()
        actor = Actor.of(user, ip=ip)
        candidate = Candidate.objects.create(
            user=user,
            doc_type=doc_type,
            doc_number=result.number,
            name=name.strip(),
            sex=result.sex or sex,
            birth_date=result.birth_date or birth_date,
            phone=phone,
            email=email,
            created_at=clock.now(),
        )
        audit.record(
            actor,
            "registration.candidate.registered",
            candidate,
            changes=audit.changes_between({}, audit.snapshot(candidate, PROFILE_FIELDS)),
            org_id=None,
        )
    return candidate


def enter_candidate(*, actor: Actor, doc_type: str, doc_number: str, name: str, **fields) -> Candidate:
    """Staff entry (ID card reader or typed): the person without a portal account, or the existing record."""
    require(
        actor.is_org_manager, "只有评价机构的管理员或考务人员可以录入考生。", code="org_manager_only", error=NotAllowed
    )
    result = checked_document(doc_type=doc_type, doc_number=doc_number)
    existing = Candidate.objects.filter(doc_type=doc_type, doc_number=result.number).first()
    if existing is not None:
        # A typo in the name must not attach the application to someone else (the import refuses it too).
        require(
            existing.name == name.strip(),
            f"证件号码{existing.masked_doc_number}已登记，但姓名与登记的不一致，请核对证件。",
            code="name_mismatch",
            field="name",
        )
        return existing
    unknown = set(fields) - set(PROFILE_FIELDS)
    require(not unknown, f"未知字段：{'、'.join(sorted(unknown))}", code="unknown_field")
    require(
        (result.birth_date or fields.get("birth_date")) is not None and bool(result.sex or fields.get("sex")),
        "护照持有人请填写出生日期和性别。",
        code="birth_missing",
        field="birth_date",
    )
    with transaction.atomic():
        candidate = Candidate.objects.create(
            doc_type=doc_type,
            doc_number=result.number,
            name=name.strip(),
            sex=result.sex or fields.pop("sex", ""),
            birth_date=result.birth_date or fields.pop("birth_date", None),
            created_at=clock.now(),
            **{k: v for k, v in fields.items() if k not in {"sex", "birth_date"}},
        )
        audit.record(
            actor,
            "registration.candidate.entered",
            candidate,
            changes=audit.changes_between({}, audit.snapshot(candidate, PROFILE_FIELDS)),
            org_id=actor.org_id,
        )
    return candidate


def may_edit(actor: Actor, candidate: Candidate) -> bool:
    if actor.is_candidate:
        return actor.user is not None and candidate.user_id == actor.user.pk
    return actor.is_org_manager and candidate.applications.filter(plan__org_id=actor.org_id).exists()


def reveal_document_number(*, actor: Actor, candidate: Candidate) -> str:
    """The full document number for a manager who needs it; every look is audited (ID numbers are masked
    everywhere else)."""
    require(
        may_edit(actor, candidate), "只有本机构管理员或考务人员可以查看完整证件号码。", code="not_own", error=NotAllowed
    )
    with transaction.atomic():
        audit.record(actor, "registration.candidate.id_revealed", candidate, changes={}, org_id=actor.org_id)
    return candidate.doc_number


def update_profile(*, actor: Actor, candidate: Candidate, **fields) -> Candidate:
    """The candidate edits contact and background fields; name and document change only by correction."""
    allowed = set(PROFILE_FIELDS) - {"name", "doc_type", "doc_number", "sex", "birth_date"}
    unknown = set(fields) - allowed
    require(
        not unknown,
        f"这些信息不能在此修改：{'、'.join(sorted(unknown))}；如有错误请申请信息更正。",
        code="field_locked",
    )
    require(
        may_edit(actor, candidate), "只能修改本人的信息，或在本机构报名的考生的信息。", code="not_own", error=NotAllowed
    )
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        before = audit.snapshot(candidate, PROFILE_FIELDS)
        for key, value in fields.items():
            setattr(candidate, key, value)
        candidate.save()
        audit.record(
            actor,
            "registration.candidate.updated",
            candidate,
            changes=audit.changes_between(before, audit.snapshot(candidate, PROFILE_FIELDS)),
        )
    return candidate


def sniff(content: bytes) -> str | None:
    """The file's real type from its first bytes: pdf, png or jpeg; None for anything else."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


EXTENSIONS = {"pdf": {".pdf"}, "png": {".png"}, "jpeg": {".jpg", ".jpeg"}}


def checked_upload(*, name: str, content: bytes, allowed: list[str], max_bytes: int) -> str:
    """REG-3: type by content (and the name must agree), size limited. Returns the sniffed type."""
    kind = sniff(content)
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    shown = "、".join(t.upper() for t in allowed)
    if kind is None or kind not in allowed:
        raise KaowuError(
            f"文件「{name}」的内容不是{shown}格式，请上传{shown}文件。",
            code="upload_type",
            rule_id="REG-3",
            citation=rule("REG-3").citation,
            field="file",
        )
    if suffix not in EXTENSIONS[kind]:
        raise KaowuError(
            f"文件「{name}」的扩展名与其内容（{kind.upper()}）不符，请检查后重新上传。",
            code="upload_type",
            rule_id="REG-3",
            citation=rule("REG-3").citation,
            field="file",
        )
    if len(content) > max_bytes:
        raise KaowuError(
            f"文件「{name}」为{len(content) / 1024 / 1024:.1f}MB，超过{max_bytes / 1024 / 1024:.0f}MB上限，请压缩后重新上传。",
            code="upload_too_large",
            rule_id="REG-3",
            citation=rule("REG-3").citation,
            field="file",
        )
    return kind


def set_photo(*, actor: Actor, candidate: Candidate, name: str, content: bytes) -> Candidate:
    """A 1-inch photo: JPG or PNG by content, within the size limit and the minimum pixel size."""
    from PIL import Image, UnidentifiedImageError

    require(may_edit(actor, candidate), "只能上传本人的照片。", code="not_own", error=NotAllowed)

    params = rule("REG-3").params
    checked_upload(name=name, content=content, allowed=["jpeg", "png"], max_bytes=params["photo_max_bytes"])
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError) as exc:
        raise KaowuError(
            f"照片「{name}」已损坏或无法识别，请重新拍摄后上传。", code="photo_broken", field="photo"
        ) from exc
    min_w, min_h = params["photo_min_width"], params["photo_min_height"]
    require(
        width >= min_w and height >= min_h,
        f"照片为{width}×{height}像素，至少需要{min_w}×{min_h}像素（一寸白底证件照），请重新上传。",
        code="photo_too_small",
        field="photo",
    )
    require(height > width, "照片应为竖版一寸证件照（高度大于宽度）。", code="photo_orientation", field="photo")
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        digest = hashlib.sha256(content).hexdigest()
        candidate.photo.save(
            f"{candidate.pk}-{digest[:12]}.{name.rsplit('.', 1)[-1].lower()}", ContentFile(content), save=False
        )
        candidate.photo_sha256 = digest
        candidate.save(update_fields=["photo", "photo_sha256"])
        audit.record(actor, "registration.candidate.photo", candidate, changes={"photo_sha256": [None, digest]})
    return candidate
