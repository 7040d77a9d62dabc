"""Screens of notices (PLAN-2, PLAN-3): the organisation's annual notices and quarterly announcements, their
submission and publication, and the public page of published notices.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from kaowu.kernel import clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.forms import error_html, show_error
from kaowu.kernel.permissions import manages_org
from kaowu.kernel.tenancy import get_for_actor_or_404
from kaowu.kernel.views import actor_of
from kaowu.parties.models import EvaluationOrg
from kaowu.plans import annual, queries
from kaowu.plans.enums import NoticeKind, NoticeStatus
from kaowu.plans.forms import NOTICE_TEXT_FIELDS, ActionForm, NoticeForm
from kaowu.plans.models import Notice
from kaowu.plans.views.common import forbid_if_not_allowed, require_manager


@login_required
def notice_list(request):
    actor = actor_of(request)
    notices = queries.notices_for(actor)
    kind = request.GET.get("kind", "")
    if kind in NoticeKind.values:
        notices = notices.filter(kind=kind)
    else:
        kind = ""
    return render(
        request,
        "plans/notice_list.html",
        {"notices": list(notices), "kind": kind, "kinds": NoticeKind.choices, "can_create": actor.is_org_manager},
    )


def _notice_form(request, actor: Actor, org: EvaluationOrg, notice=None):
    post = request.POST if request.method == "POST" else None
    if notice is None:
        kind = request.GET.get("kind") if request.GET.get("kind") in NoticeKind.values else NoticeKind.ANNUAL
        today = clock.today()
        initial = {"kind": kind, "year": today.year + (1 if kind == NoticeKind.ANNUAL else 0)}
        if kind == NoticeKind.QUARTERLY:
            initial["quarter"] = (today.month - 1) // 3 + 1
    else:
        initial = NoticeForm.initial_for(notice)
    form = NoticeForm(post, initial=initial)
    if notice is not None:
        form.fields["kind"].disabled = True
    if post is not None and form.is_valid():
        data = form.cleaned_data
        try:
            saved = annual.save_notice(
                actor=actor,
                org=org,
                kind=data["kind"],
                year=data["year"],
                title=data["title"],
                quarter=data["quarter"],
                notice=notice,
                **form.text_fields(),
            )
        except KaowuError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"「{saved.title}」已保存（草稿）。")
            return redirect("plans:notice_detail", pk=saved.pk)
    return render(request, "plans/notice_form.html", {"form": form, "notice": notice})


@login_required
def notice_new(request):
    actor = actor_of(request)
    require_manager(actor, actor.org_id)
    org = get_for_actor_or_404(EvaluationOrg, actor, pk=actor.org_id)
    return _notice_form(request, actor, org)


@login_required
def notice_edit(request, pk: int):
    actor = actor_of(request)
    notice = get_for_actor_or_404(queries.notices_for(actor), actor, pk=pk)
    require_manager(actor, notice.org_id)
    if notice.status != NoticeStatus.DRAFT:
        messages.warning(request, "已报送或已发布的通知不能修改。")
        return redirect("plans:notice_detail", pk=notice.pk)
    return _notice_form(request, actor, notice.org, notice)


def _render_notice(request, actor: Actor, notice, action_form=None):
    manager = manages_org(actor, notice.org_id)
    annual_kind = notice.kind == NoticeKind.ANNUAL
    draft = notice.status == NoticeStatus.DRAFT
    return render(
        request,
        "plans/notice_detail.html",
        {
            "notice": notice,
            "fields": _notice_fields(notice),
            "deadline": annual.annual_notice_deadline(notice.year) if annual_kind else None,
            "missing": annual.missing_announcement_fields(notice) if not annual_kind and draft else [],
            "can_edit": manager and draft,
            "can_submit": manager and draft and annual_kind,
            "can_publish": (manager and draft and not annual_kind)
            or (actor.is_centre and annual_kind and notice.status == NoticeStatus.SUBMITTED),
            "action_form": action_form or ActionForm(),
        },
    )


def _notice_fields(notice) -> list[tuple[str, str]]:
    return [(Notice._meta.get_field(name).verbose_name, getattr(notice, name)) for name in NOTICE_TEXT_FIELDS]


@login_required
def notice_detail(request, pk: int):
    actor = actor_of(request)
    return _render_notice(request, actor, get_for_actor_or_404(queries.notices_for(actor), actor, pk=pk))


def _notice_action(request, pk: int, act, done: str):
    actor = actor_of(request)
    notice = get_for_actor_or_404(queries.notices_for(actor), actor, pk=pk)
    try:
        saved = act(actor=actor, notice=notice)
    except KaowuError as exc:
        forbid_if_not_allowed(exc)
        if request.POST.get("back") == "inbox":
            messages.error(request, error_html(f"「{notice}」未能办理：{exc.message}", exc.rule_id, exc.citation))
            return redirect("home:inbox")
        form = ActionForm()
        show_error(form, exc)
        return _render_notice(request, actor, notice, form)
    missing = annual.missing_announcement_fields(saved) if saved.kind == NoticeKind.QUARTERLY else []
    if saved.late and saved.status == NoticeStatus.SUBMITTED:
        messages.warning(request, f"{done}；已超过报送期限（PLAN-2），已记入合规提醒。")
    elif missing:
        messages.warning(request, f"{done}；公告缺少{'、'.join(missing)}（PLAN-3），已记入合规提醒。")
    else:
        messages.success(request, f"{done}。")
    if request.POST.get("back") == "inbox":
        return redirect("home:inbox")
    return redirect("plans:notice_detail", pk=notice.pk)


@login_required
@require_POST
def notice_submit(request, pk: int):
    return _notice_action(request, pk, annual.submit_notice, "年度认定通知已报送市鉴定管理中心")


@login_required
@require_POST
def notice_publish(request, pk: int):
    return _notice_action(request, pk, annual.publish_notice, "已发布，公众可在「公开通知公告」中查看")


@require_GET
def public_notices(request):
    notices = list(queries.public_notices())
    # A candidate (or anyone not signed in) reads the notices inside the candidate portal's layout, with its
    # menu; staff read them inside the staff layout.
    staff = request.user.is_authenticated and not actor_of(request).is_candidate
    layout = "base.html" if staff else "portal/base.html"
    return render(
        request,
        "plans/public_notices.html",
        {"notices": [(n, _notice_fields(n)) for n in notices], "layout": layout},
    )
