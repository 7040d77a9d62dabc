"""The registration screens: the candidate portal, the organisation's review, fees, imports and the district's
spot checks. Who sees what (ORG-4: 404 for missing and not-yours), forms that call the services, refusals shown
beside their form with the rule (REG-1, REG-2, REG-3, REG-5, REG-6, REG-7, REG-8), and query-count guards."""

import datetime as dt
import io

import pytest
from django.db import transaction
from openpyxl import Workbook

from conftest import TODAY, at
from kaowu.catalog.models import Occupation
from kaowu.parties import services as parties
from kaowu.parties.models import User
from kaowu.plans import services as plans
from kaowu.registration import evidence, spotcheck
from kaowu.registration import services as reg
from kaowu.registration.enums import ApplicationStatus, CommitmentKind, Finding, ImportStatus
from kaowu.registration.idcard import check_character
from kaowu.registration.imports import COLUMNS
from kaowu.registration.models import (
    Application,
    Candidate,
    Commitment,
    ImportBatch,
    Payment,
    Qualification,
    SpotCheck,
)
from tests import factories as f
from tests.counting import queries_of_get

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(client, actor):
    client.force_login(actor.user)
    return client


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def listed_plan(open_plan, org_admin):
    """Org A's confirmed plan with 21 approved candidates and its list confirmed (ready for the spot check)."""
    plans.confirm_batch_plan(actor=org_admin, plan=open_plan)
    f.approved_applications(plan=open_plan, actor=org_admin, count=21)
    reg.confirm_candidates(actor=org_admin, plan=open_plan)
    return open_plan


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


def _submitted(plan, actor, n=1, *, level=5, **fields):
    app = reg.create_application(actor=actor, candidate=f.candidate(n), plan=plan, level=level, **fields)
    return reg.submit_application(actor=actor, application=app)


# The candidate portal (REG-1, REG-3, REG-6) ---------------------------------------------------------------------


def _register_post(**over):
    data = {
        "doc_type": "id_card",
        "doc_number": "110105194912310021",  # the check character should be X
        "name": "李芳",
        "phone": "13900001111",
        "email": "",
        "password": "long-enough-password",
        "password2": "long-enough-password",
    }
    data.update(over)
    return data


def test_portal_registration_with_a_wrong_check_character_shows_the_message_and_creates_nothing_REG_1(client, db):
    html = page(client.post("/portal/register/", _register_post()))
    assert "校验码错误" in html and "最后一位应为" not in html  # the right character is never told
    assert "NAT-6" in html  # the rule tag beside the field
    assert 'value="李芳"' in html and 'value="13900001111"' in html  # input kept
    assert not Candidate.objects.exists()
    assert not User.objects.filter(username="13900001111").exists()


def test_portal_registration_needs_no_login_and_signs_the_candidate_in_REG_1(client, db, frozen):
    assert client.get("/portal/register/").status_code == 200
    response = client.post("/portal/register/", _register_post(doc_number="11010519491231002x"))
    assert response.status_code == 302 and response.url == "/portal/plans/"
    candidate = Candidate.objects.get()
    assert candidate.doc_number == "11010519491231002X" and candidate.user.username == "13900001111"
    assert client.get("/portal/").status_code == 200
    client.logout()
    assert client.login(username="13900001111", password="long-enough-password")


def test_portal_registration_asks_a_passport_holder_for_birth_date_and_sex(client, db, frozen):
    html = page(client.post("/portal/register/", _register_post(doc_type="passport", doc_number="E12345678")))
    assert "护照持有人请填写出生日期和性别" in html
    assert not Candidate.objects.exists()
    response = client.post(
        "/portal/register/",
        _register_post(doc_type="passport", doc_number="E12345678", birth_date="1985-06-01", sex="F"),
    )
    assert response.status_code == 302
    assert Candidate.objects.get().birth_date == dt.date(1985, 6, 1)


def test_portal_pages_need_a_login_except_registration(client, db):
    for url in ["/portal/", "/portal/plans/", "/applications/1/", "/plans/1/applications/", "/district/spot-checks/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/"), url


def test_staff_are_not_candidates_in_the_portal(client, org_admin):
    assert login(client, org_admin).get("/portal/").status_code == 403


def test_a_candidate_applies_signs_submits_and_sees_status_REG_3(client, candidate_actor, open_plan):
    login(client, candidate_actor)
    html = page(client.get("/portal/plans/"))
    assert open_plan.org.full_name in html and "朝阳考点" in html and "2026-11-22" in html  # T−10 (REG-6)

    response = client.post(
        f"/portal/plans/{open_plan.pk}/apply/",
        {
            "level": 4,
            "category": "initial",
            "exam_type": "regular",
            "work_years": "6",
            "employer": "北京悦康保健服务中心",
            "experience": "2019年至今在北京悦康保健服务中心从事保健按摩工作",
        },
    )
    app = Application.objects.get(candidate__user=candidate_actor.user)
    assert response.status_code == 302 and response.url == f"/portal/applications/{app.pk}/"
    assert app.status == ApplicationStatus.DRAFT and app.level == 4

    html = page(client.get(response.url))
    assert "工作经历承诺书" in html and "尚缺" in html  # the engine says what is missing
    # Work years are entered once, on the application: the qualification form no longer offers 工作经历.
    assert 'value="training"' in html and 'value="work"' not in html
    assert "6年" in evidence.commitment_text(app, CommitmentKind.WORK)

    url = f"/portal/applications/{app.pk}/commitments/work/"
    html = page(client.get(url))
    text = evidence.commitment_text(app, CommitmentKind.WORK)
    assert text in html and "我已阅读并承诺" in html
    # Without the tick nothing is signed; with it, the text shown is what is stored.
    assert "请阅读承诺书全文" in page(client.post(url, {"text": text}))
    assert not Commitment.objects.exists()
    assert client.post(url, {"text": text.replace("\n", "\r\n"), "agree": "on"}).status_code == 302
    signed = Commitment.objects.get()
    assert signed.text == text

    assert client.post(f"/applications/{app.pk}/submit/").status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED
    html = page(client.get("/portal/"))
    assert "待审核" in html and "等待评价机构审核" in html
    assert client.get(f"/applications/{app.pk}/commitments/{signed.pk}.pdf").status_code == 200


def test_a_commitment_whose_text_changed_since_it_was_shown_is_not_signed_REG_3(client, candidate_actor, open_plan):
    candidate = Candidate.objects.get(user=candidate_actor.user)
    app = reg.create_application(actor=candidate_actor, candidate=candidate, plan=open_plan, level=4, work_years=3)
    shown = evidence.commitment_text(app, CommitmentKind.WORK)
    reg.update_application(actor=candidate_actor, application=app, work_years=5)
    html = page(
        login(client, candidate_actor).post(
            f"/portal/applications/{app.pk}/commitments/work/", {"text": shown, "agree": "on"}
        )
    )
    assert "承诺书内容已变化" in html
    assert not Commitment.objects.exists()


def test_the_candidate_sees_the_returned_note_and_the_rejection_reason(client, candidate_actor, open_plan, org_admin):
    candidate = Candidate.objects.get(user=candidate_actor.user)
    app = reg.create_application(actor=candidate_actor, candidate=candidate, plan=open_plan, level=4)
    reg.submit_application(actor=candidate_actor, application=app)
    reg.return_application(actor=org_admin, application=app, note="请补充工作经历承诺书")
    login(client, candidate_actor)
    assert "请补充工作经历承诺书" in page(client.get("/portal/"))
    reg.submit_application(actor=candidate_actor, application=app)
    reg.reject_application(actor=org_admin, application=app, reason="")
    html = page(client.get(f"/portal/applications/{app.pk}/"))
    assert "不予受理" in html and "不符合四级的任何一项申报条件" in html


def test_an_upload_of_the_wrong_type_is_refused_beside_the_field_REG_3(client, candidate_actor, open_plan):
    candidate = Candidate.objects.get(user=candidate_actor.user)
    app = reg.create_application(actor=candidate_actor, candidate=candidate, plan=open_plan, level=5)
    login(client, candidate_actor)
    fake = io.BytesIO(b"MZ\x90\x00 not a pdf")
    fake.name = "社保记录.pdf"
    html = page(client.post(f"/applications/{app.pk}/evidence/new/", {"kind": "social_insurance", "file": fake}))
    assert "内容不是PDF、JPEG、PNG格式" in html and "REG-3" in html
    assert not app.evidence.exists()
    good = io.BytesIO(PDF)
    good.name = "社保记录.pdf"
    client.post(f"/applications/{app.pk}/evidence/new/", {"kind": "social_insurance", "file": good})
    item = app.evidence.get()
    response = client.get(f"/applications/{app.pk}/evidence/{item.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    response.close()


def test_a_chsi_code_that_expires_soon_is_warned_about_NAT_8(client, candidate_actor, open_plan, frozen):
    candidate = Candidate.objects.get(user=candidate_actor.user)
    app = reg.create_application(actor=candidate_actor, candidate=candidate, plan=open_plan, level=4)
    login(client, candidate_actor)
    bad = page(client.post(f"/applications/{app.pk}/chsi/new/", {"code": "ABC", "expires_on": "2026-12-01"}))
    assert "12–16位字母或数字" in bad and "NAT-8" in bad
    client.post(f"/applications/{app.pk}/chsi/new/", {"code": "A1B2C3D4E5F6", "expires_on": "2026-11-10"})
    assert app.chsi_codes.count() == 1
    assert "将于2026-11-10过期" in page(client.get(f"/portal/applications/{app.pk}/"))


def test_a_certificate_number_is_recorded_with_its_format_NAT_5(client, candidate_actor, open_plan):
    candidate = Candidate.objects.get(user=candidate_actor.user)
    app = reg.create_application(actor=candidate_actor, candidate=candidate, plan=open_plan, level=4)
    login(client, candidate_actor)
    response = client.post(
        f"/applications/{app.pk}/qualifications/new/",
        {"kind": "certificate", "level": 5, "number": "1100105000523456", "obtained_on": "2020-01-01", "related": "on"},
        follow=True,
    )
    assert "16位职业资格证书编号" in page(response)
    assert Qualification.objects.get().number_format == "old_16"


# Who sees what (ORG-4) ---------------------------------------------------------------------------------------


def test_a_candidate_cannot_open_another_candidates_application_ORG_4(client, candidate_actor, open_plan, org_admin):
    other = reg.create_application(actor=org_admin, candidate=f.candidate(7), plan=open_plan, level=5)
    login(client, candidate_actor)
    for url in [
        f"/portal/applications/{other.pk}/",
        f"/portal/applications/{other.pk}/edit/",
        f"/portal/applications/{other.pk}/commitments/work/",
        f"/applications/{other.pk}/",
        f"/applications/{other.pk}/commitment-preview/work.pdf",
        f"/applications/{other.pk}/archive.pdf",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/applications/{other.pk}/submit/").status_code == 404
    assert client.post(f"/applications/{other.pk}/withdraw/", {"reason": "x"}).status_code == 404
    other.refresh_from_db()
    assert other.status == ApplicationStatus.DRAFT


def test_org_b_cannot_open_org_a_applications_review_import_or_archive_ORG_4(client, org_b_admin, open_plan, org_admin):
    app = _submitted(open_plan, org_admin)
    login(client, org_b_admin)
    for url in [
        f"/plans/{open_plan.pk}/applications/",
        f"/plans/{open_plan.pk}/applications/new/",
        f"/plans/{open_plan.pk}/import/",
        f"/plans/{open_plan.pk}/export.xlsx",
        f"/plans/{open_plan.pk}/spot-check/",
        f"/applications/{app.pk}/",
        f"/applications/{app.pk}/archive.pdf",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/applications/{app.pk}/approve/").status_code == 404
    assert client.post(f"/applications/{app.pk}/reject/", {"reason": "x"}).status_code == 404
    assert client.post(f"/plans/{open_plan.pk}/candidates/confirm/").status_code == 404
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED
    assert "考生001" not in page(client.get("/applications/"))


def test_site_staff_do_not_see_applications_ORG_4(client, invigilator, open_plan, org_admin):
    app = _submitted(open_plan, org_admin)
    login(client, invigilator)
    assert client.get(f"/applications/{app.pk}/").status_code == 404
    assert client.get(f"/plans/{open_plan.pk}/applications/").status_code == 404


def test_district_haidian_cannot_open_chaoyangs_spot_check_ORG_4_REG_7(client, haidian_officer, listed_plan):
    login(client, haidian_officer)
    assert client.get(f"/district/spot-checks/{listed_plan.pk}/").status_code == 404
    assert client.post(f"/district/spot-checks/{listed_plan.pk}/draw/", {"seed": "x"}).status_code == 404
    assert listed_plan.name not in page(client.get("/district/spot-checks/"))
    assert not SpotCheck.objects.exists()


def test_spot_check_pages_are_for_their_party_only(client, org_admin, district_officer, centre_admin, db):
    assert login(client, org_admin).get("/district/spot-checks/").status_code == 403
    assert client.get("/centre/spot-checks/").status_code == 403
    assert login(client, district_officer).get("/centre/spot-checks/").status_code == 403
    assert login(client, centre_admin).get("/district/spot-checks/").status_code == 403


# Review, fees, the candidate list (REG-2, REG-5, REG-6, REG-8) ---------------------------------------------------


def test_approve_refused_shows_the_REG_2_explanation(client, org_admin, open_plan):
    app = _submitted(open_plan, org_admin, level=4, work_years=2)
    html = page(login(client, org_admin).post(f"/applications/{app.pk}/approve/", {"note": "同意"}))
    assert "REG-2" in html
    assert "不符合四级的任何一项申报条件" in html and "条件（1）缺" in html
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED


def test_the_review_page_shows_each_condition_set_and_masks_the_id_number(client, org_admin, exam_affairs, open_plan):
    app = _submitted(open_plan, org_admin, level=4, work_years=6)
    number = app.candidate.doc_number
    html = page(login(client, exam_affairs).get(f"/applications/{app.pk}/"))
    assert "条件（1）" in html and "条件（2）" in html and "条件（3）" in html
    assert "工作经历承诺书（或社保缴纳记录）" in html  # evidence missing for the set that holds
    assert number not in html and app.candidate.masked_doc_number in html
    assert number in page(client.get(f"/applications/{app.pk}/?show_id=1"))  # on demand, for managers


def test_staff_enter_review_approve_and_record_the_fee_REG_5(client, org_admin, open_plan, fee_standard):
    login(client, org_admin)
    post = {
        "doc_type": "id_card",
        "doc_number": f.id_number(31),
        "name": "赵六",
        "phone": "13600000001",
        "level": 5,
        "category": "initial",
        "exam_type": "regular",
    }
    response = client.post(f"/plans/{open_plan.pk}/applications/new/", post)
    app = Application.objects.get(candidate__name="赵六")
    assert response.status_code == 302 and response.url == f"/applications/{app.pk}/"
    client.post(f"/applications/{app.pk}/submit/")
    assert client.post(f"/applications/{app.pk}/approve/", {"note": ""}).status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.APPROVED
    html = page(client.get(f"/applications/{app.pk}/"))
    assert "合计 <b>450.00元</b>" in html  # the published fee standard
    client.post(
        f"/applications/{app.pk}/payments/new/",
        {
            "paid_on": "2026-11-03",
            "method": "微信支付",
            "invoice_number": "No.0001",
            "invoice_date": "2026-11-03",
            "payer": "赵六",
        },
    )
    assert Payment.objects.get().amount_yuan == 450
    # Withdrawn: the fee is refunded.
    client.post(f"/applications/{app.pk}/withdraw/", {"reason": "考生因工作调动放弃"})
    client.post(
        f"/applications/{app.pk}/payments/{Payment.objects.get().pk}/refund/",
        {"amount_yuan": "450", "reason": "撤回报名"},
    )
    assert Payment.objects.get().status == "refunded"


def test_staff_entry_with_a_bad_id_number_writes_nothing_REG_1(client, org_admin, open_plan):
    login(client, org_admin)
    bad = f.id_number(31)[:-1] + ("0" if f.id_number(31)[-1] != "0" else "1")
    html = page(
        client.post(
            f"/plans/{open_plan.pk}/applications/new/",
            {
                "doc_type": "id_card",
                "doc_number": bad,
                "name": "赵六",
                "level": 5,
                "category": "initial",
                "exam_type": "regular",
            },
        )
    )
    assert "校验码错误" in html and "NAT-6" in html
    assert not Candidate.objects.exists()


def test_staff_entry_after_entry_closed_is_refused_and_leaves_no_stray_candidate_REG_6(
    client, org_admin, open_plan, frozen
):
    frozen.move_to(at(dt.date(2026, 11, 23)))  # T−9: entry closed at T−10
    login(client, org_admin)
    post = {
        "doc_type": "id_card",
        "doc_number": f.id_number(32),
        "name": "钱七",
        "level": 5,
        "category": "initial",
        "exam_type": "regular",
    }
    html = page(client.post(f"/plans/{open_plan.pk}/applications/new/", post))
    assert "REG-6" in html and "2026-11-22" in html
    assert 'value="钱七"' in html
    assert not Candidate.objects.exists()


def test_a_fee_before_approval_is_refused_REG_5(client, org_admin, open_plan, fee_standard):
    app = _submitted(open_plan, org_admin)
    html = page(
        login(client, org_admin).post(
            f"/applications/{app.pk}/payments/new/",
            {
                "paid_on": "2026-11-03",
                "method": "微信支付",
                "invoice_number": "No.0001",
                "invoice_date": "2026-11-03",
                "payer": "考生001",
            },
        )
    )
    assert "REG-5" in html and "资格确认通过后才能收费" in html
    assert 'value="No.0001"' in html  # input kept
    assert not Payment.objects.exists()


def test_confirming_too_few_candidates_is_refused_with_its_rule_PLAN_4(client, org_admin, open_plan):
    plans.confirm_batch_plan(actor=org_admin, plan=open_plan)
    f.approved_applications(plan=open_plan, actor=org_admin, count=3)
    response = login(client, org_admin).post(f"/plans/{open_plan.pk}/candidates/confirm/", follow=True)
    assert "PLAN-4" in page(response)
    assert not open_plan.milestones.filter(key="candidates_confirmed").exists()


def test_the_list_shows_the_deadlines_and_confirms_then_closes_entry_REG_6(client, org_admin, open_plan):
    plans.confirm_batch_plan(actor=org_admin, plan=open_plan)
    f.approved_applications(plan=open_plan, actor=org_admin, count=20)
    login(client, org_admin)
    html = page(client.get(f"/plans/{open_plan.pk}/applications/"))
    assert "2026-11-20" in html and "2026-11-22" in html  # T−12 and T−10
    client.post(f"/plans/{open_plan.pk}/candidates/confirm/")
    client.post(f"/plans/{open_plan.pk}/entry/close/")
    assert set(open_plan.milestones.values_list("key", flat=True)) >= {"candidates_confirmed", "entry_closed"}


def test_downloads_archive_commitment_preview_and_export_REG_8(client, org_admin, open_plan):
    (app,) = f.approved_applications(plan=open_plan, actor=org_admin, count=1)
    login(client, org_admin)
    archive = client.get(f"/applications/{app.pk}/archive.pdf")
    assert archive.status_code == 200 and archive.content.startswith(b"%PDF")
    preview = client.get(f"/applications/{app.pk}/commitment-preview/work.pdf")
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")
    sheet = client.get(f"/plans/{open_plan.pk}/export.xlsx")
    assert sheet.status_code == 200 and sheet.content.startswith(b"PK")


# Import (REG-1, REG-6) ------------------------------------------------------------------------------------------


def _xlsx(rows: list[list]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(COLUMNS))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "考生信息.xlsx"
    return buffer


def _row(n: int, *, number: str | None = None) -> list:
    first17 = f"11010519900307{2 * n + 1:03d}"
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        {
            "序号": n,
            "职业工种名称": "保健按摩师",
            "认定等级": "五级",
            "申报条件": "年满16周岁",
            "证件类型": "居民身份证",
            "证件号码": number or first17 + check_character(first17),
            "姓名": f"导入{n}",
            "手机号码": f"139{n:08d}",
            "认定分类": "初次认定",
            "考试类型": "正考",
        }
    )
    return [values[c] for c in COLUMNS]


def test_a_bad_import_file_shows_row_and_column_errors_and_writes_nothing_REG_1(client, org_admin, open_plan):
    bad = _row(2, number="110105199003070051")  # wrong check character
    login(client, org_admin)
    response = client.post(f"/plans/{open_plan.pk}/import/", {"file": _xlsx([_row(1), bad])})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and f"/plans/{open_plan.pk}/import/{batch.pk}/" in response.url
    html = page(client.get(response.url))
    assert batch.status == ImportStatus.REFUSED
    assert "第3行" in html and ">F<" in html and "证件号码" in html and "校验码" in html
    assert "未写入任何数据" in html and "确认导入" not in html
    assert not Application.objects.exists() and not Candidate.objects.exists()
    assert client.post(f"/plans/{open_plan.pk}/import/{batch.pk}/commit/").status_code == 302
    assert not Application.objects.exists()


def test_a_good_import_file_previews_then_commits(client, org_admin, open_plan):
    login(client, org_admin)
    response = client.post(f"/plans/{open_plan.pk}/import/", {"file": _xlsx([_row(1), _row(2)])})
    html = page(client.get(response.url))
    assert "共读取 <b>2</b> 行" in html and "五级 2人" in html and "确认导入 2 条报名" in html
    batch = ImportBatch.objects.get()
    response = client.post(f"/plans/{open_plan.pk}/import/{batch.pk}/commit/")
    assert response.status_code == 302 and response.url == f"/plans/{open_plan.pk}/applications/"
    assert Application.objects.filter(status=ApplicationStatus.SUBMITTED).count() == 2


# Spot checks (REG-7) ---------------------------------------------------------------------------------------------


class _Undo(Exception):
    pass


def _drawn_people(plan) -> list[str]:
    check = SpotCheck.objects.get(plan=plan)
    return [i.application.candidate.doc_number for i in check.items.select_related("application__candidate")]


def test_a_draw_with_the_same_seed_on_the_same_state_gives_the_same_list_REG_7(client, district_officer, listed_plan):
    login(client, district_officer)
    url = f"/district/spot-checks/{listed_plan.pk}/"
    html = page(client.get(url))
    assert "21" in html and "抽取 7 名考生" in html  # ceil(21 × 30%)
    try:
        with transaction.atomic():
            assert client.post(url + "draw/", {"seed": "chaoyang-2026"}).status_code == 302
            first = _drawn_people(listed_plan)
            raise _Undo
    except _Undo:
        pass
    assert not SpotCheck.objects.exists()  # a fresh state again
    client.post(url + "draw/", {"seed": "chaoyang-2026"})
    assert _drawn_people(listed_plan) == first and len(first) == 7
    html = page(client.get(url + "?reproduce=1"))
    assert "与存储的抽取结果完全一致" in html and "chaoyang-2026" in html


def test_findings_removal_by_the_org_and_finishing_REG_7(
    client, district_officer, org_admin, centre_admin, listed_plan
):
    check = spotcheck.draw_spot_check(actor=district_officer, plan=listed_plan, seed="s1")
    items = list(check.items.all())
    url = f"/district/spot-checks/{listed_plan.pk}/"
    login(client, district_officer)
    html = page(client.post(f"{url}items/{items[0].pk}/", {"finding": Finding.INELIGIBLE, "note": ""}))
    assert "须写明核查意见" in html
    client.post(f"{url}items/{items[0].pk}/", {"finding": Finding.INELIGIBLE, "note": "工作年限与社保记录不符"})
    for item in items[1:]:
        client.post(f"{url}items/{item.pk}/", {"finding": Finding.ELIGIBLE})
    assert "机构尚未处理" in page(client.post(url + "finish/", {"summary": "抽查7人，1人不符合"}))

    login(client, org_admin)
    html = page(client.get(f"/plans/{listed_plan.pk}/spot-check/"))
    assert "工作年限与社保记录不符" in html and "移出计划" in html
    client.post(
        f"/plans/{listed_plan.pk}/spot-check/items/{items[0].pk}/resolve/",
        {"action": "remove", "note": "已通知考生，移出本计划"},
    )
    assert Application.objects.get(pk=items[0].application_id).status == ApplicationStatus.REMOVED

    login(client, district_officer)
    client.post(url + "finish/", {"summary": "抽查7人，1人不符合已移出"})
    assert SpotCheck.objects.get().status == "finished"
    html = page(login(client, centre_admin).get("/centre/spot-checks/"))
    assert "已完成 7/21" in html and "1人不符合已移出" in html


# Menus and home ---------------------------------------------------------------------------------------------------


def test_the_menu_offers_each_role_its_registration_pages(
    client, org_admin, district_officer, centre_admin, candidate_actor
):
    assert "/applications/" in page(login(client, org_admin).get("/plans/"))
    assert "/district/spot-checks/" in page(login(client, district_officer).get("/plans/"))
    assert "/centre/spot-checks/" in page(login(client, centre_admin).get("/plans/"))
    assert "/portal/plans/" in page(login(client, candidate_actor).get("/portal/"))


# Query-count guards ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["", "?status=approved", "?level=5"])
def test_the_application_list_costs_the_same_queries_for_1_and_3_rows(client, org_admin, open_plan, url):
    f.approved_applications(plan=open_plan, actor=org_admin, count=1)
    login(client, org_admin)
    path = f"/plans/{open_plan.pk}/applications/{url}"
    one = queries_of_get(client, path)
    f.approved_applications(plan=open_plan, actor=org_admin, count=2, start=2)
    assert queries_of_get(client, path) == one


@pytest.fixture
def more_listed_plans(org_admin, centre_admin, org_a, site_a, district_officer):
    """Two more confirmed plans of org A with their lists confirmed; one of them drawn."""

    def make(n: int):
        plan = f.plan(actor=org_admin, org=org_a, site=site_a, first_date=TODAY + dt.timedelta(days=30))
        plan = f.open_plan(plan=plan, org_admin=org_admin, centre_admin=centre_admin)
        plans.confirm_batch_plan(actor=org_admin, plan=plan)
        f.approved_applications(plan=plan, actor=org_admin, count=20, start=100 * n)
        reg.confirm_candidates(actor=org_admin, plan=plan)
        return plan

    def add():
        second, third = make(1), make(2)
        spotcheck.draw_spot_check(actor=district_officer, plan=second, seed="x")
        return [second, third]

    return add


@pytest.mark.parametrize(("who", "url"), [("district", "/district/spot-checks/"), ("centre", "/centre/spot-checks/")])
def test_the_spot_check_lists_cost_the_same_queries_for_1_and_3_plans_REG_7(
    client, district_officer, centre_admin, listed_plan, more_listed_plans, who, url
):
    login(client, district_officer if who == "district" else centre_admin)
    one = queries_of_get(client, url)
    more_listed_plans()
    assert page(client.get(url)).count("<tr") == 4  # header + 3 plans
    assert queries_of_get(client, url) == one


def test_the_registration_overview_costs_the_same_queries_for_1_and_3_plans(
    client, org_admin, listed_plan, more_listed_plans
):
    login(client, org_admin)
    one = queries_of_get(client, "/applications/")
    more_listed_plans()
    assert queries_of_get(client, "/applications/") == one
