"""NAT-3: the certificate PDF carries every printed field, the photo, the QR code and the seal."""

from __future__ import annotations

import os
import subprocess

from kaowu.certificates.printouts.certificate import certificate_pdf, certificates_data


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_certificate_prints_every_field_NAT_3(cert_a, with_seal, tmp_path):
    pdf = certificate_pdf(cert_a)
    text = _text(pdf, tmp_path).replace(" ", "").replace("\n", "")
    for expected in (
        "职业技能等级证书",
        cert_a.holder_name,
        "居民身份证",
        cert_a.doc_number,
        cert_a.occupation,
        "五级/初级工",
        cert_a.number,
        cert_a.org_name,
        "发证日期",
        "证件类型",
        "证件号码",
        "职业名称",
        "工种/职业方向",
        "jndj.osta.org.cn",
        "pjjg.osta.org.cn",
        "特发此证",
    ):
        assert expected in text, expected
    data = certificates_data([cert_a])["certificates"][0]
    assert data["photo"] and data["seal"] and data["qr"]
    if os.environ.get("CERT_PNG"):
        (tmp_path / "c.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(tmp_path / "c.pdf"), os.environ["CERT_PNG"]], check=True)


def test_work_type_prints_double_dash_when_none_NAT_3(cert_a):
    assert cert_a.work_type == ""
    assert certificates_data([cert_a])["certificates"][0]["work_type"] == "--"


def test_level_written_as_the_national_style_NAT_3(cert_a):
    cert_a.level = 4
    assert certificates_data([cert_a])["certificates"][0]["level"] == "四级/中级工"


def test_query_sites_are_configurable_NAT_3(cert_a, with_seal):
    with_seal.query_sites = "zs.example.gov.cn"
    with_seal.save()
    assert certificates_data([cert_a])["sites"] == ["zs.example.gov.cn"]
