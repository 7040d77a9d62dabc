"""The compliance report of a batch: each applicable rule with pass / warn / fail, evidence and article; one JSON
and one PDF; its generation is recorded in the audit trail with its digest (SUP-3)."""

from __future__ import annotations

import pathlib
import subprocess

from django.conf import settings

from kaowu.kernel import clock
from kaowu.kernel.models import AuditEvent
from kaowu.oversight import compliance
from kaowu.oversight.printouts.compliance import compliance_pdf

OUT = pathlib.Path(settings.BASE_DIR) / "screenshots" / "oversight"


def test_report_lists_rules_with_status_evidence_and_article_SUP_3(issued_plan, centre_admin):
    report = compliance.generate(actor=centre_admin, plan=issued_plan, today=clock.today())
    by_rule = {}
    for c in report["checks"]:
        by_rule.setdefault(c["rule_id"], []).append(c)
    assert {"PLAN-5", "REG-7", "CERT-2", "ARCH-1", "NAT-17"} <= set(by_rule)
    assert all(c["status"] in ("pass", "warn", "fail") and c["citation"] for c in report["checks"])
    cert = next(c for c in by_rule["CERT-2"] if "passed" in c["evidence"])  # besides the timeline's step
    assert cert["status"] == "pass" and cert["evidence"]["passed"] == 2 and cert["evidence"]["valid"] == 2
    assert by_rule["ARCH-1"][0]["evidence"]["compiled_by"]
    assert by_rule["NAT-17"][0]["status"] == "fail"  # past sessions without a supervision record
    event = AuditEvent.objects.filter(action="oversight.compliance.generated").latest("id")
    assert event.changes["digest"] == report["digest"]
    again = compliance.build(issued_plan, today=clock.today())
    assert compliance.digest(again) == report["digest"]  # the same data gives the same report


def test_report_pdf_renders_with_chart_and_rules_SUP_3(issued_plan, centre_admin):
    report = compliance.generate(actor=centre_admin, plan=issued_plan, today=clock.today())
    pdf = compliance_pdf(report)
    assert pdf.startswith(b"%PDF")
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "compliance.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(path), str(OUT / "compliance")], check=True
    )


def test_report_of_a_draft_plan_warns_instead_of_failing_on_what_is_not_due_SUP_3(plan_draft, org_admin):
    report = compliance.build(plan_draft, today=clock.today())
    assert report["overall"] in ("warn", "pass")
    assert compliance_pdf(report | {"digest": compliance.digest(report)}).startswith(b"%PDF")
