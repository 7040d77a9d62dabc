"""Actions on an application shared by the candidate and the organisation (the services decide who may):
qualifications, evidence, the photo, 学信网 codes, submitting and withdrawing, the commitment PDFs.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from kaowu.kernel import clock
from kaowu.kernel.downloads import download
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.views import actor_of
from kaowu.registration import candidates, evidence, queries, services
from kaowu.registration.enums import CommitmentKind, QualificationKind
from kaowu.registration.forms import ActionForm, ChsiForm, EvidenceForm, PhotoForm, QualificationForm, WithdrawForm
from kaowu.registration.models import Commitment, Evidence, Qualification
from kaowu.registration.views.common import app_url, forbid_if_not_allowed, show
from kaowu.registration.views.pages import app_page


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
            show(form, exc)
        else:
            note = ""
            if q.kind == QualificationKind.CERTIFICATE:
                note = f"编号格式：{q.get_number_format_display()}。"
            messages.success(request, f"已添加申报资格：{q.get_kind_display()}。{note}")
            return redirect(app_url(actor, app) + "#qualifications")
    return app_page(request, actor, app, qual_form=form)


@login_required
@require_POST
def qualification_remove(request, pk: int, qid: int):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    q = get_object_or_404(Qualification, application=app, pk=qid)
    try:
        services.remove_qualification(actor=actor, qualification=q)
    except KaowuError as exc:
        forbid_if_not_allowed(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除申报资格：{q.get_kind_display()}。")
    return redirect(app_url(actor, app) + "#qualifications")


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
            show(form, exc)
        else:
            messages.success(request, f"已上传{saved.get_kind_display()}「{saved.original_name}」。")
            return redirect(app_url(actor, app) + "#evidence")
    return app_page(request, actor, app, evidence_form=form)


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
            show(form, exc, file="photo")
        else:
            messages.success(request, "照片已上传。")
            return redirect(app_url(actor, app) + "#photo")
    return app_page(request, actor, app, photo_form=form)


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
            show(form, exc)
        else:
            messages.success(request, f"已登记学信网在线验证码，有效期至{code.expires_on:%Y-%m-%d}。")
            for warning in evidence.chsi_warnings(app, today=clock.today()):
                messages.warning(request, warning)
            return redirect(app_url(actor, app) + "#chsi")
    return app_page(request, actor, app, chsi_form=form)


@login_required
@require_POST
def application_submit(request, pk: int):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    try:
        services.submit_application(actor=actor, application=app)
    except KaowuError as exc:
        form = ActionForm()
        show(form, exc)
        return app_page(request, actor, app, submit_form=form)
    messages.success(request, "报名已提交，请等待评价机构审核。审核结果会显示在这里。")
    return redirect(app_url(actor, app))


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
        show(form, exc)
        return app_page(request, actor, app, withdraw_form=form)
    messages.success(request, "报名已撤回。已缴费用由评价机构办理退费。")
    return redirect(app_url(actor, app))


@login_required
def commitment_pdf(request, pk: int, cid: int):
    actor = actor_of(request)
    app = queries.application_for(actor, pk)
    commitment = get_object_or_404(Commitment.objects.select_related("signed_by"), application=app, pk=cid)
    from kaowu.registration.printouts.commitment import commitment_pdf as render_pdf

    return download(
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

    return download(
        render_pdf(app, kind), f"{app.candidate.name}{CommitmentKind(kind).label}（预览）.pdf", "application/pdf"
    )
