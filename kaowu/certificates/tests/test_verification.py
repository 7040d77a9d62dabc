"""CERT-3: the public verification page and API (no login): valid / revoked / replaced / unknown with masked
holder data, the QR's signed token checked offline, rate-limited, cached; and the screens' scoping."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kaowu.certificates import queries
from kaowu.certificates.services import credentials, issuing
from kaowu.certificates.tests.conftest import make_certificate


def test_valid_certificate_found_by_number_and_name_with_masked_data_CERT_3(cert_a):
    found = Client().get("/verify/", {"number": cert_a.number, "name": cert_a.holder_name})
    body = found.content.decode()
    assert found.status_code == 200 and "证书有效" in body
    assert cert_a.doc_number not in body and queries.mask_name(cert_a.holder_name) in body
    api = Client().get("/api/v1/public/certificates/verify", {"number": cert_a.number, "name": cert_a.holder_name})
    assert api.status_code == 200 and api.json()["result"] == "valid"
    assert "*" in api.json()["doc_number"]


def test_right_number_wrong_name_is_unknown_CERT_3(cert_a):
    answer = queries.verify(cert_a.number, "王五")
    assert answer["result"] == "unknown" and "holder" not in answer
    assert queries.verify("S000011010001265999999", cert_a.holder_name)["result"] == "unknown"
    assert queries.verify("S00001101000126599999", cert_a.holder_name)["result"] == "unknown"  # 21 characters


def test_revoked_and_replaced_shown_as_status_CERT_3(cert_a, apps_a, org_admin):
    assert queries.verify(cert_a.number, cert_a.holder_name)["result"] == "valid"  # now cached
    issuing.revoke(actor=org_admin, certificate=cert_a, reason="fraud", note="材料造假")
    answer = queries.verify(cert_a.number, cert_a.holder_name)
    assert answer["result"] == "revoked" and any(e["kind"] == "撤销" for e in answer["events"])
    other = make_certificate(apps_a[1])
    new = issuing.reissue(actor=org_admin, certificate=other, note="遗失")
    replaced = queries.verify(other.number, other.holder_name)
    assert replaced["result"] == "replaced" and new.number in str(replaced["events"])


def test_verification_is_cached_CERT_3(cert_a):
    queries.verify(cert_a.number, cert_a.holder_name)
    with CaptureQueriesContext(connection) as ctx:
        assert queries.verify(cert_a.number, cert_a.holder_name)["result"] == "valid"
    assert len(ctx.captured_queries) == 0


def test_qr_url_verifies_and_a_forged_qr_shows_invalid_CERT_3(cert_a):
    token = cert_a.credential["proof"]["token"]
    ok = Client().get("/verify/c/", {"t": token})
    assert ok.status_code == 200 and "证书有效" in ok.content.decode()
    head, body, sig = token.split(".")
    forged_body = credentials.b64(credentials.unb64(body).replace(b'"l":5', b'"l":1'))
    bad = Client().get("/verify/c/", {"t": f"{head}.{forged_body}.{sig}"})
    assert "二维码无效" in bad.content.decode()
    api = Client().post(
        "/api/v1/public/certificates/verify-token", {"token": "KWC1.xx.yy"}, content_type="application/json"
    )
    assert api.json()["result"] == "invalid"


def test_verification_is_rate_limited_per_address_CERT_3(cert_a, settings):
    settings.CERT_VERIFY_PER_MINUTE = 3
    client = Client()
    codes = [client.get("/verify/", {"number": cert_a.number, "name": "x"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_published_keys_list_every_key(cert_a):
    keys = Client().get("/verify/keys.json").json()["keys"]
    assert keys[0]["algorithm"] == "Ed25519" and keys[0]["key_id"] == cert_a.key.key_id


def test_another_organisation_gets_404(cert_a, org_b_admin, api):
    client = Client()
    client.force_login(org_b_admin.user)
    assert client.get(f"/certificates/{cert_a.pk}/certificate.pdf").status_code == 404
    assert client.get(f"/certificates/plans/{cert_a.plan_id}/").status_code == 404
    assert api(org_b_admin).get(f"/certificates/{cert_a.pk}/credential").status_code == 404
    assert api(org_b_admin).get(f"/plans/{cert_a.plan_id}/certificates").status_code == 404


def test_plan_screen_and_api_cost_the_same_for_1_and_3(apps_a, org_admin, count_queries):
    client = Client()
    client.force_login(org_admin.user)
    plan = apps_a[0].plan
    make_certificate(apps_a[0])
    url, api_url = f"/certificates/plans/{plan.pk}/", f"/api/v1/plans/{plan.pk}/certificates"
    one, one_api = count_queries(client, url), count_queries(client, api_url)
    make_certificate(apps_a[1])
    make_certificate(apps_a[2])
    assert count_queries(client, url) == one
    assert count_queries(client, api_url) == one_api


def test_candidate_downloads_own_e_certificate_only(cert_a, apps_a, candidate_actor):
    from kaowu.kernel.enums import Role
    from tests import factories as f

    owner = apps_a[0].candidate
    owner.user = f.user("owner001", Role.CANDIDATE, display_name=owner.name)
    owner.save(update_fields=["user"])
    client = Client()
    client.force_login(owner.user)
    assert client.get(f"/portal/certificates/{cert_a.pk}.json").json()["credentialSubject"]["certificateNumber"] == (
        cert_a.number
    )
    assert cert_a.number in client.get("/portal/certificates/").content.decode()
    other = Client()
    other.force_login(candidate_actor.user)
    assert other.get(f"/portal/certificates/{cert_a.pk}.pdf").status_code == 404


def test_light_json_api_answers_like_the_page_CERT_3(cert_a):
    answer = Client().get("/verify/api.json", {"number": cert_a.number, "name": cert_a.holder_name}).json()
    assert answer["result"] == "valid" and answer["events"][0]["kind"] == "发证"
    assert Client().get("/verify/api.json", {"number": "S1", "name": "x"}).json()["result"] == "unknown"
