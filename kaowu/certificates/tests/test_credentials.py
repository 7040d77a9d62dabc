"""The electronic credential: Ed25519-signed, verifiable offline; tampering and forgery fail; key rotation."""

from __future__ import annotations

import copy

from kaowu.certificates.models import SigningKey
from kaowu.certificates.services import credentials


def test_credential_verifies_offline_against_the_published_key(cert_a):
    keys = credentials.public_keys()
    assert credentials.verify_credential(cert_a.credential, keys).valid
    token = cert_a.credential["proof"]["token"]
    checked = credentials.verify_token(token, keys)
    assert checked.valid and checked.claims["n"] == cert_a.number
    assert "*" in checked.claims["id"]  # the document number travels masked
    assert cert_a.credential["type"][0] == "VerifiableCredential"


def test_a_tampered_credential_fails_offline_verification(cert_a):
    keys = credentials.public_keys()
    forged = copy.deepcopy(cert_a.credential)
    forged["credentialSubject"]["level"] = 1
    assert not credentials.verify_credential(forged, keys).valid
    head, body, sig = cert_a.credential["proof"]["token"].split(".")
    claims = credentials.unb64(body).replace(cert_a.holder_name.encode(), "李四".encode())
    tampered = f"{head}.{credentials.b64(claims)}.{sig}"
    result = credentials.verify_token(tampered, keys)
    assert not result.valid and "签名不符" in result.reason


def test_a_forged_qr_signed_with_another_key_is_invalid(cert_a):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    _, body, _ = cert_a.credential["proof"]["token"].split(".")
    forged_sig = Ed25519PrivateKey.generate().sign(credentials.unb64(body))
    forged = f"KWC1.{body}.{credentials.b64(forged_sig)}"
    assert not credentials.verify_token(forged, credentials.public_keys()).valid
    assert not credentials.verify_token("hello", credentials.public_keys()).valid
    assert not credentials.verify_token("KWC1.!!.??", credentials.public_keys()).valid


def test_key_rotation_keeps_old_credentials_verifiable(cert_a, org_admin, org_a):
    old = SigningKey.objects.get(org=org_a)
    new = credentials.rotate_key(actor=org_admin, org=org_a)
    old.refresh_from_db()
    assert old.retired_at is not None and new.retired_at is None and new.key_id != old.key_id
    assert credentials.current_key(org_a) == new
    assert credentials.verify_credential(cert_a.credential, credentials.public_keys()).valid
