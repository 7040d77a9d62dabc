"""Brakes on guessing and revocable sessions: lockout per account and per address, password validators, the
registration limit on both doors, logout that really ends the session."""

from __future__ import annotations

from django.test import Client

from kaowu.kernel.enums import Role
from kaowu.kernel.models import AuditEvent
from kaowu.parties import logins
from kaowu.registration.models import Candidate
from tests import factories as f

PASSWORD = "right-horse-battery-staple"


def _user(org_a, username="org_a_clerk"):
    u = f.user(username, Role.EXAM_AFFAIRS, org=org_a, display_name="刘考务")
    u.set_password(PASSWORD)
    u.save()
    return u


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1", **headers):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip, **headers)


def test_after_5_wrong_passwords_the_right_one_is_refused_and_the_lockout_audited(org_a):
    u = _user(org_a)
    client = Client()
    for _ in range(logins.ACCOUNT_LIMIT):
        assert _login(client, u.username, "wrong-password").status_code == 200
    r = _login(client, u.username, PASSWORD)
    assert r.status_code == 200 and "_auth_user_id" not in client.session  # the right password does not get in
    assert "暂停登录" in r.content.decode()
    event = AuditEvent.objects.get(action="parties.login.locked")
    assert event.object_id == str(u.pk) and event.changes["locked_seconds"][1] == logins.WINDOW


def test_the_right_password_gets_in_below_the_limit_and_resets_the_count(org_a):
    u = _user(org_a)
    client = Client()
    for _ in range(logins.ACCOUNT_LIMIT - 1):
        _login(client, u.username, "wrong-password")
    assert _login(client, u.username, PASSWORD).status_code == 302
    client.post("/logout/")
    for _ in range(logins.ACCOUNT_LIMIT - 1):
        _login(client, u.username, "wrong-password")
    assert _login(client, u.username, PASSWORD).status_code == 302


def test_a_second_lockout_lasts_twice_as_long(org_a):
    u = _user(org_a)
    client = Client()
    for _ in range(2):
        for _ in range(logins.ACCOUNT_LIMIT):
            _login(client, u.username, "wrong-password")
        from kaowu.kernel import throttle

        throttle.clear("login-lock", u.username)  # the first lockout ran out
    seconds = [e.changes["locked_seconds"][1] for e in AuditEvent.objects.filter(action="parties.login.locked")]
    assert seconds == [logins.WINDOW, 2 * logins.WINDOW]


def test_one_address_trying_many_accounts_is_refused(org_a):
    u = _user(org_a)
    client = Client()
    for n in range(logins.ADDRESS_LIMIT):
        _login(client, f"nobody{n}", "wrong-password", ip="10.0.0.9")
    assert "_auth_user_id" not in client.session
    assert _login(client, u.username, PASSWORD, ip="10.0.0.9").status_code == 200  # refused from that address
    assert _login(Client(), u.username, PASSWORD, ip="10.0.0.10").status_code == 302  # elsewhere fine


def test_a_rotated_forwarded_header_is_not_a_new_address_without_a_trusted_proxy(org_a, settings):
    settings.TRUSTED_PROXIES = frozenset()
    client = Client()
    for n in range(logins.ADDRESS_LIMIT):
        _login(client, f"nobody{n}", "x", ip="10.0.0.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    u = _user(org_a)
    assert _login(client, u.username, PASSWORD, ip="10.0.0.9", HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_counts(org_a, settings):
    settings.TRUSTED_PROXIES = frozenset({"10.0.0.1"})
    client = Client()
    for n in range(logins.ADDRESS_LIMIT):
        _login(client, f"nobody{n}", "x", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.7")
    u = _user(org_a)
    assert _login(Client(), u.username, PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.7").status_code == 200
    r = _login(Client(), u.username, PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.8")
    assert r.status_code == 302


def _register(client, password, phone="13900001111", **meta):
    body = {"doc_type": "id_card", "doc_number": "11010519491231002x", "name": "李芳", "phone": phone}
    return client.post(
        "/api/v1/portal/register", {**body, "password": password}, content_type="application/json", **meta
    )


def test_common_and_numeric_passwords_are_refused_at_registration(db):
    for weak in ("12345678", "password", "87654321012", "13900001111"):
        r = _register(Client(), weak)
        assert r.status_code == 400 and r.json()["code"] == "password_weak" and r.json()["field"] == "password", weak
    assert not Candidate.objects.exists()
    assert _register(Client(), "long-enough-password").status_code == 201


def test_rotating_x_forwarded_for_does_not_escape_the_registration_limit(db):
    codes = [_register(Client(), "12345678", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(21)]
    assert codes[:20] == [400] * 20 and codes[20] == 429


def test_the_html_registration_form_is_throttled_too(db):
    client = Client()
    codes = [client.post("/portal/register/", {"name": "李芳"}).status_code for _ in range(21)]
    assert codes[:20] == [200] * 20 and codes[20] == 429
    assert "过于频繁" in client.post("/portal/register/", {"name": "李芳"}).content.decode()


def test_a_session_cookie_replayed_after_logout_is_401(org_a):
    u = _user(org_a)
    client = Client()
    assert _login(client, u.username, PASSWORD).status_code == 302
    cookie = client.cookies["sessionid"].value
    assert client.get("/api/v1/me").status_code == 200
    client.post("/logout/")
    replay = Client()
    replay.cookies["sessionid"] = cookie
    r = replay.get("/api/v1/me")
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"


def test_deactivating_a_user_ends_their_session_at_once(org_a):
    u = _user(org_a)
    client = Client()
    _login(client, u.username, PASSWORD)
    assert client.get("/api/v1/me").status_code == 200
    u.is_active = False
    u.save(update_fields=["is_active"])
    assert client.get("/api/v1/me").status_code == 401


def test_anonymous_api_calls_get_401(db):
    r = Client().get("/api/v1/candidates")
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"
