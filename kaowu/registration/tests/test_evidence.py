"""Evidence: uploads checked by content and size, commitments signed online, 学信网 codes, previous
certificate numbers (REG-3, NAT-5, NAT-8)."""

import datetime as dt
import hashlib
import io

import pytest
from PIL import Image

from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.registration import candidates, evidence
from kaowu.registration import services as reg
from kaowu.registration.enums import CertificateFormat, CommitmentKind
from tests import factories as f

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(width=300, height=420) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def my_app(open_plan, candidate_actor):
    return reg.create_application(
        actor=candidate_actor,
        candidate=candidate_actor.user.candidate,
        plan=open_plan,
        level=5,
        experience="2018年至今在朝阳某养生馆从事保健按摩工作",
    )


def test_a_pdf_upload_is_kept_with_its_hash_REG_3(my_app, candidate_actor):
    ev = evidence.upload_evidence(
        actor=candidate_actor, application=my_app, kind="id_copy", name="身份证.pdf", content=PDF
    )
    assert ev.content_type == "pdf" and ev.sha256 == hashlib.sha256(PDF).hexdigest()
    with ev.file.open("rb") as fh:
        assert fh.read() == PDF


def test_a_file_that_is_not_what_its_name_says_is_refused_REG_3(my_app, candidate_actor):
    with pytest.raises(KaowuError) as exc:
        evidence.upload_evidence(
            actor=candidate_actor, application=my_app, kind="id_copy", name="身份证.pdf", content=png()
        )
    assert exc.value.code == "upload_type" and exc.value.rule_id == "REG-3"
    with pytest.raises(KaowuError):
        evidence.upload_evidence(
            actor=candidate_actor,
            application=my_app,
            kind="other",
            name="说明.pdf",
            content=b"MZ\x90\x00 this is an executable",
        )
    assert not my_app.evidence.exists()


def test_a_file_over_the_size_limit_is_refused_REG_3(my_app, candidate_actor):
    big = PDF + b"0" * (5 * 1024 * 1024)
    with pytest.raises(KaowuError) as exc:
        evidence.upload_evidence(actor=candidate_actor, application=my_app, kind="other", name="big.pdf", content=big)
    assert exc.value.code == "upload_too_large"


def test_a_photo_must_be_a_real_one_inch_portrait_REG_3(candidate_actor):
    me = candidate_actor.user.candidate
    with pytest.raises(KaowuError) as exc:
        candidates.set_photo(actor=candidate_actor, candidate=me, name="photo.png", content=png(200, 280))
    assert exc.value.code == "photo_too_small"
    with pytest.raises(KaowuError):
        candidates.set_photo(actor=candidate_actor, candidate=me, name="photo.png", content=png(420, 300))
    with pytest.raises(KaowuError):
        candidates.set_photo(actor=candidate_actor, candidate=me, name="photo.png", content=b"\x89PNG\r\n\x1a\nbroken")
    saved = candidates.set_photo(actor=candidate_actor, candidate=me, name="photo.png", content=png())
    assert saved.photo_sha256 == hashlib.sha256(png()).hexdigest()


def test_a_commitment_keeps_the_exact_text_its_hash_who_when_and_where_REG_3(my_app, candidate_actor):
    from kaowu.kernel.actors import Actor

    me = Actor.of(candidate_actor.user, ip="203.0.113.7")
    text = evidence.commitment_text(my_app, CommitmentKind.WORK)
    signed = evidence.sign_commitment(actor=me, application=my_app, kind=CommitmentKind.WORK, text_shown=text)
    assert signed.text == text and "张伟" in text and "110105199003071239" in text
    assert signed.text_sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert signed.signed_ip == "203.0.113.7" and signed.signed_by == candidate_actor.user


def test_a_commitment_whose_text_changed_since_it_was_shown_is_refused_REG_3(my_app, candidate_actor):
    text = evidence.commitment_text(my_app, CommitmentKind.WORK)
    reg.update_application(actor=candidate_actor, application=my_app, experience="改过的经历")
    with pytest.raises(KaowuError) as exc:
        evidence.sign_commitment(actor=candidate_actor, application=my_app, kind=CommitmentKind.WORK, text_shown=text)
    assert exc.value.code == "commitment_changed"


def test_only_the_candidate_signs_a_commitment_REG_3(my_app, org_admin):
    with pytest.raises(NotAllowed):
        evidence.sign_commitment(
            actor=org_admin,
            application=my_app,
            kind=CommitmentKind.WORK,
            text_shown=evidence.commitment_text(my_app, CommitmentKind.WORK),
        )


def test_an_expired_chsi_code_is_refused_NAT_8(my_app, candidate_actor, frozen):
    with pytest.raises(KaowuError) as exc:
        evidence.add_chsi_code(
            actor=candidate_actor, application=my_app, code="A1B2C3D4E5F6", expires_on=dt.date(2026, 11, 1)
        )
    assert exc.value.rule_id == "NAT-8" and exc.value.field == "expires_on"


def test_chsi_validity_of_180_days_is_accepted_181_refused_NAT_8(my_app, candidate_actor):
    today = dt.date(2026, 11, 2)
    with pytest.raises(KaowuError) as exc:
        evidence.add_chsi_code(
            actor=candidate_actor, application=my_app, code="A1B2C3D4E5F6", expires_on=today + dt.timedelta(days=181)
        )
    assert exc.value.rule_id == "REG-3"
    code = evidence.add_chsi_code(
        actor=candidate_actor, application=my_app, code="A1B2C3D4E5F6", expires_on=today + dt.timedelta(days=180)
    )
    assert code.expires_on == dt.date(2027, 5, 1)


def test_a_malformed_chsi_code_is_refused_NAT_8(my_app, candidate_actor):
    for bad in ("ABC", "A1B2C3D4E5F6G7H8I9", "A1B2-C3D4-E5F6"):
        with pytest.raises(KaowuError):
            evidence.add_chsi_code(
                actor=candidate_actor, application=my_app, code=bad, expires_on=dt.date(2026, 12, 31)
            )


def test_a_chsi_code_about_to_lapse_is_warned_NAT_8(my_app, candidate_actor, org_admin):
    evidence.add_chsi_code(
        actor=candidate_actor, application=my_app, code="A1B2C3D4E5F6G7H8", expires_on=dt.date(2026, 11, 10)
    )
    warnings = evidence.chsi_warnings(my_app, today=dt.date(2026, 11, 2))
    assert warnings and "还剩8天" in warnings[0]
    assert not evidence.chsi_warnings(my_app, today=dt.date(2026, 10, 1))


def test_the_organisation_records_who_checked_the_chsi_code_and_when_NAT_8(my_app, candidate_actor, org_admin):
    code = evidence.add_chsi_code(
        actor=candidate_actor, application=my_app, code="A1B2C3D4E5F6", expires_on=dt.date(2026, 12, 31)
    )
    checked = evidence.check_chsi_code(
        actor=org_admin, chsi=code, content_ok=True, note="学历为大专，专业为康复治疗技术"
    )
    assert checked.checked_by == org_admin.user and checked.checked_at is not None


@pytest.mark.parametrize(
    ("number", "fmt", "level"),
    [
        ("S000011010001265000001", CertificateFormat.NATIONAL_22, 5),
        ("s000011010001263000001", CertificateFormat.NATIONAL_22, 3),
        ("1011000000400123", CertificateFormat.OLD_16, 4),
        ("0911001234567", CertificateFormat.BEIJING_13, None),
        ("ZX-2019-88", CertificateFormat.UNKNOWN, None),
    ],
)
def test_previous_certificate_formats_are_detected_never_hard_rejected_NAT_5(number, fmt, level):
    _, detected, detected_level = evidence.detect_certificate_format(number)
    assert (detected, detected_level) == (fmt, level)


def test_a_certificate_whose_number_says_another_level_is_refused_NAT_5(my_app, candidate_actor):
    with pytest.raises(KaowuError) as exc:
        reg.add_qualification(
            actor=candidate_actor,
            application=my_app,
            kind="certificate",
            level=4,
            number="S000011010001265000001",
            obtained_on=dt.date(2020, 1, 1),
        )
    assert exc.value.code == "certificate_level_mismatch"
    unknown = reg.add_qualification(
        actor=candidate_actor,
        application=my_app,
        kind="certificate",
        level=4,
        number="ZX-2019-88",
        obtained_on=dt.date(2020, 1, 1),
    )
    assert unknown.number_format == CertificateFormat.UNKNOWN


def test_the_organisation_records_the_online_certificate_check_REG_3(my_app, candidate_actor, org_admin):
    q = reg.add_qualification(
        actor=candidate_actor,
        application=my_app,
        kind="certificate",
        level=5,
        number="S000011010001265000001",
        obtained_on=dt.date(2020, 1, 1),
    )
    with pytest.raises(KaowuError):
        evidence.verify_certificate(actor=org_admin, qualification=q, found_online=False)
    assert evidence.verify_certificate(actor=org_admin, qualification=q, found_online=True).verified_at
    assert f.candidate  # factories stay importable for other tests
