"""The PDF renderer works at any instant, not only at the whole seconds frozen tests use."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from kaowu.plans.printouts.filing_form import filing_form_pdf


def test_a_pdf_renders_when_the_clock_has_microseconds(plan_draft):
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, 0, 123456, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        assert filing_form_pdf(plan_draft).startswith(b"%PDF-")
