"""The electronic credential: a W3C Verifiable Credential–shaped JSON signed with the organisation's Ed25519
key, and a compact token for the QR that verifies offline against the organisation's published public key.

    token = "KWC1." + b64url(compact claims JSON) + "." + b64url(Ed25519 signature over the claims bytes)

The claims carry the certificate number, holder name, masked document number, a digest of the full document
number (a verifier holding the ID card can check it), occupation, work type, level, issue date and the key id
(the published key names its organisation); kept short so the QR stays easy to scan.
`verify_token` needs only the token and a {key_id: public key} map (`public_keys()`, published as JSON): a
changed byte, a forged signature or an unknown key answers invalid."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.db import transaction

from kaowu.certificates.models import SigningKey
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.masking import mask_id_number
from kaowu.kernel.permissions import require_org_admin

PREFIX = "KWC1"
RAW = serialization.Encoding.Raw


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def doc_digest(number: str, doc_number: str) -> str:
    return hashlib.sha256(f"{number}:{doc_number.upper()}".encode()).hexdigest()[:16]


def _new_key(org, actor_user=None) -> SigningKey:
    private = Ed25519PrivateKey.generate()
    return SigningKey.objects.create(
        org=org,
        key_id=f"{org.code}-{clock.now():%Y%m%d}-{secrets.token_hex(3)}",
        public_key=b64(private.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)),
        private_key=b64(private.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())),
        valid_from=clock.now(),
        created_by=actor_user,
    )


def current_key(org) -> SigningKey:
    """The organisation's key in use, made on first need."""
    key = SigningKey.objects.filter(org=org, retired_at__isnull=True).order_by("-valid_from").first()
    return key or _new_key(org)


def rotate_key(*, actor: Actor, org) -> SigningKey:
    """Retire the key in use and start a new one; both stay published (old credentials still verify)."""
    require_org_admin(actor, org.pk)
    with transaction.atomic():
        now = clock.now()
        old = list(SigningKey.objects.select_for_update().filter(org=org, retired_at__isnull=True))
        SigningKey.objects.filter(pk__in=[k.pk for k in old]).update(retired_at=now)
        key = _new_key(org, actor.user)
        audit.record(
            actor, "certificates.key_rotated", key, changes={"retired": [k.key_id for k in old]}, org_id=org.pk
        )
    return key


def claims_of(cert) -> dict:
    return {
        "n": cert.number,
        "h": cert.holder_name,
        "id": mask_id_number(cert.doc_number),
        "dg": doc_digest(cert.number, cert.doc_number),
        "o": cert.occupation,
        "w": cert.work_type or "--",
        "l": cert.level,
        "d": cert.issued_on.isoformat(),
        "k": "",  # the key id; the issuer's name comes with the published key
    }


def sign(cert, key: SigningKey) -> tuple[dict, str]:
    """(the Verifiable Credential JSON, the QR token) for `cert`, signed by `key`."""
    claims = claims_of(cert)
    claims["k"] = key.key_id
    body = canonical(claims)
    private = Ed25519PrivateKey.from_private_bytes(unb64(key.private_key))
    signature = private.sign(body)
    token = f"{PREFIX}.{b64(body)}.{b64(signature)}"
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "VocationalSkillLevelCertificate"],
        "id": f"urn:kaowu:certificate:{cert.number}",
        "issuer": {"id": f"urn:kaowu:org:{key.org.code}", "name": cert.org_name},
        "validFrom": cert.issued_on.isoformat(),
        "credentialSubject": {
            "name": cert.holder_name,
            "documentNumberMasked": claims["id"],
            "documentDigest": claims["dg"],
            "occupation": cert.occupation,
            "workType": claims["w"],
            "level": cert.level,
            "certificateNumber": cert.number,
        },
        "proof": {
            "type": "Ed25519Signature2020",
            "verificationMethod": key.key_id,
            "proofPurpose": "assertionMethod",
            "token": token,
        },
    }
    return credential, token


@dataclass(frozen=True)
class Checked:
    valid: bool
    claims: dict
    reason: str = ""


def verify_token(token: str, keys: dict[str, str]) -> Checked:
    """Offline check of a QR token against published public keys {key_id: b64url raw Ed25519 key}."""
    try:
        head, body_text, sig_text = (token or "").strip().split(".")
        if head != PREFIX:
            return Checked(False, {}, "不是本系统签发的电子证书二维码")
        body, signature = unb64(body_text), unb64(sig_text)
        claims = json.loads(body)
    except (ValueError, TypeError):
        return Checked(False, {}, "二维码内容无法识别")
    public = keys.get(claims.get("k", "")) if isinstance(claims, dict) else None
    if not public:
        return Checked(False, {}, "签名密钥未公布，无法核验")
    try:
        Ed25519PublicKey.from_public_bytes(unb64(public)).verify(signature, body)
    except (InvalidSignature, ValueError):
        return Checked(False, claims, "签名不符：内容被改动或伪造")
    return Checked(True, claims)


def verify_credential(credential: dict, keys: dict[str, str]) -> Checked:
    """A whole credential JSON: its token must verify and its visible fields must match what was signed."""
    checked = verify_token(credential.get("proof", {}).get("token", ""), keys)
    if not checked.valid:
        return checked
    subject, c = credential.get("credentialSubject", {}), checked.claims
    same = (
        subject.get("certificateNumber") == c["n"]
        and subject.get("name") == c["h"]
        and subject.get("documentNumberMasked") == c["id"]
        and subject.get("occupation") == c["o"]
        and subject.get("level") == c["l"]
        and credential.get("validFrom") == c["d"]
    )
    return checked if same else Checked(False, c, "凭证内容与签名不一致：内容被改动")


def public_keys(org_id: int | None = None) -> dict[str, str]:
    qs = SigningKey.objects.all()
    if org_id is not None:
        qs = qs.filter(org_id=org_id)
    return dict(qs.values_list("key_id", "public_key"))
