"""NAT-17 on the screen: the district registers a 外督, declares a relative among the candidates and is refused
sending them to that batch, then sends another; an office registers its own 内督; nobody reaches past their line."""

from __future__ import annotations

from django.test import Client

from kaowu.oversight.enums import SupervisorKind
from kaowu.oversight.models import SupervisionRecord, Supervisor, SupervisorConflict


def _client(actor) -> Client:
    c = Client()
    c.force_login(actor.user)
    return c


def _register(client, name, card):
    return client.post(
        "/oversight/supervision/",
        {"action": "register", "name": name, "card_number": card, "doc_number": "", "employer": ""},
        follow=True,
    )


def test_district_registers_declares_and_is_refused_a_conflicted_supervisor_NAT_17(confirmed_plan, district_officer):
    c = _client(district_officer)
    assert "已登记督导员 韩督导" in _register(c, "韩督导", "DD-0001").content.decode()
    han = Supervisor.objects.get(name="韩督导")
    assert han.kind == SupervisorKind.EXTERNAL and han.district_id == district_officer.district_id
    candidate = confirmed_plan.applications.first().candidate
    r = c.post(
        "/oversight/supervision/",
        {"action": "conflict", "supervisor": han.pk, "doc_number": candidate.doc_number, "kind": "relative"},
        follow=True,
    )
    assert "回避关系" in r.content.decode() and SupervisorConflict.objects.filter(supervisor=han).exists()
    session = confirmed_plan.sessions.first()
    page = c.get("/oversight/supervision/").content.decode()
    assert "选派督导员" in page and str(session.pk) in page
    refused = c.post(
        "/oversight/supervision/", {"action": "assign", "supervisor": han.pk, "session": session.pk}, follow=True
    )
    assert candidate.name in refused.content.decode() and not SupervisionRecord.objects.exists()  # NAT-17
    _register(c, "周督导", "DD-0002")
    zhou = Supervisor.objects.get(name="周督导")
    c.post("/oversight/supervision/", {"action": "assign", "supervisor": zhou.pk, "session": session.pk})
    assert SupervisionRecord.objects.filter(supervisor=zhou, session=session).count() == 1


def test_an_office_registers_its_own_internal_supervisor_NAT_17(confirmed_plan, org_admin):
    _register(_client(org_admin), "林内督", "ND-01")
    lin = Supervisor.objects.get(name="林内督")
    assert lin.kind == SupervisorKind.INTERNAL and lin.org_id == org_admin.org_id


def test_another_partys_supervisor_and_session_are_out_of_reach_NAT_17(
    confirmed_plan, district_officer, org_b_admin, org_admin
):
    _register(_client(district_officer), "韩督导", "DD-0001")
    han = Supervisor.objects.get(name="韩督导")
    session = confirmed_plan.sessions.first()
    # org B's office cannot send the district's 外督, nor to org A's session
    r = _client(org_b_admin).post(
        "/oversight/supervision/", {"action": "assign", "supervisor": han.pk, "session": session.pk}, follow=True
    )
    assert not SupervisionRecord.objects.exists() and "未找到" in r.content.decode()
    # an office declaring a conflict for a candidate of another organisation finds nobody
    _register(_client(org_b_admin), "钱内督", "ND-B1")
    qian = Supervisor.objects.get(name="钱内督")
    candidate = confirmed_plan.applications.first().candidate
    r = _client(org_b_admin).post(
        "/oversight/supervision/",
        {"action": "conflict", "supervisor": qian.pk, "doc_number": candidate.doc_number, "kind": "relative"},
        follow=True,
    )
    assert "未找到该证件号码的考生" in r.content.decode() and not SupervisorConflict.objects.exists()
