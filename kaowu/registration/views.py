"""Screens of registration: the candidate portal, the organisation's review, fees and imports, and the
district's spot checks (REG-1 … REG-8). Reads go through registration.queries / core.tenancy (404 for missing
and not-yours alike); every write is one service call; a refused action is shown beside its form with its rule.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from kaowu.core.actors import Actor, client_ip
from kaowu.core.enums import LEVEL_SHORT, Level
from kaowu.core.errors import KaowuError, NotAllowed
from kaowu.core.forms import show_error
from kaowu.core.masking import mask_id_number
from kaowu.core.permissions import manages_org
from kaowu.core.views import actor_of
from kaowu.plans.enums import Milestone
from kaowu.plans.queries import plan_for
from kaowu.policy import clock
from kaowu.policy.engine import rule
from kaowu.registration import candidates, eligibility, evidence, fees, idcard, queries, services, spotcheck
from kaowu.registration.enums import (
    ACTIVE_STATUSES,
    ApplicationStatus,
    CommitmentKind,
    Finding,
    ImportStatus,
    PaymentStatus,
    QualificationKind,
    SpotCheckStatus,
)
from kaowu.registration.forms import (
    ActionForm,
    ApplicationForm,
    ChsiCheckForm,
    ChsiForm,
    CommitmentForm,
    DrawForm,
    EvidenceForm,
    FindingForm,
    FinishForm,
    ImportForm,
    NoteForm,
    PaymentForm,
    PhotoForm,
    QualificationForm,
    RefundForm,
    RegisterForm,
    RejectForm,
    ResolveForm,
    ReturnForm,
    StaffEntryForm,
    VerifyCertificateForm,
    WithdrawForm,
)
from kaowu.registration.idcard import DocType
from kaowu.registration.models import ChsiCode, Commitment, Evidence, Payment, Qualification, SpotCheckItem

PAGE_SIZE = 50
PREVIEW_ROWS = 100
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
# Qualifications, evidence and 学信网 codes may still be added while the organisation reviews.
ADDABLE = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED, ApplicationStatus.SUBMITTED)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Helpers ----------------------------------------------------------------------------------------------------


def _forbid_if_not_allowed(exc: KaowuError) -> None:
    """An action of another party answers 403 with the reason."""
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.message) from exc


def _show(form, exc: KaowuError, **aliases: str) -> None:
    """show_error, with the service's field names mapped onto this form's (e.g. file -> photo)."""
    _forbid_if_not_allowed(exc)
    if exc.field in aliases:
        exc.field = aliases[exc.field]
    show_error(form, exc)


def _require_manager(actor: Actor, org_id: int) -> None:
    if not manages_org(actor, org_id):
        raise PermissionDenied("此操作只能由本机构的管理员或考务人员办理。")


def _candidate_actor(request) -> Actor:
    actor = actor_of(request)
    if not actor.is_candidate:
        raise PermissionDenied("考生服务仅供考生本人使用。工作人员请从首页进入业务功能。")
    return actor


def _org_plan(actor: Actor, pk: int):
    """A plan for the registration screens: its organisation's office, its district, the centre (not site staff)."""
    if actor.is_candidate or (actor.is_org and not actor.is_org_manager):
        raise Http404(queries.NOT_FOUND)
    return plan_for(actor, pk)


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _app_url(actor: Actor, app) -> str:
    if actor.is_candidate:
        return reverse("registration:portal_application", args=[app.pk])
    return reverse("registration:review", args=[app.pk])


def _glance(evaluation: eligibility.Evaluation) -> dict:
    """Eligibility at a glance for a list: eligible / eligible but evidence missing / not eligible / unknown."""
    if not evaluation.sets:
        return {"key": "unknown", "label": "未录入申报条件"}
    held = evaluation.holding
    if held is None:
        return {"key": "no", "label": "不符合申报条件"}
    if held.evidence_missing:
        return {"key": "partial", "label": f"符合条件（{held.ordinal}），缺材料", "missing": held.evidence_missing}
    return {"key": "yes", "label": f"符合条件（{held.ordinal}）"}


def _deadlines(plan, today) -> dict:
    confirm = queries.confirm_deadline(plan)
    close = queries.entry_close_deadline(plan)
    return {
        "confirm": confirm,
        "close": close,
        "confirmed": queries.milestone_done(plan, Milestone.CANDIDATES_CONFIRMED),
        "closed": queries.milestone_done(plan, Milestone.ENTRY_CLOSED),
        "entry_open": queries.entry_open(plan, today=today),
    }


def _commitment_kinds(app) -> list[dict]:
    """Which commitments the application's declared basis calls for (REG-3), and whether each is signed."""
    quals = {q.kind for q in app.qualifications.all()}
    diplomas = [q for q in app.qualifications.all() if q.kind == QualificationKind.DIPLOMA]
    vocational = any(q.diploma_type not in eligibility.COLLEGE for q in diplomas)
    needed = {
        CommitmentKind.WORK: bool(app.work_years) or QualificationKind.WORK in quals,
        CommitmentKind.TRAINING: QualificationKind.TRAINING in quals,
        CommitmentKind.DIPLOMA: vocational,
    }
    signed = {c.kind: c for c in app.commitments.all()}
    return [
        {"kind": k.value, "label": k.label, "needed": needed[k], "signed": signed.get(k.value)} for k in CommitmentKind
    ]


# Candidate portal ------------------------------------------------------------------------------------------


def portal_register(request):
    """考生注册 (REG-1): no login; the account is the phone number or e-mail address."""
    if request.user.is_authenticated:
        return redirect("registration:portal_home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        passport = data["doc_type"] == DocType.PASSPORT
        try:
            candidate = candidates.register_candidate(
                doc_type=data["doc_type"],
                doc_number=data["doc_number"],
                name=data["name"],
                password=data["password"],
                phone=data["phone"],
                email=data["email"],
                ip=client_ip(request),
                birth_date=data["birth_date"] if passport else None,
                sex=data["sex"] if passport else "",
            )
        except KaowuError as exc:
            show_error(form, exc)
        else:
            login(request, candidate.user, backend="django.contrib.auth.backends.ModelBackend")
            for warning in idcard.check(candidate.doc_number, candidate.doc_type).warnings:
                messages.warning(request, warning)
            messages.success(
                request, f"注册成功。以后请用「{candidate.user.username}」和密码登录。现在可以选择认定计划报名。"
            )
            return redirect("registration:portal_plans")
    return render(request, "portal/register.html", {"form": form})


@login_required
def portal_home(request):
    actor = _candidate_actor(request)
    candidate = queries.candidate_of(actor)
    today = clock.today()
    apps = list(queries.own_applications(actor).order_by("-created_at"))
    evaluations = queries.evaluations_of(apps)
    rows = []
    for app in apps:
        evaluation = evaluations[app.pk]
        rows.append(
            {
                "app": app,
                "evaluation": evaluation,
                "glance": _glance(evaluation),
                "deadline": queries.entry_close_deadline(app.plan),
                "entry_open": queries.entry_open(app.plan, today=today),
                "payment": next((p for p in app.payments.all()), None),
                "warnings": evidence.chsi_warnings(app, today=today),
            }
        )
    return render(request, "portal/home.html", {"candidate": candidate, "rows": rows, "today": today})


@login_required
def portal_plans(request):
    actor = _candidate_actor(request)
    today = clock.today()
    plans = queries.open_plans(today=today)
    applied = set(queries.applications_for(actor).filter(status__in=ACTIVE_STATUSES).values_list("plan_id", flat=True))
    rows = [
        {
            "plan": p,
            "levels": [LEVEL_SHORT[pl.level] for pl in p.plan_levels.all()],
            "sites": sorted({s.site.name for s in p.sessions.all()}),
            "deadline": queries.entry_close_deadline(p),
            "applied": p.pk in applied,
        }
        for p in plans
    ]
    return render(request, "portal/plans.html", {"rows": rows, "today": today})


@login_required
def portal_apply(request, plan_pk: int):
    actor = _candidate_actor(request)
    candidate = queries.candidate_of(actor)
    plan = queries.open_plan(plan_pk, today=clock.today())
    levels = [pl.level for pl in plan.plan_levels.all()]
    form = ApplicationForm(request.POST or None, levels=levels, initial={"level": levels[0] if levels else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            app = services.create_application(
                actor=actor,
                candidate=candidate,
                plan=plan,
                level=data["level"],
                category=data["category"],
                exam_type=data["exam_type"],
                **form.application_fields(),
            )
        except KaowuError as exc:
            _show(form, exc, doc_number="level")
        else:
            messages.success(request, "报名信息已保存（填写中）。请补充申报资格、上传材料、签署承诺书，然后提交审核。")
            return redirect("registration:portal_application", pk=app.pk)
    return render(
        request,
        "portal/apply.html",
        {"plan": plan, "form": form, "deadline": queries.entry_close_deadline(plan), "candidate": candidate},
    )


def _portal_page(request, actor: Actor, app, **forms):
    today = clock.today()
    evaluation = eligibility.evaluate_one(app)
    status = app.status
    can_edit = status in EDITABLE
    can_add = status in ADDABLE
    kinds = _commitment_kinds(app)
    context = {
        "app": app,
        "plan": app.plan,
        "candidate": app.candidate,
        "evaluation": evaluation,
        "glance": _glance(evaluation),
        "held": evaluation.holding,
        "warnings": evidence.chsi_warnings(app, today=today),
        "deadline": queries.entry_close_deadline(app.plan),
        "entry_open": queries.entry_open(app.plan, today=today),
        "commitments": kinds,
        "has_commitments": any(k["needed"] or k["signed"] for k in kinds),
        "payments": list(app.payments.all()),
        "can_edit": can_edit,
        "can_add": can_add,
        "can_submit": can_edit,
        "can_withdraw": status in (*ADDABLE, ApplicationStatus.APPROVED),
        "qual_form": forms.get("qual_form") or QualificationForm(),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "chsi_form": forms.get("chsi_form") or ChsiForm(),
        "photo_form": forms.get("photo_form") or PhotoForm(),
        "submit_form": forms.get("submit_form") or ActionForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "today": today,
    }
    return render(request, "portal/application.html", context)


@login_required
def portal_application(request, pk: int):
    actor = _candidate_actor(request)
    return _portal_page(request, actor, queries.application_detail(actor, pk))


@login_required
def portal_edit(request, pk: int):
    actor = _candidate_actor(request)
    app = queries.application_detail(actor, pk)
    if app.status not in EDITABLE:
        messages.warning(request, f"报名当前为「{app.get_status_display()}」，不能修改。")
        return redirect("registration:portal_application", pk=app.pk)
    form = ApplicationForm(
        request.POST or None,
        levels=[app.level],
        fixed_level=True,
        initial=ApplicationForm.initial_for(app),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_application(
                actor=actor,
                application=app,
                category=form.cleaned_data["category"],
                exam_type=form.cleaned_data["exam_type"],
                **form.application_fields(),
            )
        except KaowuError as exc:
            _show(form, exc)
        else:
            messages.success(request, "报名信息已保存。如已签署承诺书，内容有变化时请重新签署。")
            return redirect("registration:portal_application", pk=app.pk)
    return render(request, "portal/edit.html", {"app": app, "plan": app.plan, "form": form})


@login_required
def portal_commitment(request, pk: int, kind: str):
    """Read the exact text and sign it (REG-3): the POST carries the text shown."""
    actor = _candidate_actor(request)
    app = queries.application_detail(actor, pk)
    if kind not in CommitmentKind.values:
        raise Http404(queries.NOT_FOUND)
    text = evidence.commitment_text(app, kind)
    form = CommitmentForm(request.POST or None, initial={"text": text})
    if request.method == "POST" and form.is_valid():
        shown = form.cleaned_data["text"].replace("\r\n", "\n")
        # Browsers send every line break as CRLF; the text is the same text when only that differs.
        if shown == text.replace("\r\n", "\n"):
            shown = text
        try:
            evidence.sign_commitment(actor=actor, application=app, kind=kind, text_shown=shown)
        except KaowuError as exc:
            _show(form, exc, kind="text")
        else:
            messages.success(request, f"已签署{CommitmentKind(kind).label}。")
            return redirect("registration:portal_application", pk=app.pk)
    signed = [c for c in app.commitments.all() if c.kind == kind]
    return render(
        request,
        "portal/commitment.html",
        {"app": app, "kind": kind, "label": CommitmentKind(kind).label, "text": text, "form": form, "signed": signed},
    )


# Actions shared by the candidate and the organisation (the services decide who may) -------------------------


def _app_page(request, actor: Actor, app, **forms):
    """The page an action came from, with its failed form: the portal page or the review page."""
    app = queries.application_detail(actor, app.pk)  # re-read: the service rolled back
    if actor.is_candidate:
        return _portal_page(request, actor, app, **forms)
    return _review_page(request, actor, app, **forms)


@login_required
@require_POST
def qualification_add(request, pk: int):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    form = QualificationForm(request.POST)
    if form.is_valid():
        try:
            q = services.add_qualification(
                actor=actor, application=app, kind=form.cleaned_data["kind"], **form.service_fields()
            )
        except KaowuError as exc:
            _show(form, exc)
        else:
            note = ""
            if q.kind == QualificationKind.CERTIFICATE:
                note = f"编号格式：{q.get_number_format_display()}。"
            messages.success(request, f"已添加申报资格：{q.get_kind_display()}。{note}")
            return redirect(_app_url(actor, app) + "#qualifications")
    return _app_page(request, actor, app, qual_form=form)


@login_required
@require_POST
def qualification_remove(request, pk: int, qid: int):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    q = get_object_or_404(Qualification, application=app, pk=qid)
    try:
        services.remove_qualification(actor=actor, qualification=q)
    except KaowuError as exc:
        _forbid_if_not_allowed(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除申报资格：{q.get_kind_display()}。")
    return redirect(_app_url(actor, app) + "#qualifications")


@login_required
@require_POST
def evidence_add(request, pk: int):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            saved = evidence.upload_evidence(
                actor=actor, application=app, kind=form.cleaned_data["kind"], name=upload.name, content=upload.read()
            )
        except KaowuError as exc:
            _show(form, exc)
        else:
            messages.success(request, f"已上传{saved.get_kind_display()}「{saved.original_name}」。")
            return redirect(_app_url(actor, app) + "#evidence")
    return _app_page(request, actor, app, evidence_form=form)


@login_required
def evidence_file(request, pk: int, eid: int):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    item = get_object_or_404(Evidence, application=app, pk=eid)
    return FileResponse(item.file.open("rb"), as_attachment=False, filename=item.original_name)


@login_required
@require_POST
def photo_upload(request, pk: int):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["photo"]
        try:
            candidates.set_photo(actor=actor, candidate=app.candidate, name=upload.name, content=upload.read())
        except KaowuError as exc:
            _show(form, exc, file="photo")
        else:
            messages.success(request, "照片已上传。")
            return redirect(_app_url(actor, app) + "#photo")
    return _app_page(request, actor, app, photo_form=form)


@login_required
def photo_file(request, pk: int):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    if not app.candidate.photo:
        raise Http404("没有照片。")
    return FileResponse(app.candidate.photo.open("rb"))


@login_required
@require_POST
def chsi_add(request, pk: int):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    form = ChsiForm(request.POST)
    if form.is_valid():
        try:
            code = evidence.add_chsi_code(
                actor=actor, application=app, code=form.cleaned_data["code"], expires_on=form.cleaned_data["expires_on"]
            )
        except KaowuError as exc:
            _show(form, exc)
        else:
            messages.success(request, f"已登记学信网在线验证码，有效期至{code.expires_on:%Y-%m-%d}。")
            for warning in evidence.chsi_warnings(app, today=clock.today()):
                messages.warning(request, warning)
            return redirect(_app_url(actor, app) + "#chsi")
    return _app_page(request, actor, app, chsi_form=form)


@login_required
@require_POST
def application_submit(request, pk: int):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    try:
        services.submit_application(actor=actor, application=app)
    except KaowuError as exc:
        form = ActionForm()
        _show(form, exc)
        return _app_page(request, actor, app, submit_form=form)
    messages.success(request, "报名已提交，请等待评价机构审核。审核结果会显示在这里。")
    return redirect(_app_url(actor, app))


@login_required
@require_POST
def application_withdraw(request, pk: int):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        services.withdraw_application(actor=actor, application=app, reason=form.cleaned_data.get("reason", ""))
    except KaowuError as exc:
        _show(form, exc)
        return _app_page(request, actor, app, withdraw_form=form)
    messages.success(request, "报名已撤回。已缴费用由评价机构办理退费。")
    return redirect(_app_url(actor, app))


@login_required
def commitment_pdf(request, pk: int, cid: int):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    commitment = get_object_or_404(Commitment.objects.select_related("signed_by"), application=app, pk=cid)
    from kaowu.registration.printouts.commitment import commitment_pdf as render_pdf

    return _download(
        render_pdf(commitment),
        f"{app.candidate.name}{commitment.get_kind_display()}.pdf",
        "application/pdf",
    )


@login_required
def commitment_preview_pdf(request, pk: int, kind: str):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    if kind not in CommitmentKind.values:
        raise Http404(queries.NOT_FOUND)
    from kaowu.registration.printouts.commitment import commitment_preview_pdf as render_pdf

    return _download(
        render_pdf(app, kind), f"{app.candidate.name}{CommitmentKind(kind).label}（预览）.pdf", "application/pdf"
    )


# Organisation: the plan's applications, staff entry, review, fees -----------------------------------------


@login_required
def registration_home(request):
    """报名与资格审核: the plans in registration, with counts and deadlines."""
    actor = actor_of(request)
    if actor.is_candidate:
        return redirect("registration:portal_home")
    if actor.is_org and not actor.is_org_manager:
        raise PermissionDenied("报名与资格审核只对评价机构管理员和考务人员开放。")
    today = clock.today()
    plans = list(queries.registration_plans(actor))
    rows = [{"plan": p, "deadlines": _deadlines(p, today), "check": queries.spot_check_of(p)} for p in plans]
    return render(request, "registration/home.html", {"rows": rows, "today": today})


@login_required
def plan_applications(request, pk: int):
    actor = actor_of(request)
    plan = _org_plan(actor, pk)
    today = clock.today()
    counts = queries.status_counts(plan)
    qs = queries.plan_applications(plan).order_by("id")
    status = request.GET.get("status", "")
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    level = request.GET.get("level", "")
    if level.isdigit() and int(level) in Level.values:
        qs = qs.filter(level=int(level))
    else:
        level = ""
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    apps = list(page.object_list)
    evaluations = queries.evaluations_of(apps)
    rows = [{"app": a, "glance": _glance(evaluations[a.pk]), "payment": queries.paid(a)} for a in apps]
    tabs = [("", "全部", sum(counts.values()))] + [
        (s.value, s.label, counts.get(s.value, 0)) for s in ApplicationStatus if counts.get(s.value)
    ]
    manager = manages_org(actor, plan.org_id)
    return render(
        request,
        "registration/plan_applications.html",
        {
            "plan": plan,
            "rows": rows,
            "page": page,
            "status": status,
            "level": level,
            "tabs": tabs,
            "levels": [(pl.level, LEVEL_SHORT[pl.level]) for pl in plan.plan_levels.all()],
            "manager": manager,
            "deadlines": _deadlines(plan, today),
            "confirm_form": ActionForm(),
            "close_form": ActionForm(),
            "approved": counts.get(ApplicationStatus.APPROVED, 0),
            "pending": counts.get(ApplicationStatus.SUBMITTED, 0),
            "today": today,
            "filter_query": "&".join(
                x for x in (f"status={status}" if status else "", f"level={level}" if level else "") if x
            ),
        },
    )


@login_required
def staff_entry(request, pk: int):
    """Staff enter a candidate (ID card reader or typed) and the application in one step (REG-1)."""
    actor = actor_of(request)
    plan = _org_plan(actor, pk)
    _require_manager(actor, plan.org_id)
    levels = [pl.level for pl in plan.plan_levels.all()]
    form = StaffEntryForm(request.POST or None, levels=levels, initial={"level": levels[0] if levels else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # Both or neither: a refused application leaves no stray candidate behind.
            with transaction.atomic():
                person = candidates.enter_candidate(
                    actor=actor,
                    doc_type=data["doc_type"],
                    doc_number=data["doc_number"],
                    name=data["name"],
                    **form.candidate_fields(),
                )
                app = services.create_application(
                    actor=actor,
                    candidate=person,
                    plan=plan,
                    level=data["level"],
                    category=data["category"],
                    exam_type=data["exam_type"],
                    **form.application_fields(),
                )
        except KaowuError as exc:
            _show(form, exc)
        else:
            messages.success(request, f"已录入考生{person.name}的报名（填写中）。请补充申报资格和材料后提交审核。")
            if request.POST.get("next") == "another":
                return redirect("registration:staff_entry", pk=plan.pk)
            return redirect("registration:review", pk=app.pk)
    return render(request, "registration/staff_entry.html", {"plan": plan, "form": form})


def _review_page(request, actor: Actor, app, **forms):
    today = clock.today()
    manager = manages_org(actor, app.plan.org_id)
    evaluation = eligibility.evaluate_one(app)
    status = app.status
    payments = list(app.payments.all())
    live_payment = next((p for p in payments if p.status == PaymentStatus.PAID), None)
    fee_lines, fee_error = [], None
    if manager and status == ApplicationStatus.APPROVED and live_payment is None:
        try:
            fee_lines = fees.fee_lines(app)
        except KaowuError as exc:
            fee_error = exc
    quals = list(app.qualifications.all())
    verify_forms = forms.get("verify_forms") or {}
    chsi_forms = forms.get("chsi_forms") or {}
    kinds = _commitment_kinds(app)
    listed = queries.milestone_done(app.plan, Milestone.CANDIDATES_CONFIRMED)
    spot_items = list(SpotCheckItem.objects.filter(application=app).select_related("spot_check", "reviewed_by"))
    context = {
        "app": app,
        "plan": app.plan,
        "candidate": app.candidate,
        "manager": manager,
        "show_id": manager
        and request.GET.get("show_id") == "1"
        and bool(candidates.reveal_document_number(actor=actor, candidate=app.candidate)),
        "evaluation": evaluation,
        "glance": _glance(evaluation),
        "stored": app.evaluation or None,
        "warnings": evidence.chsi_warnings(app, today=today),
        "quals": [(q, verify_forms.get(q.pk) or VerifyCertificateForm()) for q in quals],
        "chsi": [(c, chsi_forms.get(c.pk) or ChsiCheckForm()) for c in app.chsi_codes.all()],
        "commitments": kinds,
        "has_commitments": any(k["needed"] or k["signed"] for k in kinds),
        "payments": payments,
        "live_payment": live_payment,
        "fee_lines": fee_lines,
        "fee_total": sum(float(x["amount_yuan"]) for x in fee_lines),
        "fee_error": fee_error,
        "spot_items": spot_items,
        "deadlines": _deadlines(app.plan, today),
        "can_add": manager and status in ADDABLE,
        "can_decide": manager and status == ApplicationStatus.SUBMITTED,
        # An approved application goes back only until the list is confirmed (services.return_application).
        "can_return": manager
        and (status == ApplicationStatus.SUBMITTED or (status == ApplicationStatus.APPROVED and not listed)),
        "can_submit": manager and status in EDITABLE,
        "can_withdraw": manager and status in (*ADDABLE, ApplicationStatus.APPROVED),
        "can_pay": manager and status == ApplicationStatus.APPROVED and live_payment is None,
        "can_refund": manager
        and live_payment is not None
        and status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.REMOVED),
        "approve_form": forms.get("approve_form") or NoteForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "submit_form": forms.get("submit_form") or ActionForm(),
        "payment_form": forms.get("payment_form")
        or PaymentForm(initial={"paid_on": today, "invoice_date": today, "payer": app.candidate.name}),
        "refund_form": forms.get("refund_form")
        or RefundForm(initial={"amount_yuan": live_payment.amount_yuan if live_payment else None}),
        "qual_form": forms.get("qual_form") or QualificationForm(),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "chsi_form": forms.get("chsi_form") or ChsiForm(),
        "photo_form": forms.get("photo_form") or PhotoForm(),
        "today": today,
    }
    return render(request, "registration/review.html", context)


@login_required
def review(request, pk: int):
    actor = actor_of(request)
    if actor.is_candidate:
        queries.application_for(actor, pk)  # 404 unless it is theirs
        return redirect("registration:portal_application", pk=pk)
    if actor.is_org and not actor.is_org_manager:
        raise Http404(queries.NOT_FOUND)
    return _review_page(request, actor, queries.application_detail(actor, pk))


def _decide(request, pk: int, form_class, form_name: str, act, done: str):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    form = form_class(request.POST)
    form.is_valid()
    try:
        act(actor, app, form.cleaned_data)
    except KaowuError as exc:
        _show(form, exc)
        return _app_page(request, actor, app, **{form_name: form})
    messages.success(request, done.format(name=app.candidate.name))
    return redirect("registration:review", pk=app.pk)


@login_required
@require_POST
def application_approve(request, pk: int):
    return _decide(
        request,
        pk,
        NoteForm,
        "approve_form",
        lambda actor, app, d: services.approve_application(actor=actor, application=app, note=d.get("note", "")),
        "已审核通过{name}的报名。",
    )


@login_required
@require_POST
def application_return(request, pk: int):
    return _decide(
        request,
        pk,
        ReturnForm,
        "return_form",
        lambda actor, app, d: services.return_application(actor=actor, application=app, note=d.get("note", "")),
        "已退回{name}的报名，考生修改后可重新提交。",
    )


@login_required
@require_POST
def application_reject(request, pk: int):
    return _decide(
        request,
        pk,
        RejectForm,
        "reject_form",
        lambda actor, app, d: services.reject_application(actor=actor, application=app, reason=d.get("reason", "")),
        "已对{name}的报名作出不予受理决定，理由已告知考生。",
    )


@login_required
@require_POST
def certificate_verify(request, pk: int, qid: int):
    """「在线核验」 (REG-3, NAT-5): the organisation looked the number up on the national or Beijing platform."""
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    q = get_object_or_404(Qualification.objects.select_related("application__plan"), application=app, pk=qid)
    form = VerifyCertificateForm(request.POST)
    form.is_valid()
    try:
        evidence.verify_certificate(
            actor=actor,
            qualification=q,
            found_online=form.cleaned_data.get("found_online", False),
            note=form.cleaned_data.get("note", ""),
        )
    except KaowuError as exc:
        _show(form, exc)
        return _app_page(request, actor, app, verify_forms={q.pk: form})
    messages.success(request, f"已记录证书{q.number}的在线核验。")
    return redirect(reverse("registration:review", args=[app.pk]) + "#qualifications")


@login_required
@require_POST
def chsi_check(request, pk: int, cid: int):
    """「已核验」 (NAT-8): the code was looked up on 学信网 and the report's content compared."""
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    code = get_object_or_404(ChsiCode.objects.select_related("application__plan"), application=app, pk=cid)
    form = ChsiCheckForm(request.POST)
    if form.is_valid():
        try:
            evidence.check_chsi_code(
                actor=actor, chsi=code, content_ok=form.cleaned_data["content_ok"], note=form.cleaned_data["note"]
            )
        except KaowuError as exc:
            _show(form, exc)
        else:
            messages.success(request, "已记录学信网验证码的核验结果。")
            return redirect(reverse("registration:review", args=[app.pk]) + "#chsi")
    return _app_page(request, actor, app, chsi_forms={code.pk: form})


@login_required
@require_POST
def payment_add(request, pk: int):
    """REG-5: a fee only after approval, at the published standard, with its invoice."""
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment = fees.record_payment(
                actor=actor,
                application=app,
                paid_on=data["paid_on"],
                method=data["method"],
                invoice_number=data["invoice_number"],
                invoice_date=data["invoice_date"],
                payer=data["payer"],
            )
        except KaowuError as exc:
            _show(form, exc)
        else:
            messages.success(request, f"已登记缴费{payment.amount_yuan}元，发票号码{payment.invoice_number}。")
            return redirect(reverse("registration:review", args=[app.pk]) + "#fees")
    return _app_page(request, actor, app, payment_form=form)


@login_required
@require_POST
def payment_refund(request, pk: int, pid: int):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    payment = get_object_or_404(Payment, application=app, pk=pid)
    form = RefundForm(request.POST)
    if form.is_valid():
        try:
            fees.refund_payment(
                actor=actor,
                payment=payment,
                amount_yuan=form.cleaned_data["amount_yuan"],
                reason=form.cleaned_data["reason"],
            )
        except KaowuError as exc:
            _show(form, exc)
        else:
            messages.success(request, f"已登记退费{form.cleaned_data['amount_yuan']}元。")
            return redirect(reverse("registration:review", args=[app.pk]) + "#fees")
    return _app_page(request, actor, app, refund_form=form)


@login_required
def archive_pdf(request, pk: int):
    """REG-8: the candidate's eligibility materials in one archive PDF."""
    actor = actor_of(request)
    if actor.is_candidate:
        raise Http404(queries.NOT_FOUND)
    app = queries.application_for(actor, pk)
    from kaowu.registration.printouts.archive import archive_pdf as render_pdf

    return _download(render_pdf(app), f"{app.candidate.name}资格审核档案.pdf", "application/pdf")


# Organisation: the candidate list, import and export ------------------------------------------------------


def _plan_action(request, pk: int, act, done: str):
    actor = actor_of(request)
    plan = _org_plan(actor, pk)
    try:
        act(actor=actor, plan=plan)
    except KaowuError as exc:
        _forbid_if_not_allowed(exc)
        for message in [v.message for v in getattr(exc, "violations", [])] or [exc.message]:
            tag = f"（{exc.rule_id}）" if exc.rule_id and exc.rule_id not in message else ""
            messages.error(request, f"{message}{tag}")
    else:
        messages.success(request, done)
    return redirect("registration:plan_applications", pk=plan.pk)


@login_required
@require_POST
def candidates_confirm(request, pk: int):
    return _plan_action(
        request, pk, services.confirm_candidates, "考生名单已确认（REG-6）。区鉴定管理机构将据此进行资质抽查。"
    )


@login_required
@require_POST
def entry_close(request, pk: int):
    return _plan_action(request, pk, services.close_entry, "已结束报名录入并提交（REG-6），不再接受新的报名。")


@login_required
def plan_export(request, pk: int):
    """The 33-column sheet (full ID numbers: managers only, see exports.export_sheet)."""
    actor = actor_of(request)
    plan = _org_plan(actor, pk)
    _require_manager(actor, plan.org_id)
    from kaowu.registration.exports import export_sheet

    return _download(export_sheet(plan=plan), f"{plan.name or plan.pk}考生信息.xlsx", XLSX)


@login_required
def plan_import(request, pk: int):
    """Upload → preview (every row checked) → confirm. The preview reports the rows read and the time it took."""
    actor = actor_of(request)
    plan = _org_plan(actor, pk)
    _require_manager(actor, plan.org_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from kaowu.registration.imports import preview_import

        upload = form.cleaned_data["file"]
        started = time.monotonic()
        try:
            batch = preview_import(actor=actor, plan=plan, filename=upload.name, content=upload.read())
        except KaowuError as exc:
            _show(form, exc)
        else:
            seconds = time.monotonic() - started
            url = reverse("registration:import_preview", args=[plan.pk, batch.pk])
            return redirect(f"{url}?s={seconds:.1f}")
    return render(
        request,
        "registration/import.html",
        {
            "plan": plan,
            "form": form,
            "recent": queries.recent_imports(actor, plan),
            "deadlines": _deadlines(plan, clock.today()),
        },
    )


@login_required
def import_preview(request, pk: int, bid: int):
    actor = actor_of(request)
    plan = _org_plan(actor, pk)
    _require_manager(actor, plan.org_id)
    batch = queries.import_batch_for(actor, plan, bid)
    rows = batch.rows if batch.status == ImportStatus.PREVIEW else []
    by_level: dict[int, int] = {}
    for row in rows:
        by_level[row.get("level")] = by_level.get(row.get("level"), 0) + 1
    seconds = request.GET.get("s", "")
    return render(
        request,
        "registration/import_preview.html",
        {
            "plan": plan,
            "batch": batch,
            "rows": [{**r, "masked": mask_id_number(r.get("doc_number"))} for r in rows[:PREVIEW_ROWS]],
            "more": max(len(rows) - PREVIEW_ROWS, 0),
            "by_level": [(LEVEL_SHORT.get(lv, lv), n) for lv, n in sorted(by_level.items(), reverse=True)],
            "new_candidates": sum(1 for r in rows if not r.get("existing")),
            "seconds": seconds if seconds.replace(".", "", 1).isdigit() else "",
            "commit_form": ActionForm(),
        },
    )


@login_required
@require_POST
def import_commit(request, pk: int, bid: int):
    actor = actor_of(request)
    plan = _org_plan(actor, pk)
    batch = queries.import_batch_for(actor, plan, bid)
    from kaowu.registration.imports import commit_import

    try:
        batch = commit_import(actor=actor, batch=batch)
    except KaowuError as exc:
        _forbid_if_not_allowed(exc)
        messages.error(request, exc.message)
        return redirect("registration:import_preview", pk=plan.pk, bid=batch.pk)
    if batch.status == ImportStatus.COMMITTED:
        messages.success(request, f"已导入{batch.row_count}条报名（待审核）。")
        return redirect("registration:plan_applications", pk=plan.pk)
    messages.error(request, "导入前复核未通过，未写入任何数据。请按下面的错误修改后重新上传。")
    return redirect("registration:import_preview", pk=plan.pk, bid=batch.pk)


# Spot checks (REG-7) -------------------------------------------------------------------------------------


def _require_district(actor: Actor) -> None:
    if not actor.is_district:
        raise PermissionDenied("资质抽查由区鉴定管理机构办理。")


@login_required
def district_spot_checks(request):
    actor = actor_of(request)
    _require_district(actor)
    today = clock.today()
    plans = list(queries.district_spot_check_plans(actor))
    rows = [_check_row(p, today) for p in plans]
    return render(request, "registration/district_spot_checks.html", {"rows": rows, "today": today})


def _check_row(plan, today) -> dict:
    state = queries.spot_check_state(plan)
    # REG-7: not finished by T blocks the exam; the row is marked once T has come.
    late = state["key"] != "finished" and plan.first_date is not None and plan.first_date <= today
    return {"plan": plan, "state": state, "late": late}


def _spot_check_page(request, actor: Actor, plan, **forms):
    check = queries.spot_check_of(plan)
    context = {"plan": plan, "check": check, "today": clock.today()}
    if check is None:
        context.update(
            population=plan.n_approved,
            size=spotcheck.sample_size(plan.n_approved),
            percent=rule("REG-7")["min_percent"],
            draw_form=forms.get("draw_form") or DrawForm(),
        )
        return render(request, "registration/spot_check.html", context)
    items = queries.spot_check_items(check)
    evaluations = queries.evaluations_of([i.application for i in items])
    finding_forms = forms.get("finding_forms") or {}
    rows = [
        {
            "item": i,
            "app": i.application,
            "evaluation": evaluations[i.application_id],
            "glance": _glance(evaluations[i.application_id]),
            "form": finding_forms.get(i.pk)
            or FindingForm(initial={"finding": i.finding if i.finding != Finding.PENDING else None, "note": i.note}),
        }
        for i in items
    ]
    reproduced = None
    if request.GET.get("reproduce") == "1":
        again = spotcheck.reproduce(check)
        stored = [i.application_id for i in items]
        reproduced = {"ids": again, "stored": stored, "equal": again == stored}
    counts = {f.value: sum(1 for i in items if i.finding == f) for f in Finding}
    unresolved = [i for i in items if i.finding in (Finding.INELIGIBLE, Finding.NEEDS_FIX) and i.resolved_at is None]
    context.update(
        rows=rows,
        counts=counts,
        unresolved=unresolved,
        reproduced=reproduced,
        finish_form=forms.get("finish_form") or FinishForm(),
        open=check.status == SpotCheckStatus.DRAWN,
    )
    return render(request, "registration/spot_check.html", context)


@login_required
def district_spot_check(request, pk: int):
    actor = actor_of(request)
    _require_district(actor)
    return _spot_check_page(request, actor, queries.district_plan(actor, pk))


@login_required
@require_POST
def spot_check_draw(request, pk: int):
    actor = actor_of(request)
    _require_district(actor)
    plan = queries.district_plan(actor, pk)
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            check = spotcheck.draw_spot_check(actor=actor, plan=plan, seed=form.cleaned_data["seed"] or None)
        except KaowuError as exc:
            _show(form, exc)
        else:
            messages.success(
                request, f"已从{check.population}名考生中抽取{check.sample_size}名，随机种子「{check.seed}」。"
            )
            return redirect("registration:district_spot_check", pk=plan.pk)
    return _spot_check_page(request, actor, plan, draw_form=form)


@login_required
@require_POST
def spot_check_finding(request, pk: int, iid: int):
    actor = actor_of(request)
    _require_district(actor)
    plan = queries.district_plan(actor, pk)
    item = get_object_or_404(
        SpotCheckItem.objects.select_related("spot_check__plan__org"), spot_check__plan=plan, pk=iid
    )
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            spotcheck.record_finding(
                actor=actor, item=item, finding=form.cleaned_data["finding"], note=form.cleaned_data["note"]
            )
        except KaowuError as exc:
            _show(form, exc)
        else:
            messages.success(request, f"已记录第{item.draw_order}号的核查结论。")
            return redirect(reverse("registration:district_spot_check", args=[plan.pk]) + f"#item-{item.pk}")
    return _spot_check_page(request, actor, queries.district_plan(actor, pk), finding_forms={item.pk: form})


@login_required
@require_POST
def spot_check_finish(request, pk: int):
    actor = actor_of(request)
    _require_district(actor)
    plan = queries.district_plan(actor, pk)
    check = queries.spot_check_of(plan)
    if check is None:
        raise Http404("该计划尚未抽取。")
    form = FinishForm(request.POST)
    form.is_valid()
    try:
        spotcheck.finish_spot_check(actor=actor, check=check, summary=form.cleaned_data.get("summary", ""))
    except KaowuError as exc:
        _show(form, exc)
        return _spot_check_page(request, actor, queries.district_plan(actor, pk), finish_form=form)
    messages.success(request, "资质抽查已完成，结论已报市鉴定管理中心（REG-7）。")
    return redirect("registration:district_spot_check", pk=plan.pk)


def _org_spot_check_page(request, actor: Actor, plan, **forms):
    check = queries.org_spot_check(actor, plan)
    items = queries.spot_check_items(check) if check else []
    resolve_forms = forms.get("resolve_forms") or {}
    rows = [
        {"item": i, "form": resolve_forms.get(i.pk) or ResolveForm()}
        for i in items
        if i.finding in (Finding.INELIGIBLE, Finding.NEEDS_FIX)
    ]
    return render(
        request,
        "registration/org_spot_check.html",
        {
            "plan": plan,
            "check": check,
            "items": items,
            "rows": rows,
            "manager": manages_org(actor, plan.org_id),
        },
    )


@login_required
def org_spot_check(request, pk: int):
    """The organisation's side: the drawn list, and the candidates found ineligible or needing a fix."""
    actor = actor_of(request)
    return _org_spot_check_page(request, actor, _org_plan(actor, pk))


@login_required
@require_POST
def spot_check_resolve(request, pk: int, iid: int):
    """「移出计划」 or 「已补正」 (REG-7: the organisation removes candidates found ineligible)."""
    actor = actor_of(request)
    plan = _org_plan(actor, pk)
    item = get_object_or_404(SpotCheckItem.objects.select_related("spot_check__plan"), spot_check__plan=plan, pk=iid)
    form = ResolveForm(request.POST)
    form.is_valid()
    remove = request.POST.get("action") == "remove"
    try:
        spotcheck.resolve_item(actor=actor, item=item, remove=remove, note=form.cleaned_data.get("note", ""))
    except KaowuError as exc:
        _show(form, exc, remove="note")
        return _org_spot_check_page(request, actor, plan, resolve_forms={item.pk: form})
    messages.success(request, "已将该考生移出计划。" if remove else "已记录补正情况。")
    return redirect("registration:org_spot_check", pk=plan.pk)


@login_required
def centre_spot_checks(request):
    """Every confirmed plan's spot-check state, read-only (REG-7: results are reported to the centre)."""
    actor = actor_of(request)
    if not actor.is_centre:
        raise PermissionDenied("本页只对市鉴定管理中心开放。")
    page = Paginator(queries.centre_spot_check_plans(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    today = clock.today()
    rows = [_check_row(p, today) for p in page.object_list]
    return render(request, "registration/centre_spot_checks.html", {"rows": rows, "page": page})
