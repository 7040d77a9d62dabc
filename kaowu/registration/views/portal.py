"""The candidate portal (REG-1, REG-3): registration without login, the candidate's applications, the plans open
for registration, applying, editing a draft or returned application, reading and signing a commitment.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from kaowu.kernel import clock
from kaowu.kernel.actors import client_ip
from kaowu.kernel.enums import LEVEL_SHORT
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.forms import show_error
from kaowu.registration import candidates, evidence, idcard, passwords, queries, services
from kaowu.registration.enums import ACTIVE_STATUSES, CommitmentKind
from kaowu.registration.forms import ApplicationForm, CommitmentForm, ForgotForm, RegisterForm, ResetForm
from kaowu.registration.idcard import DocType
from kaowu.registration.views.common import EDITABLE, candidate_actor, eligibility_glance, show
from kaowu.registration.views.pages import portal_page


def portal_register(request):
    """考生注册 (REG-1): no login; the account is the phone number or e-mail address."""
    if request.user.is_authenticated:
        return redirect("registration:portal_home")
    if request.method == "POST" and candidates.registration_throttled(client_ip(request)):
        return render(
            request, "portal/register.html", {"form": RegisterForm(), "throttled": candidates.THROTTLED}, status=429
        )
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
            login(request, candidate.user, backend=settings.AUTHENTICATION_BACKENDS[0])
            for warning in idcard.check(candidate.doc_number, candidate.doc_type).warnings:
                messages.warning(request, warning)
            messages.success(
                request, f"注册成功。以后请用「{candidate.user.username}」和密码登录。现在可以选择认定计划报名。"
            )
            return redirect("registration:portal_plans")
    return render(request, "portal/register.html", {"form": form})


@login_required
def portal_home(request):
    actor = candidate_actor(request)
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
                "glance": eligibility_glance(evaluation),
                "deadline": queries.entry_close_deadline(app.plan),
                "entry_open": queries.entry_open(app.plan, today=today),
                "payment": next((p for p in app.payments.all()), None),
                "warnings": evidence.chsi_warnings(app, today=today),
            }
        )
    return render(request, "portal/home.html", {"candidate": candidate, "rows": rows, "today": today})


@login_required
def portal_plans(request):
    actor = candidate_actor(request)
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
    actor = candidate_actor(request)
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
            show(form, exc, doc_number="level")
        else:
            messages.success(request, "报名信息已保存（填写中）。请补充申报资格、上传材料、签署承诺书，然后提交审核。")
            return redirect("registration:portal_application", pk=app.pk)
    return render(
        request,
        "portal/apply.html",
        {"plan": plan, "form": form, "deadline": queries.entry_close_deadline(plan), "candidate": candidate},
    )


@login_required
def portal_application(request, pk: int):
    actor = candidate_actor(request)
    return portal_page(request, actor, queries.application_detail(actor, pk))


@login_required
def portal_edit(request, pk: int):
    actor = candidate_actor(request)
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
            show(form, exc)
        else:
            messages.success(request, "报名信息已保存。如已签署承诺书，内容有变化时请重新签署。")
            return redirect("registration:portal_application", pk=app.pk)
    return render(request, "portal/edit.html", {"app": app, "plan": app.plan, "form": form})


@login_required
def portal_commitment(request, pk: int, kind: str):
    """Read the exact text and sign it (REG-3): the POST carries the text shown."""
    actor = candidate_actor(request)
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
            show(form, exc, kind="text")
        else:
            messages.success(request, f"已签署{CommitmentKind(kind).label}。")
            return redirect("registration:portal_application", pk=app.pk)
    signed = [c for c in app.commitments.all() if c.kind == kind]
    return render(
        request,
        "portal/commitment.html",
        {"app": app, "kind": kind, "label": CommitmentKind(kind).label, "text": text, "form": form, "signed": signed},
    )


def portal_forgot(request):
    """忘记密码: a code by message to the phone or mailbox of the account (the same answer for any login)."""
    form = ForgotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = passwords.request_code(login=form.cleaned_data["login"], ip=client_ip(request))
        except passwords.Throttled as exc:
            return render(request, "portal/forgot.html", {"form": form, "throttled": exc.message}, status=429)
        except KaowuError as exc:
            show_error(form, exc)
        else:
            messages.info(request, sent)
            return redirect(f"{reverse('registration:portal_reset')}?login={form.cleaned_data['login']}")
    return render(request, "portal/forgot.html", {"form": form})


def portal_reset(request):
    """The code and a new password; then the candidate logs in with it (other sessions end)."""
    form = ResetForm(request.POST or None, initial={"login": request.GET.get("login", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            passwords.reset_password(
                login=data["login"], code=data["code"], password=data["password"], ip=client_ip(request)
            )
        except KaowuError as exc:
            show_error(form, exc)
        else:
            messages.success(request, "密码已重置，请用新密码登录。")
            return redirect("parties:login")
    return render(request, "portal/reset.html", {"form": form})
