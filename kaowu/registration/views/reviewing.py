"""The organisation's review of one application (REG-2, REG-3, REG-8, NAT-5, NAT-8): the review page, approving,
returning or rejecting, the online checks of certificates and 学信网 codes, the archive PDF.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaowu.kernel.downloads import download
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.views import actor_of
from kaowu.registration import evidence, queries, services
from kaowu.registration.forms import ChsiCheckForm, NoteForm, RejectForm, ReturnForm, VerifyCertificateForm
from kaowu.registration.models import ChsiCode, Qualification
from kaowu.registration.views.common import show
from kaowu.registration.views.pages import app_page, review_page


@login_required
def review(request, pk: int):
    actor = actor_of(request)
    if actor.is_candidate:
        queries.application_for(actor, pk)  # 404 unless it is theirs
        return redirect("registration:portal_application", pk=pk)
    if actor.is_org and not actor.is_org_manager:
        raise Http404(queries.NOT_FOUND)
    return review_page(request, actor, queries.application_detail(actor, pk))


def _decide(request, pk: int, form_class, form_name: str, act, done: str):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    form = form_class(request.POST)
    form.is_valid()
    try:
        act(actor, app, form.cleaned_data)
    except KaowuError as exc:
        show(form, exc)
        return app_page(request, actor, app, **{form_name: form})
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
        show(form, exc)
        return app_page(request, actor, app, verify_forms={q.pk: form})
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
            show(form, exc)
        else:
            messages.success(request, "已记录学信网验证码的核验结果。")
            return redirect(reverse("registration:review", args=[app.pk]) + "#chsi")
    return app_page(request, actor, app, chsi_forms={code.pk: form})


@login_required
def archive_pdf(request, pk: int):
    """REG-8: the candidate's eligibility materials in one archive PDF."""
    actor = actor_of(request)
    if actor.is_candidate:
        raise Http404(queries.NOT_FOUND)
    app = queries.application_for(actor, pk)
    from kaowu.registration.printouts.archive import archive_download

    content = archive_download(actor=actor, application=app)
    return download(content, f"{app.candidate.name}资格审核档案.pdf", "application/pdf")
