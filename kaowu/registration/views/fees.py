"""Fees (REG-5): a payment after approval at the published standard, with its invoice; a refund."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaowu.kernel.errors import KaowuError
from kaowu.kernel.views import actor_of
from kaowu.registration import fees, queries
from kaowu.registration.forms import PaymentForm, RefundForm
from kaowu.registration.models import Payment
from kaowu.registration.views.common import show
from kaowu.registration.views.pages import app_page


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
            show(form, exc)
        else:
            messages.success(request, f"已登记缴费{payment.amount_yuan}元，发票号码{payment.invoice_number}。")
            return redirect(reverse("registration:review", args=[app.pk]) + "#fees")
    return app_page(request, actor, app, payment_form=form)


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
            show(form, exc)
        else:
            messages.success(request, f"已登记退费{form.cleaned_data['amount_yuan']}元。")
            return redirect(reverse("registration:review", args=[app.pk]) + "#fees")
    return app_page(request, actor, app, refund_form=form)
