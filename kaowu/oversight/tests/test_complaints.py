"""SUP-2: consultations, complaints, petitions and reports about an organisation, from the public page, a
candidate or the district; a register with owner, deadline, replies and outcome; the complainant sees their own
case; an attachment of the wrong type is refused and nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.oversight import queries
from kaowu.oversight.enums import ComplaintChannel, ComplaintStatus
from kaowu.oversight.models import Complaint
from kaowu.oversight.services import complaints as svc

PDF = b"%PDF-1.4\n%test\n"


def _submit(actor, org, **kw):
    data = dict(
        kind="complaint",
        complainant_name="刘群众",
        contact="13900000000",
        subject="收费不透明",
        body="报名时收取了未公示的资料费。",
    )
    data.update(kw)
    return svc.submit_complaint(actor=actor, org=org, **data)


def test_public_complaint_gets_a_number_access_code_and_deadline_SUP_2(org_a, frozen):
    c = _submit(svc.PUBLIC, org_a, attachments=[("收据.pdf", PDF)])
    assert c.channel == ComplaintChannel.PUBLIC and c.district_id == org_a.district_id
    assert c.deadline == dt.date(2026, 11, 2) + dt.timedelta(days=15)
    assert c.attachments.get().content_type == "pdf"
    assert queries.public_complaint(c.number, c.access_code) == c
    assert queries.public_complaint(c.number, "00000000" if c.access_code != "00000000" else "1") is None


def test_attachment_of_the_wrong_type_is_refused_and_nothing_saved_SUP_2(org_a):
    with pytest.raises(KaowuError) as exc:
        _submit(svc.PUBLIC, org_a, attachments=[("证据.pdf", PDF), ("病毒.exe", b"MZ\x90\x00")])
    assert exc.value.rule_id == "SUP-2" and exc.value.code == "attachment_type"
    with pytest.raises(KaowuError):
        _submit(svc.PUBLIC, org_a, attachments=[("伪装.pdf", b"\x89PNG\r\n\x1a\n0000")])  # name and content differ
    assert not Complaint.objects.exists()


def test_candidate_sees_their_own_case_only_SUP_2(org_a, candidate_actor, district_officer):
    own = _submit(candidate_actor, org_a)
    other = _submit(district_officer, org_a, complainant_name="电话来访")
    assert own.channel == ComplaintChannel.CANDIDATE and other.channel == ComplaintChannel.DISTRICT
    assert list(queries.complaints(candidate_actor)) == [own]
    with pytest.raises(Http404):
        queries.complaint_for(candidate_actor, other.pk)


def test_district_register_owner_reply_and_outcome_SUP_2(org_a, district_officer, frozen):
    c = _submit(svc.PUBLIC, org_a)
    svc.set_owner(actor=district_officer, complaint=c, owner=district_officer.user)
    svc.reply(actor=district_officer, complaint=c, text="已受理，正在核查。")
    c.refresh_from_db()
    assert c.status == ComplaintStatus.ANSWERED and c.owner == district_officer.user
    assert not svc.is_overdue(c, today=c.deadline) and svc.is_overdue(c, today=c.deadline + dt.timedelta(days=1))
    svc.close_complaint(actor=district_officer, complaint=c, outcome="责令机构退还资料费。")
    c.refresh_from_db()
    assert c.status == ComplaintStatus.CLOSED and c.outcome


def test_complaints_are_scoped_to_the_district_both_ways_SUP_2(
    org_a, org_b, district_officer, haidian_officer, org_admin, org_b_admin
):
    a = _submit(svc.PUBLIC, org_a)
    b = _submit(svc.PUBLIC, org_b)
    assert list(queries.complaints(district_officer)) == [a]
    assert list(queries.complaints(haidian_officer)) == [b]
    for actor, foreign in ((district_officer, b), (haidian_officer, a), (org_admin, b), (org_b_admin, a)):
        with pytest.raises(Http404):
            queries.complaint_for(actor, foreign.pk)
    with pytest.raises(NotAllowed):
        svc.reply(actor=haidian_officer, complaint=a, text="x")
    with pytest.raises(NotAllowed):
        _submit(haidian_officer, org_a)  # another district's organisation
    with pytest.raises(NotAllowed):
        _submit(org_admin, org_a)  # the organisation does not file against itself


def test_the_register_lists_the_result_complaints_registered_by_results_SUP_2(
    open_plan, district_officer, haidian_officer
):
    from django.test import Client

    from kaowu.kernel import clock
    from kaowu.results.models import Complaint as ResultComplaint

    ResultComplaint.objects.create(plan=open_plan, text="理论成绩有误", received_at=clock.now())
    client = Client()
    client.force_login(district_officer.user)
    assert "理论成绩有误" in client.get("/oversight/complaints/").content.decode()
    client.force_login(haidian_officer.user)
    assert "理论成绩有误" not in client.get("/oversight/complaints/").content.decode()
