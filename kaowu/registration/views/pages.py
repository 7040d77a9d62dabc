"""The two pages of one application, rendered with any failed form beside its section: the candidate's portal page
and the organisation's review page. An action shared by both sides returns to the one it came from (app_page).
"""

from __future__ import annotations

from django.shortcuts import render

from kaowu.kernel import clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.permissions import manages_org
from kaowu.plans.enums import Milestone
from kaowu.registration import candidates, eligibility, evidence, fees, queries
from kaowu.registration.enums import ApplicationStatus, PaymentStatus
from kaowu.registration.forms import (
    ActionForm,
    ChsiCheckForm,
    ChsiForm,
    EvidenceForm,
    NoteForm,
    PaymentForm,
    PhotoForm,
    QualificationForm,
    RefundForm,
    RejectForm,
    ReturnForm,
    VerifyCertificateForm,
    WithdrawForm,
)
from kaowu.registration.models import SpotCheckItem
from kaowu.registration.views.common import ADDABLE, EDITABLE, commitment_kinds, deadline_context, eligibility_glance


def _to_pay(app) -> dict | None:
    """What an approved candidate is to pay, from the organisation's published standard (ORG-3, REG-5)."""
    from decimal import Decimal

    from kaowu.kernel.errors import KaowuError
    from kaowu.registration import fees

    if app.status != ApplicationStatus.APPROVED or any(p.status == PaymentStatus.PAID for p in app.payments.all()):
        return None
    try:
        lines = fees.fee_lines(app)
    except KaowuError:
        return None  # no standard published: nothing to pay here
    return {"lines": lines, "total": sum((Decimal(x["amount_yuan"]) for x in lines), Decimal(0))}


def portal_page(request, actor: Actor, app, **forms):
    today = clock.today()
    evaluation = eligibility.evaluate_one(app)
    status = app.status
    can_edit = status in EDITABLE
    can_add = status in ADDABLE
    kinds = commitment_kinds(app)
    context = {
        "app": app,
        "plan": app.plan,
        "candidate": app.candidate,
        "evaluation": evaluation,
        "glance": eligibility_glance(evaluation),
        "held": evaluation.holding,
        "warnings": evidence.chsi_warnings(app, today=today),
        "deadline": queries.entry_close_deadline(app.plan),
        "entry_open": queries.entry_open(app.plan, today=today),
        "commitments": kinds,
        "has_commitments": any(k["needed"] or k["signed"] for k in kinds),
        "payments": list(app.payments.all()),
        "to_pay": _to_pay(app),
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


def review_page(request, actor: Actor, app, **forms):
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
    kinds = commitment_kinds(app)
    listed = queries.milestone_done(app.plan, Milestone.CANDIDATES_CONFIRMED)
    spot_items = list(SpotCheckItem.objects.filter(application=app).select_related("spot_check", "reviewed_by"))
    context = {
        "app": app,
        "plan": app.plan,
        "candidate": app.candidate,
        # The birth date only with the full number (audited): beside the masked one it would rebuild it.
        "age": app.candidate.age_on(today),
        "manager": manager,
        "show_id": manager
        and request.GET.get("show_id") == "1"
        and bool(candidates.reveal_document_number(actor=actor, candidate=app.candidate)),
        "evaluation": evaluation,
        "glance": eligibility_glance(evaluation),
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
        "deadlines": deadline_context(app.plan, today),
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


def app_page(request, actor: Actor, app, **forms):
    """The page an action came from, with its failed form: the portal page or the review page."""
    app = queries.application_detail(actor, app.pk)  # re-read: the service rolled back
    if actor.is_candidate:
        return portal_page(request, actor, app, **forms)
    return review_page(request, actor, app, **forms)
