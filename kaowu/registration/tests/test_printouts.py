"""Registration printouts: the signed 承诺书 (REG-3) and the per-candidate archive bundle (REG-8)."""

import datetime as dt
import hashlib
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from kaowu.kernel import pdf
from kaowu.kernel.actors import Actor
from kaowu.policy.engine import rule
from kaowu.registration import candidates, evidence
from kaowu.registration import services as reg
from kaowu.registration.enums import ApplicationStatus, CommitmentKind
from kaowu.registration.printouts import archive as archive_module
from kaowu.registration.printouts import (
    archive_data,
    archive_pdf,
    commitment_data,
    commitment_pdf,
    commitment_preview_data,
    commitment_preview_pdf,
)
from kaowu.registration.printouts import commitment as commitment_module
from tests import factories as f

ID_PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHSI_PDF = ID_PDF + b"% chsi report\n"
FULL_ID = "110105199003071239"  # candidate_actor, 张伟
MASKED_ID = "110***********1239"


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 420), (230, 236, 248)).save(out, format="PNG")
    return out.getvalue()


def _pages(body: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", body))


@pytest.fixture
def electrician_plan(frozen, org_b_admin, org_b, site_b, centre_admin):
    """Org B's 电工 plan (template A), levels 4 and 3, open for entry; T = 2026-12-02."""
    plan = f.plan(
        actor=org_b_admin,
        org=org_b,
        site=site_b,
        first_date=dt.date(2026, 12, 2),
        occupation_code="6-31-01-03",
        levels={4: 15, 3: 10},
    )
    return f.open_plan(plan=plan, org_admin=org_b_admin, centre_admin=centre_admin)


@pytest.fixture
def me(candidate_actor):
    return Actor.of(candidate_actor.user, ip="203.0.113.27")


@pytest.fixture
def draft(electrician_plan, me):
    """张伟's draft 三级 application: 8 years of work, a 四级 certificate of 2019, a 大专 diploma."""
    app = reg.create_application(
        actor=me,
        candidate=me.user.candidate,
        plan=electrician_plan,
        level=3,
        work_years=Decimal(8),
        specialty="供用电技术",
        employer="北京某电力工程有限公司",
        declared_condition="取得本职业四级证书后，累计从事本职业工作5年以上",
        experience="2016年7月至今在北京某电力工程有限公司从事配电安装与运维工作",
        diploma_number="118371201906001234",
    )
    reg.add_qualification(
        actor=me,
        application=app,
        kind="certificate",
        level=4,
        number="S000011010001214000123",
        obtained_on=dt.date(2019, 6, 30),
        occupation_code="6-31-01-03",
    )
    reg.add_qualification(
        actor=me, application=app, kind="diploma", diploma_type="junior_college", specialty="供用电技术"
    )
    return app


@pytest.fixture
def approved(draft, me, org_b_admin, frozen):
    """The draft with everything on file and approved: photo, work commitment, checked 学信网 code, verified
    certificate, two evidence files."""
    candidates.set_photo(actor=me, candidate=draft.candidate, name="photo.png", content=_photo())
    id_copy = evidence.upload_evidence(actor=me, application=draft, kind="id_copy", name="身份证.pdf", content=ID_PDF)
    report = evidence.upload_evidence(
        actor=me, application=draft, kind="chsi_report", name="学历证书电子注册备案表.pdf", content=CHSI_PDF
    )
    chsi = evidence.add_chsi_code(actor=me, application=draft, code="A1B2C3D4E5F6G7H8", expires_on=dt.date(2027, 4, 20))
    evidence.sign_commitment(
        actor=me,
        application=draft,
        kind=CommitmentKind.WORK,
        text_shown=evidence.commitment_text(draft, CommitmentKind.WORK),
    )
    frozen.shift(dt.timedelta(hours=2))
    evidence.check_chsi_code(actor=org_b_admin, chsi=chsi, content_ok=True, note="学历为大学专科", report=report)
    evidence.verify_certificate(
        actor=org_b_admin, qualification=draft.qualifications.get(kind="certificate"), found_online=True
    )
    reg.submit_application(actor=me, application=draft)
    app = reg.approve_application(actor=org_b_admin, application=draft)
    assert app.status == ApplicationStatus.APPROVED and id_copy.pk
    return app


# ---- 承诺书 (REG-3) -----------------------------------------------------------------------------------------


def test_signed_commitment_prints_the_stored_text_and_its_signature_block_REG_3(draft, me):
    signed = evidence.sign_commitment(
        actor=me,
        application=draft,
        kind=CommitmentKind.WORK,
        text_shown=evidence.commitment_text(draft, CommitmentKind.WORK),
    )
    data = commitment_data(signed)

    assert data["title"] == "工作经历承诺书" and data["preview"] is False
    assert data["org_name"] == "北京海淀电力技能评价中心" and data["plan_name"] == str(draft.plan)
    assert data["occupation"] == "电工（6-31-01-03）" and data["level"] == "三级/高级工"
    assert data["text"] == signed.text
    sig = data["signature"]
    assert sig["name"] == "张伟" and sig["doc_number"] == MASKED_ID and FULL_ID not in str(sig)
    assert sig["method"] == "在线签署"
    assert sig["signed_at"] == "2026-11-02 09:00:00" and sig["signed_on"] == "2026年11月2日"
    assert sig["signed_ip"] == "203.0.113.27"
    assert sig["sha256"] == signed.text_sha256 == hashlib.sha256(signed.text.encode()).hexdigest()
    assert sig["sha256_ok"] is True

    body = commitment_pdf(signed)
    assert body.startswith(b"%PDF") and _pages(body) == 1
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595\.\d+ 841\.\d+\s*\]", body)  # A4
    assert pdf.query(commitment_module.TEMPLATE, data, "<commitment>") == [data]


def test_signed_commitment_keeps_the_stored_text_after_the_application_changed_REG_3(draft, me):
    signed = evidence.sign_commitment(
        actor=me,
        application=draft,
        kind=CommitmentKind.WORK,
        text_shown=evidence.commitment_text(draft, CommitmentKind.WORK),
    )
    changed = reg.update_application(
        actor=me, application=draft, experience="改过的经历：2020年起在别处工作", work_years=3
    )
    now = evidence.commitment_text(changed, CommitmentKind.WORK)
    assert now != signed.text and "改过的经历" in now

    data = commitment_data(signed)
    assert data["text"] == signed.text and "改过的经历" not in data["text"]
    assert data["signature"]["sha256"] == signed.text_sha256
    assert commitment_pdf(signed).startswith(b"%PDF")
    assert pdf.query(commitment_module.TEMPLATE, data, "<commitment>")[0]["text"] == signed.text


def test_a_tampered_commitment_text_is_flagged_on_the_printout_REG_3(draft, me):
    signed = evidence.sign_commitment(
        actor=me,
        application=draft,
        kind=CommitmentKind.WORK,
        text_shown=evidence.commitment_text(draft, CommitmentKind.WORK),
    )
    type(signed).objects.filter(pk=signed.pk).update(text=signed.text + "（后加）")
    assert commitment_data(signed)["signature"]["sha256_ok"] is False
    assert commitment_pdf(signed).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        (CommitmentKind.WORK, "工作经历承诺书"),
        (CommitmentKind.TRAINING, "培训经历承诺书"),
        (CommitmentKind.DIPLOMA, "技工院校/职业院校毕业证书承诺书"),
    ],
)
def test_commitment_preview_shows_the_unsigned_text_marked_as_such_REG_3(draft, kind, title):
    data = commitment_preview_data(draft, kind)
    assert data["title"] == title and data["preview"] is True and data["mark"] == "未签署（预览）"
    assert data["text"] == evidence.commitment_text(draft, kind)
    assert data["signature"]["sha256"] == "" and data["signature"]["signed_at"] == ""
    assert data["signature"]["doc_number"] == MASKED_ID
    body = commitment_preview_pdf(draft, kind)
    assert body.startswith(b"%PDF") and _pages(body) == 1
    assert pdf.query(commitment_module.TEMPLATE, data, "<commitment>") == [data]


# ---- 资格确认材料归档 (REG-8) --------------------------------------------------------------------------------


def test_archive_data_has_every_section_and_field_REG_8(approved):
    data = archive_data(approved)

    assert data["title"] == "资格确认材料归档" and data["rule"] == "REG-8"
    assert data["sections"] == [
        "一、考生申报信息",
        "二、资格审核结论",
        "三、网络查询记录",
        "四、承诺书",
        "五、证明材料清单",
    ]
    assert data["basis"] == f"依据{rule('REG-8').citation}：{rule('REG-8').title}"
    assert data["application_id"] == approved.pk and data["level"] == "三级/高级工"

    # (1) 考生申报信息: the archive keeps the full document number and the photo itself.
    cand = data["candidate"]
    assert [r["key"] for r in cand["fields"]] == archive_module.CANDIDATE_FIELDS
    values = {r["key"]: r["value"] for r in cand["fields"]}
    assert values["doc_number"] == cand["doc_number"] == FULL_ID
    assert values["name"] == "张伟" and values["birth_date"] == "1990-03-07" and values["sex"] == "男"
    photo = cand["photo"]
    assert bytes(photo["image"]) == _photo() and photo["sha256"] == hashlib.sha256(_photo()).hexdigest()
    fields = {r["key"]: r for r in data["application"]["fields"]}
    assert list(fields) == [*archive_module.APPLICATION_FIELDS, "created_by"]
    assert fields["level"]["value"] == "三级/高级工" and fields["category"]["value"] == "初次认定"
    assert fields["exam_type"]["value"] == "正考" and fields["work_years"]["value"] == "8年"
    assert fields["specialty"]["value"] == "供用电技术" and fields["employer"]["value"] == "北京某电力工程有限公司"
    assert fields["declared_condition"]["value"].startswith("取得本职业四级证书后") and fields["experience"]["wide"]
    assert [q["kind"] for q in data["application"]["qualifications"]] == ["certificate", "diploma"]

    # (2) 资格审核结论 and the evaluation stored at the decision (NAT-13).
    review = data["review"]
    assert review["status"] == "approved" and review["status_label"] == "审核通过" and review["decided"]
    assert review["decided_by"] == "吴海" and review["decided_at"] == "2026-11-02 11:00:00"
    assert review["decision_note"] == approved.decision_note
    assert review["condition_set"] == {
        "id": approved.condition_set_id,
        "ordinal": approved.condition_set.ordinal,
        "label": approved.condition_set.label,
    }
    ev = review["evaluation"]
    stored = approved.evaluation
    assert ev["eligible"] is True and ev["reference_date"] == "2026-12-02"
    assert ev["explanation"] == stored["explanation"]
    assert len(ev["sets"]) == len(stored["sets"]) == 3
    assert [s["chosen"] for s in ev["sets"]] == [s["condition_set_id"] == stored["holding_set"] for s in stored["sets"]]
    for printed, kept in zip(ev["sets"], stored["sets"], strict=True):
        assert (printed["ordinal"], printed["label"], printed["holds"]) == (
            kept["ordinal"],
            kept["label"],
            kept["holds"],
        )
        assert [
            (p["text"], p["met"], p["detail"], p["evidence"], p["evidence_missing"]) for p in printed["predicates"]
        ] == [(p["text"], p["met"], p["detail"], p["evidence"], p["evidence_missing"]) for p in kept["predicates"]]
    assert any(not p["met"] for s in ev["sets"] for p in s["predicates"])  # the unmet ones are kept too

    # (3) 网络查询记录
    [chsi] = data["lookups"]["chsi_codes"]
    assert chsi["code"] == "A1B2C3D4E5F6G7H8" and chsi["expires_on"] == "2027-04-20"
    assert chsi["content_ok"] is True and chsi["checked_by"] == "吴海" and chsi["checked_at"] == "2026-11-02 11:00:00"
    assert chsi["note"] == "学历为大学专科" and chsi["report"] == "学历证书电子注册备案表.pdf"
    [cert] = data["lookups"]["certificates"]
    assert cert["number"] == "S000011010001214000123" and cert["number_format"] == "22位职业技能等级证书编号"
    assert cert["level"] == "四级/中级工" and cert["verified"] and cert["verified_by"] == "吴海"
    assert cert["verified_at"] == "2026-11-02 11:00:00" and cert["note"]

    # (4) 承诺书: the signed text, its signature line and its digest.
    [signed] = approved.commitments.all()
    [c] = data["commitments"]
    assert c["title"] == "工作经历承诺书" and c["text"] == signed.text and c["sha256"] == signed.text_sha256
    assert c["sha256_ok"] and c["name"] == "张伟" and c["method"] == "在线签署"
    assert c["signed_at"] == "2026-11-02 09:00:00" and c["signed_ip"] == "203.0.113.27"

    # (5) 证明材料清单
    assert [
        (e["kind_label"], e["original_name"], e["content_type"], e["size"], e["sha256"]) for e in data["evidence"]
    ] == [
        ("身份证件复印件", "身份证.pdf", "PDF", len(ID_PDF), hashlib.sha256(ID_PDF).hexdigest()),
        ("学信网验证报告", "学历证书电子注册备案表.pdf", "PDF", len(CHSI_PDF), hashlib.sha256(CHSI_PDF).hexdigest()),
    ]
    assert all(e["uploaded_by"] == "张伟" and e["uploaded_at"] == "2026-11-02 09:00:00" for e in data["evidence"])


def test_archive_pdf_is_a_several_page_a4_document_with_every_field_REG_8(approved):
    data = archive_data(approved)
    body = archive_pdf(approved)
    assert body.startswith(b"%PDF") and _pages(body) >= 2
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595\.\d+ 841\.\d+\s*\]", body)
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+NotoSansCJKsc-Regular", body)
    assert re.search(rb"/Subtype\s*/Image", body)  # the photo is printed, not only referred to
    assert pdf.query(archive_module.TEMPLATE, data, "<archive>") == [data]


def test_archive_of_an_undecided_application_without_photo_still_prints_REG_8(draft):
    data = archive_data(draft)
    assert data["review"]["evaluation"] is None and data["review"]["condition_set"] is None
    assert data["candidate"]["photo"]["image"] is None and data["candidate"]["photo"]["note"] == "未上传照片"
    assert data["commitments"] == [] and data["evidence"] == [] and data["lookups"]["chsi_codes"] == []
    assert archive_pdf(draft).startswith(b"%PDF")


def test_a_photo_missing_from_storage_is_noted_not_printed_REG_8(approved):
    approved.candidate.photo.storage.delete(approved.candidate.photo.name)
    photo = archive_data(approved)["candidate"]["photo"]
    assert photo["image"] is None and photo["note"] == archive_module.PHOTO_ELSEWHERE and photo["sha256"]
    assert archive_pdf(approved).startswith(b"%PDF")


def test_archive_data_costs_the_same_queries_for_1_and_3_commitments_REG_8(approved, electrician_plan, org_b_admin):
    from kaowu.kernel.enums import Role
    from kaowu.registration.models import Candidate

    other = reg.create_application(
        actor=org_b_admin, candidate=f.candidate(2), plan=electrician_plan, level=3, work_years=Decimal(9)
    )
    person = f.user("c2", Role.CANDIDATE)
    Candidate.objects.filter(pk=other.candidate_id).update(user=person)
    other.refresh_from_db()
    for kind in CommitmentKind:
        evidence.sign_commitment(
            actor=Actor.of(person), application=other, kind=kind, text_shown=evidence.commitment_text(other, kind)
        )
    for n in range(3):
        evidence.upload_evidence(
            actor=org_b_admin, application=other, kind="other", name=f"材料{n}.pdf", content=ID_PDF + bytes([n])
        )
    rule("REG-8")  # the rule catalogue is read once per process, not per archive

    with CaptureQueriesContext(connection) as one:
        small = archive_data(approved)
    with CaptureQueriesContext(connection) as three:
        large = archive_data(other)
    assert (len(small["commitments"]), len(large["commitments"])) == (1, 3)
    assert len(one) == len(three) == 5
