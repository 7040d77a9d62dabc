"""Registration over the REST API: the lifecycle of an application, evidence and commitments, fees, the Excel
import, the candidate list and district spot checks; tenancy (ORG-4), rules as 4xx, malformed input as 422
naming the field, and fixed query counts on the lists."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from kaowu.catalog.models import Occupation
from kaowu.kernel.models import AuditEvent
from kaowu.parties import services as parties
from kaowu.plans import services as plans
from kaowu.registration import services as reg
from kaowu.registration import spotcheck
from kaowu.registration.enums import ApplicationStatus, Finding, ImportStatus
from kaowu.registration.models import Application, Candidate, SpotCheck
from tests import factories as f
from tests.counting import queries_of_get

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ZHANG_WEI = "110105199003071239"  # candidate_actor


@pytest.fixture(autouse=True)
def _no_throttle_history():
    """The portal registration is throttled per address; each test starts with a clean count."""
    cache.clear()
    yield
    cache.clear()


def client_for(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def call(client: Client, method: str, path: str, body=None):
    if method == "get":
        return client.get(f"/api/v1{path}")
    return getattr(client, method)(
        f"/api/v1{path}", data=body if body is not None else {}, content_type="application/json"
    )


def upload(client: Client, path: str, name: str, content: bytes, **fields):
    return client.post(f"/api/v1{path}", data={**fields, "file": SimpleUploadedFile(name, content)})


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 420), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def fee_standard(org_admin, org_a):
    massage = Occupation.objects.get(code="4-10-04-02")
    parties.publish_fee_items(
        actor=org_admin,
        org=org_a,
        items=[
            {"occupation": massage, "level": 5, "subject": "theory", "amount_yuan": "150"},
            {"occupation": massage, "level": 5, "subject": "skill", "amount_yuan": "300"},
        ],
    )


@pytest.fixture
def app_a(open_plan, org_admin):
    """Org A's draft application for 考生001 at level 5."""
    return reg.create_application(actor=org_admin, candidate=f.candidate(1), plan=open_plan, level=5)


@pytest.fixture
def listed(open_plan, org_admin):
    """Org A's confirmed plan, 21 approved candidates, the list confirmed: ready for the spot check."""
    plans.confirm_batch_plan(actor=org_admin, plan=open_plan)
    f.approved_applications(plan=open_plan, actor=org_admin, count=21)
    reg.confirm_candidates(actor=org_admin, plan=open_plan)
    return open_plan


# -- candidates (REG-1) ----------------------------------------------------------------------------------------


def test_a_candidate_registers_in_the_portal_without_logging_in_REG_1(db):
    """REG-1: a candidate registers in the portal without logging in."""
    body = {"doc_type": "id_card", "doc_number": "11010519491231002x", "name": "李芳", "phone": "13900001111"}
    r = call(Client(), "post", "/portal/register", {**body, "password": "long-enough-password"})
    assert r.status_code == 201, r.json()
    me = r.json()
    assert me["masked_doc_number"] == "110***********002X" and "doc_number" not in me
    assert "birth_date" not in me and me["sex"] == "F"  # beside the masked number it would rebuild it
    assert Candidate.objects.get().birth_date == dt.date(1949, 12, 31)
    assert Candidate.objects.get().user.username == "13900001111"


def test_a_wrong_check_character_refuses_registration_naming_the_field_REG_1(db):
    """REG-1: a wrong check character refuses registration naming the field."""
    body = {"doc_number": "110105194912310021", "name": "李芳", "phone": "13900001111", "password": "long-enough-pw"}
    r = call(Client(), "post", "/portal/register", body)
    assert r.status_code == 422 and r.json()["field"] == "doc_number" and r.json()["rule_id"] == "NAT-6"
    r = call(Client(), "post", "/portal/register", {**body, "doc_type": "library_card"})
    assert r.status_code == 422 and r.json()["field"] == "doc_type"
    assert not Candidate.objects.exists()


def test_the_portal_registration_is_throttled(db):
    body = {"doc_number": "110105194912310021", "name": "李芳", "phone": "13900001111", "password": "long-enough-pw"}
    codes = [call(Client(), "post", "/portal/register", body).status_code for _ in range(21)]
    assert codes[:20] == [422] * 20 and codes[20] == 429  # each a NAT-6 refusal, then throttled


def test_a_candidate_lists_only_their_own_record_with_the_number_masked_ORG_4(candidate_actor, app_a, org_admin):
    """ORG-4: a candidate lists only their own record with the number masked."""
    mine = call(client_for(candidate_actor), "get", "/candidates").json()
    assert [c["name"] for c in mine["items"]] == ["张伟"]
    assert mine["items"][0]["masked_doc_number"] == "110***********1239"
    assert ZHANG_WEI not in call(client_for(candidate_actor), "get", "/candidates").content.decode()
    theirs = call(client_for(org_admin), "get", "/candidates").json()
    assert [c["id"] for c in theirs["items"]] == [app_a.candidate_id]
    assert call(client_for(candidate_actor), "get", f"/candidates/{app_a.candidate_id}").status_code == 404


# -- the lifecycle of an application -------------------------------------------------------------------------


def test_an_application_goes_from_the_portal_to_approval_payment_and_refund_REG_2_REG_3_REG_5(
    open_plan, candidate_actor, org_admin, fee_standard
):
    """REG-2, REG-3, REG-5: an application goes from the portal to approval, payment and refund."""
    me, org = client_for(candidate_actor), client_for(org_admin)
    r = call(
        me,
        "post",
        f"/plans/{open_plan.pk}/applications",
        {"level": 5, "experience": "2018年至今在朝阳某养生馆从事保健按摩工作", "employer": "朝阳养生馆"},
    )
    assert r.status_code == 201, r.json()
    app = r.json()
    assert app["status"] == ApplicationStatus.DRAFT and app["candidate"]["masked_doc_number"] == "110***********1239"
    aid = app["id"]

    r = call(me, "patch", f"/applications/{aid}", {"work_years": 3.5, "specialty": "保健按摩"})
    assert r.status_code == 200 and r.json()["work_years"] == "3.5"

    r = call(me, "post", f"/applications/{aid}/qualifications", {"kind": "work", "years": 3})
    assert r.status_code == 400 and r.json()["code"] == "work_years_once"  # the one figure is work_years
    r = call(me, "post", f"/applications/{aid}/qualifications", {"kind": "training", "years": 1})
    assert r.status_code == 201, r.json()
    qid = r.json()["id"]
    assert call(me, "delete", f"/qualifications/{qid}").status_code == 204

    r = upload(me, f"/applications/{aid}/evidence", "身份证.pdf", PDF, kind="id_copy")
    assert r.status_code == 201, r.json()
    evidence = r.json()
    assert evidence["content_type"] == "pdf" and evidence["size"] == len(PDF)
    r = me.get(f"/api/v1/evidence/{evidence['id']}/file")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF and r["Content-Type"] == "application/pdf"

    text = call(me, "get", f"/applications/{aid}/commitments/work/text").json()["text"]
    assert "张伟" in text and ZHANG_WEI in text  # the signer reads their own full number
    r = call(me, "post", f"/applications/{aid}/commitments", {"kind": "work", "text_shown": text + "（改）"})
    assert r.status_code == 400 and r.json()["field"] == "text_shown"
    r = call(me, "post", f"/applications/{aid}/commitments", {"kind": "work", "text_shown": text})
    assert r.status_code == 201 and len(r.json()["text_sha256"]) == 64

    assert call(me, "post", f"/applications/{aid}/submit").json()["status"] == ApplicationStatus.SUBMITTED
    assert call(me, "post", f"/applications/{aid}/approve").status_code == 403  # the candidate does not review

    r = call(org, "post", f"/applications/{aid}/payments", payment_body())
    assert r.status_code == 422 and r.json()["rule_id"] == "REG-5"  # no fee before approval

    verdict = call(org, "get", f"/applications/{aid}/eligibility").json()
    assert verdict["eligible"] is True and verdict["holding_set"] and verdict["sets"][0]["predicates"]
    r = call(org, "post", f"/applications/{aid}/approve", {"note": "材料齐全，同意。"})
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == ApplicationStatus.APPROVED and r.json()["condition_set_id"] == verdict["holding_set"]

    lines = call(org, "get", f"/applications/{aid}/fee-lines").json()
    assert [(x["subject"], x["amount_yuan"]) for x in lines] == [("theory", "150.00"), ("skill", "300.00")]
    r = call(org, "post", f"/applications/{aid}/payments", payment_body())
    assert r.status_code == 201 and r.json()["amount_yuan"] == "450.00" and r.json()["invoice_number"] == "No.00001"
    pid = r.json()["id"]
    r = call(org, "post", f"/payments/{pid}/refund", {"amount_yuan": "450", "reason": "考生退出"})
    assert r.status_code == 409 and r.json()["code"] == "candidate_still_in_plan"

    r = call(me, "post", f"/applications/{aid}/withdraw", {"reason": "工作调动，不能参加"})
    assert r.status_code == 200 and r.json()["status"] == ApplicationStatus.WITHDRAWN
    r = call(org, "post", f"/payments/{pid}/refund", {"amount_yuan": "450", "reason": "考生退出"})
    assert r.status_code == 200 and r.json()["status"] == "refunded" and r.json()["refund_amount_yuan"] == "450.00"

    detail = call(me, "get", f"/applications/{aid}").json()
    assert [c["kind"] for c in detail["commitments"]] == ["work"] and len(detail["evidence"]) == 1
    assert [p["status"] for p in detail["payments"]] == ["refunded"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"registration.application.approved", "registration.payment.refunded"} <= actions


def payment_body(**overrides) -> dict:
    body = {
        "paid_on": "2026-11-03",
        "method": "微信支付",
        "invoice_number": "No.00001",
        "invoice_date": "2026-11-03",
        "payer": "张伟",
    }
    return {**body, **overrides}


def test_staff_enter_a_new_candidate_with_document_and_name_REG_1(open_plan, org_admin):
    """REG-1: staff enter a new candidate with document and name."""
    org = client_for(org_admin)
    body = {"level": 5, "candidate": {"doc_number": f.id_number(41), "name": "赵六", "phone": "13911112222"}}
    r = call(org, "post", f"/plans/{open_plan.pk}/applications", body)
    assert r.status_code == 201, r.json()
    person = Candidate.objects.get(name="赵六")
    assert person.phone == "13911112222" and person.user is None
    assert r.json()["candidate"]["masked_doc_number"] == person.masked_doc_number

    r = call(org, "post", f"/plans/{open_plan.pk}/applications", body)
    assert r.status_code == 400 and r.json()["code"] == "duplicate_application"
    assert Candidate.objects.filter(name="赵六").count() == 1

    bad = {"level": 5, "candidate": {"doc_number": "110105199001010000", "name": "错号"}}
    r = call(org, "post", f"/plans/{open_plan.pk}/applications", bad)
    assert r.status_code == 422 and r.json()["field"] == "doc_number" and r.json()["rule_id"]
    # A refused application leaves no candidate behind: entry and application are one transaction.
    level_3 = {"level": 3, "candidate": {"doc_number": f.id_number(42), "name": "钱七"}}
    assert call(org, "post", f"/plans/{open_plan.pk}/applications", level_3).status_code == 400
    assert not Candidate.objects.filter(name="钱七").exists()


def test_a_returned_application_is_fixed_and_resubmitted_and_a_rejection_says_why_REG_2(open_plan, org_admin, app_a):
    """REG-2: a returned application is fixed and resubmitted and a rejection says why."""
    org = client_for(org_admin)
    assert call(org, "post", f"/applications/{app_a.pk}/submit").status_code == 200
    r = call(org, "post", f"/applications/{app_a.pk}/return", {"note": " "})
    assert r.status_code == 400 and r.json()["field"] == "note"
    r = call(org, "post", f"/applications/{app_a.pk}/return", {"note": "请补充工作经历。"})
    assert r.json()["status"] == ApplicationStatus.RETURNED and r.json()["decision_note"] == "请补充工作经历。"
    assert call(org, "patch", f"/applications/{app_a.pk}", {"experience": "2019年起从事按摩"}).status_code == 200
    assert call(org, "post", f"/applications/{app_a.pk}/submit").json()["status"] == ApplicationStatus.SUBMITTED
    r = call(org, "post", f"/applications/{app_a.pk}/reject")
    assert r.status_code == 200 and r.json()["status"] == ApplicationStatus.REJECTED and r.json()["decision_note"]
    r = call(org, "post", f"/applications/{app_a.pk}/submit")
    assert r.status_code == 409 and r.json()["code"] == "application_bad_state"


def test_a_level_outside_the_scope_is_a_422_with_its_rule(open_plan, org_admin):
    body = {"level": 1, "candidate": {"doc_number": f.id_number(43), "name": "孙八"}}
    r = call(client_for(org_admin), "post", f"/plans/{open_plan.pk}/applications", body)
    assert r.status_code == 422 and r.json()["rule_id"] == "PLAN-7" and r.json()["citation"]


def test_the_candidate_list_is_confirmed_and_entry_closed_REG_6(open_plan, org_admin):
    """REG-6: the candidate list is confirmed and entry closed."""
    org = client_for(org_admin)
    r = call(org, "post", f"/plans/{open_plan.pk}/entry/close")
    assert r.status_code == 422 and r.json()["code"] == "step_missing" and r.json()["rule_id"] == "REG-6"
    plans.confirm_batch_plan(actor=org_admin, plan=open_plan)
    f.approved_applications(plan=open_plan, actor=org_admin, count=20)
    r = call(org, "post", f"/plans/{open_plan.pk}/candidates/confirm")
    assert r.status_code == 200, r.json()
    assert r.json()["step"] == "candidates_confirmed" and r.json()["plan_id"] == open_plan.pk
    r = call(org, "post", f"/plans/{open_plan.pk}/entry/close")
    assert r.status_code == 200 and r.json()["step"] == "entry_closed"
    body = {"level": 5, "candidate": {"doc_number": f.id_number(44), "name": "周九"}}
    r = call(org, "post", f"/plans/{open_plan.pk}/applications", body)
    assert r.status_code == 409 and r.json()["code"] == "entry_closed"


def test_the_list_is_not_confirmed_after_T_minus_12_REG_6(open_plan, org_admin, frozen):
    """REG-6: the list is not confirmed after T minus 12."""
    from conftest import at

    plans.confirm_batch_plan(actor=org_admin, plan=open_plan)
    f.approved_applications(plan=open_plan, actor=org_admin, count=20)
    frozen.move_to(at(open_plan.first_date - dt.timedelta(days=11)))
    r = call(client_for(org_admin), "post", f"/plans/{open_plan.pk}/candidates/confirm")
    assert r.status_code == 422 and r.json()["rule_id"] == "REG-6"


# -- tenancy (ORG-4) ---------------------------------------------------------------------------------------


def test_a_candidate_cannot_read_another_candidates_application_ORG_4(open_plan, candidate_actor, app_a):
    """ORG-4: a candidate cannot read another candidate's application."""
    me = client_for(candidate_actor)
    for path in (
        f"/applications/{app_a.pk}",
        f"/applications/{app_a.pk}/eligibility",
        f"/applications/{app_a.pk}/fee-lines",
        f"/applications/{app_a.pk}/commitments/work/text",
    ):
        r = call(me, "get", path)
        assert r.status_code == 404, path
        assert r.json() == {"code": "not_found", "message": "未找到该记录，或您无权查看。"}
    assert call(me, "post", f"/applications/{app_a.pk}/submit").status_code == 404
    assert call(me, "get", f"/plans/{open_plan.pk}/applications").status_code == 404
    app_a.refresh_from_db()
    assert app_a.status == ApplicationStatus.DRAFT


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"experience": "改别人的报名"}),
        ("post", "/submit", None),
        ("post", "/approve", None),
        ("post", "/withdraw", {"reason": "试图撤回别人的报名"}),
        ("get", "/eligibility", None),
        ("post", "/qualifications", {"kind": "training", "years": 3}),
        ("post", "/chsi-codes", {"code": "A1B2C3D4E5F6", "expires_on": "2027-01-01"}),
        ("get", "/commitments/work/text", None),
        ("get", "/archive.pdf", None),
        ("get", "/fee-lines", None),
        ("post", "/payments", payment_body()),
    ],
)
def test_org_b_gets_404_on_org_a_applications_ORG_4(app_a, org_b_admin, method, suffix, body):
    """ORG-4: Org B gets 404 on org A's applications."""
    r = call(client_for(org_b_admin), method, f"/applications/{app_a.pk}{suffix}", body)
    assert r.status_code == 404, r.content
    app_a.refresh_from_db()
    assert app_a.status == ApplicationStatus.DRAFT and not app_a.qualifications.exists()


def test_org_b_gets_404_on_org_a_plan_lists_evidence_and_qualifications_ORG_4(app_a, org_admin, org_b_admin):
    """ORG-4: Org B gets 404 on org A's plan lists, evidence and qualifications."""
    org, other = client_for(org_admin), client_for(org_b_admin)
    ev = upload(org, f"/applications/{app_a.pk}/evidence", "身份证.pdf", PDF, kind="id_copy").json()
    q = call(org, "post", f"/applications/{app_a.pk}/qualifications", {"kind": "training", "years": 2}).json()
    assert upload(other, f"/applications/{app_a.pk}/evidence", "x.pdf", PDF, kind="other").status_code == 404
    assert other.get(f"/api/v1/evidence/{ev['id']}/file").status_code == 404
    assert call(other, "delete", f"/qualifications/{q['id']}").status_code == 404
    assert call(other, "post", f"/qualifications/{q['id']}/verify", {"found_online": True}).status_code == 404
    assert call(other, "get", f"/plans/{app_a.plan_id}/applications").status_code == 404
    assert call(other, "get", "/candidates").json()["count"] == 0
    assert call(other, "get", f"/candidates/{app_a.candidate_id}").status_code == 404
    assert app_a.evidence.count() == 1 and app_a.qualifications.count() == 1


def test_org_b_gets_404_on_org_a_imports_ORG_4(open_plan, org_admin, org_b_admin):
    """ORG-4: Org B gets 404 on org A's imports."""
    from kaowu.registration.tests.test_imports import person, xlsx

    org, other = client_for(org_admin), client_for(org_b_admin)
    assert upload(other, f"/plans/{open_plan.pk}/imports", "考生.xlsx", xlsx([person(1)])).status_code == 404
    batch = upload(org, f"/plans/{open_plan.pk}/imports", "考生.xlsx", xlsx([person(1)])).json()
    assert call(other, "get", f"/imports/{batch['id']}").status_code == 404
    assert call(other, "post", f"/imports/{batch['id']}/commit").status_code == 404
    assert call(other, "get", f"/plans/{open_plan.pk}/export.xlsx").status_code == 404
    assert not Application.objects.exists()


def test_org_b_and_haidian_get_404_on_chaoyangs_spot_check_ORG_4_REG_7(
    listed, district_officer, haidian_officer, org_b_admin, centre_admin, org_admin
):
    """ORG-4, REG-7: Org B and Haidian get 404 on Chaoyang's spot check."""
    check = spotcheck.draw_spot_check(actor=district_officer, plan=listed, seed="s")
    item = check.items.first()
    for outsider in (haidian_officer, org_b_admin):
        client = client_for(outsider)
        assert call(client, "get", f"/plans/{listed.pk}/spot-check").status_code == 404
        assert call(client, "get", f"/spot-checks/{check.pk}").status_code == 404
        assert call(client, "post", f"/spot-check-items/{item.pk}/finding", {"finding": "eligible"}).status_code == 404
        r = call(client, "post", f"/spot-checks/{check.pk}/finish", {"summary": "完成"})
        assert r.status_code == 404
        assert call(client, "get", "/spot-checks").json()["count"] == 0
    r = call(client_for(haidian_officer), "post", f"/plans/{listed.pk}/spot-check")
    assert r.status_code == 404
    item.refresh_from_db()
    assert item.finding == Finding.PENDING
    for insider in (district_officer, centre_admin, org_admin):
        assert [c["id"] for c in call(client_for(insider), "get", "/spot-checks").json()["items"]] == [check.pk]


# -- spot checks (REG-7) ---------------------------------------------------------------------------------------


def test_a_district_draws_30_percent_and_the_draw_is_reproducible_REG_7(listed, district_officer, org_admin):
    """REG-7: a district draws 30 percent and the draw is reproducible."""
    district = client_for(district_officer)
    r = call(district, "post", f"/plans/{listed.pk}/spot-check", {"seed": "20261102-chaoyang"})
    assert r.status_code == 201, r.json()
    check = r.json()
    assert check["population"] == 21 and check["sample_size"] == 7 and check["seed"] == "20261102-chaoyang"
    assert len(check["items"]) == 7 and check["reproduced_equal"] is True
    assert [i["draw_order"] for i in check["items"]] == list(range(1, 8))
    assert all("*" in i["candidate"]["masked_doc_number"] for i in check["items"])
    r = call(district, "post", f"/plans/{listed.pk}/spot-check")
    assert r.status_code == 409 and r.json()["code"] == "spot_check_exists"

    first, *rest = check["items"]
    r = call(district, "post", f"/spot-check-items/{first['id']}/finding", {"finding": "ineligible"})
    assert r.status_code == 400 and r.json()["field"] == "note"
    body = {"finding": "ineligible", "note": "工作年限承诺与社保记录不符"}
    assert call(district, "post", f"/spot-check-items/{first['id']}/finding", body).json()["finding"] == "ineligible"
    for item in rest:
        call(district, "post", f"/spot-check-items/{item['id']}/finding", {"finding": "eligible"})
    r = call(district, "post", f"/spot-checks/{check['id']}/finish", {"summary": "抽查7人，1人不符合"})
    assert r.status_code == 400 and r.json()["code"] == "items_unresolved"
    r = call(
        client_for(org_admin), "post", f"/spot-check-items/{first['id']}/resolve", {"remove": True, "note": "已移出"}
    )
    assert r.status_code == 200 and r.json()["application_status"] == ApplicationStatus.REMOVED
    r = call(district, "post", f"/spot-checks/{check['id']}/finish", {"summary": "抽查7人，1人不符合已移出"})
    assert r.status_code == 200 and r.json()["status"] == "finished"
    listed_checks = call(district, "get", "/spot-checks").json()["items"]
    assert listed_checks[0]["reviewed"] == 7 and listed_checks[0]["problems"] == 1


def test_a_tampered_draw_is_shown_as_not_reproduced_REG_7(listed, district_officer):
    """REG-7: a tampered draw is shown as not reproduced."""
    check = spotcheck.draw_spot_check(actor=district_officer, plan=listed, seed="s")
    SpotCheck.objects.filter(pk=check.pk).update(seed="another")
    r = call(client_for(district_officer), "get", f"/plans/{listed.pk}/spot-check")
    assert r.status_code == 200 and r.json()["reproduced_equal"] is False


# -- evidence and uploads (REG-3) -------------------------------------------------------------------------------


def test_a_png_named_pdf_is_refused_with_422_REG_3(app_a, org_admin):
    """REG-3: a PNG named .pdf is refused with 422."""
    r = upload(client_for(org_admin), f"/applications/{app_a.pk}/evidence", "身份证.pdf", png(), kind="id_copy")
    assert r.status_code == 422
    assert r.json()["rule_id"] == "REG-3" and r.json()["field"] == "file" and r.json()["code"] == "upload_type"
    assert not app_a.evidence.exists()


def test_an_upload_without_a_file_or_kind_is_a_422_naming_it_REG_3(app_a, org_admin):
    """REG-3: an upload without a file or kind is a 422 naming it."""
    client = client_for(org_admin)
    r = client.post(f"/api/v1/applications/{app_a.pk}/evidence", data={"kind": "id_copy"})
    assert r.status_code == 422 and r.json()["field"] == "file"
    r = upload(client, f"/applications/{app_a.pk}/evidence", "a.pdf", PDF, kind="selfie")
    assert r.status_code == 422 and r.json()["field"] == "kind"
    r = call(client, "post", f"/applications/{app_a.pk}/evidence", {"kind": "id_copy"})
    assert r.status_code == 422
    assert not app_a.evidence.exists()


def test_an_oversized_upload_is_refused_before_it_is_read_REG_3(app_a, org_admin):
    """REG-3: an oversized upload is refused before it is read."""
    big = PDF + b"0" * (5 * 1024 * 1024)
    r = upload(client_for(org_admin), f"/applications/{app_a.pk}/evidence", "big.pdf", big, kind="other")
    assert r.status_code == 422 and r.json()["code"] == "upload_too_large" and r.json()["rule_id"] == "REG-3"


def test_a_chsi_code_is_recorded_and_checked_against_its_report_REG_3(app_a, org_admin, org_b_admin):
    """REG-3: a 学信网 code is recorded and checked against its report."""
    org = client_for(org_admin)
    r = call(org, "post", f"/applications/{app_a.pk}/chsi-codes", {"code": "A1B2C3D4E5F6", "expires_on": "2027-12-31"})
    assert r.status_code == 422 and r.json()["field"] == "expires_on" and r.json()["rule_id"] == "REG-3"
    r = call(org, "post", f"/applications/{app_a.pk}/chsi-codes", {"code": "A1B2C3D4E5F6", "expires_on": "2027-01-31"})
    assert r.status_code == 201, r.json()
    code_id = r.json()["id"]
    report = upload(org, f"/applications/{app_a.pk}/evidence", "学信网.pdf", PDF, kind="chsi_report").json()
    r = call(org, "post", f"/chsi-codes/{code_id}/check", {"content_ok": True, "report_id": report["id"] + 1000})
    assert r.status_code == 422 and r.json()["field"] == "report_id"
    r = call(org, "post", f"/chsi-codes/{code_id}/check", {"content_ok": True, "report_id": report["id"]})
    assert r.status_code == 200 and r.json()["content_ok"] is True and r.json()["report_id"] == report["id"]
    assert (
        call(client_for(org_b_admin), "post", f"/chsi-codes/{code_id}/check", {"content_ok": False}).status_code == 404
    )


def test_a_certificate_is_declared_and_verified_online_NAT_5(app_a, org_admin):
    """NAT-5: a certificate is declared and verified online."""
    org = client_for(org_admin)
    body = {"kind": "certificate", "level": 5, "number": "S000011010001265000001", "obtained_on": "1998-06-30"}
    r = call(org, "post", f"/applications/{app_a.pk}/qualifications", body)
    assert r.status_code == 201, r.json()
    assert r.json()["number_format"] == "national_22" and r.json()["verified"] is False
    r = call(org, "post", f"/qualifications/{r.json()['id']}/verify", {"found_online": True})
    assert r.status_code == 200 and r.json()["verified"] is True


def test_the_commitment_text_is_only_for_the_signer_and_the_office(app_a, district_officer, org_admin):
    r = call(client_for(district_officer), "get", f"/applications/{app_a.pk}/commitments/work/text")
    assert r.status_code == 403
    r = call(client_for(org_admin), "get", f"/applications/{app_a.pk}/commitments/training/text")
    assert r.status_code == 200 and r.json()["kind_label"] == "培训经历承诺书"
    r = call(client_for(org_admin), "get", f"/applications/{app_a.pk}/commitments/bribe/text")
    assert r.status_code == 422 and r.json()["field"] == "kind"


def test_the_signed_commitment_and_the_archive_download_as_pdf_REG_8(open_plan, candidate_actor, org_admin):
    """REG-8: the signed commitment and the archive download as PDF."""
    me = client_for(candidate_actor)
    aid = call(me, "post", f"/plans/{open_plan.pk}/applications", {"level": 5}).json()["id"]
    text = call(me, "get", f"/applications/{aid}/commitments/work/text").json()["text"]
    cid = call(me, "post", f"/applications/{aid}/commitments", {"kind": "work", "text_shown": text}).json()["id"]
    r = me.get(f"/api/v1/commitments/{cid}.pdf")
    assert r.status_code == 200 and r.content[:4] == b"%PDF" and r["Content-Type"] == "application/pdf"
    assert me.get(f"/api/v1/applications/{aid}/archive.pdf").status_code == 403
    r = client_for(org_admin).get(f"/api/v1/applications/{aid}/archive.pdf")
    assert r.status_code == 200 and r.content[:4] == b"%PDF"
    assert client_for(org_admin).get(f"/api/v1/commitments/{cid + 1000}.pdf").status_code == 404


# -- Excel import and export -----------------------------------------------------------------------------------


def test_a_sheet_is_previewed_then_committed_over_the_api_REG_1(open_plan, org_admin):
    """REG-1: a sheet is previewed then committed over the API."""
    from kaowu.registration.tests.test_imports import person, xlsx

    org = client_for(org_admin)
    r = upload(org, f"/plans/{open_plan.pk}/imports", "考生.xlsx", xlsx([person(1), person(2)]))
    assert r.status_code == 201, r.json()
    batch = r.json()
    assert batch["status"] == ImportStatus.PREVIEW and batch["row_count"] == 2 and batch["errors"] == []
    assert [row["name"] for row in batch["preview"]] == ["考生1", "考生2"]
    assert all("*" in row["masked_doc_number"] for row in batch["preview"])
    assert not Application.objects.exists()
    r = call(org, "post", f"/imports/{batch['id']}/commit")
    assert r.status_code == 200 and r.json()["status"] == ImportStatus.COMMITTED
    assert Application.objects.filter(plan=open_plan).count() == 2
    r = call(org, "post", f"/imports/{batch['id']}/commit")
    assert r.status_code == 409 and r.json()["code"] == "import_not_preview"

    r = org.get(f"/api/v1/plans/{open_plan.pk}/export.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="registration.export.downloaded").count() == 1


def test_a_bad_file_is_refused_with_every_error_listed(open_plan, org_admin):
    from kaowu.registration.tests.test_imports import person, xlsx

    org = client_for(org_admin)
    r = upload(org, f"/plans/{open_plan.pk}/imports", "考生.xlsx", PDF)
    assert r.status_code == 201 and r.json()["status"] == ImportStatus.REFUSED
    assert "PDF" in r.json()["errors"][0]["message"]
    bad = xlsx([person(1, 证件号码="110105199003070000"), person(2, 认定等级="九级")])
    errors = upload(org, f"/plans/{open_plan.pk}/imports", "考生.xlsx", bad).json()["errors"]
    assert {(e["row"], e["column"]) for e in errors} >= {(2, "F"), (3, "C")}


def test_the_export_is_for_the_organisations_office_only(open_plan, district_officer, candidate_actor):
    assert client_for(district_officer).get(f"/api/v1/plans/{open_plan.pk}/export.xlsx").status_code == 403
    assert client_for(candidate_actor).get(f"/api/v1/plans/{open_plan.pk}/export.xlsx").status_code == 404


# -- malformed input: 422 naming the field, never 500 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "level"),
        ({"level": "五级"}, "level"),
        ({"level": 9}, "level"),
        ({"level": 5, "colour": "red"}, "colour"),
        ({"level": 5, "candidate": {"name": "无证件"}}, "candidate.doc_number"),
        ({"level": 5, "candidate": {"doc_number": "1" * 50, "name": "长"}}, "candidate.doc_number"),
        (
            {"level": 5, "candidate": {"doc_number": "x", "name": "a", "birth_date": "1880-01-01"}},
            "candidate.birth_date",
        ),
        ({"level": 5, "work_years": "很多"}, "work_years"),
        ({"level": 5, "work_years": 1.25}, "work_years"),
        ({"level": 5, "category": "third"}, "category"),
        ({"level": 5, "experience": "经\x00历"}, "experience"),
        ({"level": 5, "candidate_id": 10**30}, "candidate_id"),
        ({"level": 5, "candidate_id": 999999}, "candidate_id"),
        ({"level": 5}, "candidate"),
    ],
)
def test_malformed_application_bodies_are_422_naming_the_field(open_plan, org_admin, body, field):
    r = call(client_for(org_admin), "post", f"/plans/{open_plan.pk}/applications", body)
    assert r.status_code == 422, r.content
    assert r.json()["field"] == field and r.json()["message"]
    assert not Application.objects.exists()


ODD_VALUES = [None, "", " ", [], {}, -1, 0, 1.5, True, "x" * 5000, "\x00", 10**30, "2026-02-30", {"a": 1}]


def test_every_field_of_every_registration_body_survives_odd_values_without_a_500(app_a, org_admin, fee_standard):
    client = client_for(org_admin)
    aid = app_a.pk
    bodies = [
        ("post", f"/plans/{app_a.plan_id}/applications", {"level": 5, "candidate_id": app_a.candidate_id}),
        ("patch", f"/applications/{aid}", {"experience": "2019年起", "work_years": 2}),
        ("post", f"/applications/{aid}/qualifications", {"kind": "training", "years": 3, "obtained_on": "2019-01-01"}),
        ("post", f"/applications/{aid}/chsi-codes", {"code": "A1B2C3D4E5F6", "expires_on": "2027-01-31"}),
        ("post", f"/applications/{aid}/payments", payment_body()),
        ("post", f"/applications/{aid}/return", {"note": "补充材料"}),
        ("post", f"/applications/{aid}/withdraw", {"reason": "测试"}),
    ]
    for method, path, body in bodies:
        for name in body:
            for value in ODD_VALUES:
                r = call(client, method, path, {**body, name: value})
                assert r.status_code < 500, (method, path, name, value, r.content[:300])
                assert "code" in r.json() or r.status_code in (200, 201)
        for whole in ([], "x", 1):
            r = client.generic(method.upper(), f"/api/v1{path}", data=str(whole), content_type="application/json")
            assert r.status_code < 500, (method, path, whole)


def test_a_refund_of_a_negative_or_absurd_amount_is_422(open_plan, org_admin, fee_standard):
    (app,) = f.approved_applications(plan=open_plan, actor=org_admin, count=1)
    client = client_for(org_admin)
    pid = call(client, "post", f"/applications/{app.pk}/payments", payment_body()).json()["id"]
    for amount in (-1, 0, "1e30", "12.345", "NaN"):
        r = call(client, "post", f"/payments/{pid}/refund", {"amount_yuan": amount, "reason": "测试"})
        assert r.status_code == 422 and r.json()["field"] == "amount_yuan", (amount, r.content)


def test_a_spot_check_seed_longer_than_64_is_422(listed, district_officer):
    r = call(client_for(district_officer), "post", f"/plans/{listed.pk}/spot-check", {"seed": "s" * 65})
    assert r.status_code == 422 and r.json()["field"] == "seed"
    assert not SpotCheck.objects.exists()


# -- lists: query counts, OpenAPI ------------------------------------------------------------------------------


def test_listing_applications_costs_the_same_queries_for_one_and_three(open_plan, org_admin, district_officer):
    f.approved_applications(plan=open_plan, actor=org_admin, count=1)
    paths = [f"/plans/{open_plan.pk}/applications", "/candidates"]
    clients = [client_for(org_admin), client_for(district_officer)]
    before = {(id(c), p): queries_of_get(c, "/api/v1" + p) for c in clients for p in paths}
    f.approved_applications(plan=open_plan, actor=org_admin, count=2, start=2)
    for c in clients:
        assert call(c, "get", paths[0]).json()["count"] == 3
        for p in paths:
            assert queries_of_get(c, "/api/v1" + p) == before[(id(c), p)], p


def test_filters_of_the_application_list(open_plan, org_admin, app_a):
    f.approved_applications(plan=open_plan, actor=org_admin, count=2, start=2)
    client = client_for(org_admin)
    assert call(client, "get", f"/plans/{open_plan.pk}/applications?status=approved").json()["count"] == 2
    assert call(client, "get", f"/plans/{open_plan.pk}/applications?status=draft&level=5").json()["count"] == 1
    assert call(client, "get", f"/plans/{open_plan.pk}/applications?level=4").json()["count"] == 0
    r = call(client, "get", f"/plans/{open_plan.pk}/applications?status=lost")
    assert r.status_code == 422 and r.json()["field"] == "status"
    r = call(client, "get", f"/plans/{open_plan.pk}/applications?level={10**30}")
    assert r.status_code == 422 and r.json()["field"] == "level"


def test_listing_spot_checks_costs_the_same_queries_for_one_and_three(
    open_plan, org_admin, org_a, site_a, centre_admin, district_officer
):
    plans.confirm_batch_plan(actor=org_admin, plan=open_plan)
    f.approved_applications(plan=open_plan, actor=org_admin, count=20)
    reg.confirm_candidates(actor=org_admin, plan=open_plan)
    spotcheck.draw_spot_check(actor=district_officer, plan=open_plan, seed="a")
    client = client_for(centre_admin)
    one = queries_of_get(client, "/api/v1" + "/spot-checks")
    for n, days in ((2, 40), (3, 50)):
        plan = f.plan(actor=org_admin, org=org_a, site=site_a, first_date=open_plan.first_date + dt.timedelta(days))
        f.open_plan(plan=plan, org_admin=org_admin, centre_admin=centre_admin)
        plans.confirm_batch_plan(actor=org_admin, plan=plan)
        f.approved_applications(plan=plan, actor=org_admin, count=20, start=100 * n)
        reg.confirm_candidates(actor=org_admin, plan=plan)
        spotcheck.draw_spot_check(actor=district_officer, plan=plan, seed="a")
    assert call(client, "get", "/spot-checks").json()["count"] == 3
    assert queries_of_get(client, "/api/v1" + "/spot-checks") == one


def test_openapi_lists_the_registration_endpoints(db):
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in (
        "/api/v1/portal/register",
        "/api/v1/plans/{plan_id}/applications",
        "/api/v1/applications/{application_id}/evidence",
        "/api/v1/plans/{plan_id}/spot-check",
        "/api/v1/commitments/{commitment_id}.pdf",
    ):
        assert path in paths, path
    assert (
        "multipart/form-data"
        in paths["/api/v1/applications/{application_id}/evidence"]["post"]["requestBody"]["content"]
    )
