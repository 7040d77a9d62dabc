"""ARCH-1: the roster kept forever (refused by the service and by the database); the blank-stock log accounts
for every sheet."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from kaowu.certificates.models import Roster, RosterRow
from kaowu.certificates.services import issuing, roster, stock
from kaowu.kernel.errors import KaowuError
from kaowu.policy.engine import RuleViolation


@pytest.fixture
def compiled(passed_plan, org_admin):
    issuing.issue_certificates(actor=org_admin, plan=passed_plan)
    return roster.compile_roster(actor=org_admin, plan=passed_plan)


def test_roster_lists_the_certificates_compiled_and_checked_by_two_people_ARCH_1(compiled, org_admin, exam_affairs):
    rows = list(compiled.rows.all())
    assert [r.seq for r in rows] == [1, 2] and rows[0].number.endswith("000001") and rows[0].outcome == "合格"
    with pytest.raises(KaowuError):
        roster.check_roster(actor=org_admin, roster=compiled)  # the compiler cannot check
    checked = roster.check_roster(actor=exam_affairs, roster=compiled)
    assert checked.checked_by == exam_affairs.user
    with pytest.raises(KaowuError):
        roster.compile_roster(actor=org_admin, plan=compiled.plan)  # once, forever


def test_roster_deletion_refused_by_the_service_ARCH_1(compiled, org_admin):
    with pytest.raises(RuleViolation) as exc:
        roster.delete_roster(actor=org_admin, roster=compiled)
    assert exc.value.rule_id == "ARCH-1"


def test_roster_row_deletion_with_raw_sql_fails_in_the_database_ARCH_1(compiled):
    row = compiled.rows.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM certificates_rosterrow WHERE id = %s", [row.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM certificates_roster WHERE id = %s", [compiled.pk])
    assert RosterRow.objects.filter(pk=row.pk).exists() and Roster.objects.filter(pk=compiled.pk).exists()


def test_roster_pdf_and_xlsx_download(compiled, org_admin, org_b_admin):
    client = Client()
    client.force_login(org_admin.user)
    pdf = client.get(f"/certificates/plans/{compiled.plan_id}/roster.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    xlsx = client.get(f"/certificates/plans/{compiled.plan_id}/roster.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    other = Client()
    other.force_login(org_b_admin.user)
    assert other.get(f"/certificates/plans/{compiled.plan_id}/roster.pdf").status_code == 404


def test_every_blank_sheet_accounted_for(cert_a, org_admin, org_a):
    stock.receive(actor=org_admin, org=org_a, first=1001, last=1100)
    with pytest.raises(KaowuError):
        stock.receive(actor=org_admin, org=org_a, first=1090, last=1200)  # overlaps
    stock.use_sheet(actor=org_admin, org=org_a, serial=1001, certificate=cert_a)
    stock.spoil_sheet(actor=org_admin, org=org_a, serial=1002, reason="卡纸")
    with pytest.raises(KaowuError):
        stock.spoil_sheet(actor=org_admin, org=org_a, serial=1001, reason="重复")
    with pytest.raises(KaowuError):
        stock.spoil_sheet(actor=org_admin, org=org_a, serial=2000, reason="不在库")
    with pytest.raises(KaowuError):
        stock.spoil_sheet(actor=org_admin, org=org_a, serial=1003, reason="")
    b = stock.balance(org_a)
    assert (b.received, b.used, b.spoiled, b.on_hand) == (100, 1, 1, 98)


def test_batch_printing_through_the_job_runner(passed_plan, org_admin):
    from kaowu.certificates import tasks

    issuing.issue_certificates(actor=org_admin, plan=passed_plan)
    state = tasks.start_print(plan=passed_plan, actor=org_admin)
    assert state["status"] == "done"
    assert tasks.print_file(passed_plan).read_bytes()[:4] == b"%PDF"


def _client(actor) -> Client:
    c = Client()
    c.force_login(actor.user)
    return c


def test_a_printed_sheet_is_logged_on_the_screen_with_its_certificate_number(cert_a, org_admin, org_a, org_b_admin):
    stock.receive(actor=org_admin, org=org_a, first=1, last=10)
    c = _client(org_admin)
    r = c.post("/certificates/stock/", {"action": "use", "serial": "3", "number": cert_a.number.lower()}, follow=True)
    assert "已登记" in r.content.decode() and cert_a.number in r.content.decode()
    assert stock.balance(org_a).used == 1 and stock.balance(org_a).on_hand == 9
    wrong = c.post("/certificates/stock/", {"action": "use", "serial": "4", "number": "S" * 22}, follow=True)
    assert "未找到该证书编号" in wrong.content.decode() and stock.balance(org_a).used == 1
    # another organisation's admin cannot log a sheet against org A's certificate: the number is "not found"
    other = _client(org_b_admin).post("/certificates/stock/", {"action": "use", "serial": "4", "number": cert_a.number})
    assert other.status_code == 302 and stock.balance(org_a).used == 1


def test_key_rotation_from_the_screen_keeps_the_old_key_published_CERT_3(cert_a, org_admin, org_a, exam_affairs):
    from kaowu.certificates.models import SigningKey
    from kaowu.kernel.audit import AuditEvent

    before = list(SigningKey.objects.filter(org=org_a, retired_at__isnull=True))
    r = _client(org_admin).post("/certificates/stock/", {"action": "rotate"}, follow=True)
    assert "已启用新签名密钥" in r.content.decode()
    keys = list(SigningKey.objects.filter(org=org_a).order_by("valid_from"))
    assert len(keys) == len(before) + 1 and all(k.retired_at for k in keys[:-1]) and keys[-1].retired_at is None
    published = {k["key_id"] for k in Client().get("/verify/keys.json").json()["keys"]}
    assert {k.key_id for k in keys} <= published  # old credentials still verify offline
    assert AuditEvent.objects.filter(action="certificates.key_rotated").count() == 1
    refused = _client(exam_affairs).post("/certificates/stock/", {"action": "rotate"}, follow=True)
    assert SigningKey.objects.filter(org=org_a).count() == len(keys)  # only the organisation's admin rotates
    assert refused.status_code in (200, 403)


def test_the_results_and_certificates_index_shows_each_party_its_own_plans(
    passed_plan, org_admin, org_b_admin, district_officer, centre_admin, candidate_actor
):
    for actor in (org_admin, district_officer, centre_admin):
        page = _client(actor).get("/certificates/").content.decode()
        assert passed_plan.name in page and f"/results/plans/{passed_plan.pk}/" in page, actor
    assert passed_plan.name not in _client(org_b_admin).get("/certificates/").content.decode()
    assert _client(candidate_actor).get("/certificates/").status_code == 404


def test_the_index_reads_in_a_fixed_number_of_queries(passed_plan, org_admin, count_queries):
    c = _client(org_admin)
    assert count_queries(c, "/certificates/") <= 12
