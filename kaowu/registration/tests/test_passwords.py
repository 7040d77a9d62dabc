"""A candidate resets a forgotten password with a code sent by message (kernel.messaging, the recorded double here)."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client

from conftest import at
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.messaging import MemoryBackend
from kaowu.kernel.models import AuditEvent
from kaowu.registration import passwords


@pytest.fixture(autouse=True)
def _clean():
    MemoryBackend.outbox.clear()
    cache.clear()
    yield
    MemoryBackend.outbox.clear()
    cache.clear()


def _code() -> str:
    return re.search(r"验证码为(\d{6})", MemoryBackend.outbox[-1]["text"]).group(1)


def test_a_code_goes_to_the_phone_and_sets_a_new_password_and_ends_other_sessions(frozen, candidate_actor):
    other = Client()
    other.force_login(candidate_actor.user)
    assert other.get("/portal/").status_code == 200
    assert passwords.request_code(login="13800138000", ip="127.0.0.1") == passwords.SENT
    assert MemoryBackend.outbox[-1]["to"] == "13800138000"
    passwords.reset_password(login="13800138000", code=_code(), password="new-portal-pass-2026", ip="127.0.0.1")
    candidate_actor.user.refresh_from_db()
    assert candidate_actor.user.check_password("new-portal-pass-2026")
    assert AuditEvent.objects.filter(action="registration.password.reset").count() == 1
    assert other.get("/portal/").status_code == 302  # the old session ended with the old password


def test_an_unknown_login_gets_the_same_answer_and_no_message(db):
    assert passwords.request_code(login="13900000000", ip="127.0.0.1") == passwords.SENT
    assert MemoryBackend.outbox == []


def test_a_wrong_code_is_refused_and_five_wrong_tries_spend_the_code(frozen, candidate_actor):
    passwords.request_code(login="13800138000", ip="127.0.0.1")
    code = _code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(passwords.TRIES):
        with pytest.raises(KaowuError) as exc:
            passwords.reset_password(login="13800138000", code=wrong, password="new-portal-pass-2026", ip=None)
        assert exc.value.code == "reset_code_invalid" and exc.value.field == "code"
    with pytest.raises(KaowuError):  # the right code no longer works after five wrong tries
        passwords.reset_password(login="13800138000", code=code, password="new-portal-pass-2026", ip=None)


def test_a_code_lives_15_minutes(frozen, candidate_actor):
    passwords.request_code(login="13800138000", ip="127.0.0.1")
    code = _code()
    frozen.move_to(at(dt.date(2026, 11, 2)) + dt.timedelta(minutes=15, seconds=1))
    with pytest.raises(KaowuError):
        passwords.reset_password(login="13800138000", code=code, password="new-portal-pass-2026", ip=None)


def test_a_code_used_at_14_minutes_works(frozen, candidate_actor):
    passwords.request_code(login="13800138000", ip="127.0.0.1")
    code = _code()
    frozen.move_to(at(dt.date(2026, 11, 2)) + dt.timedelta(minutes=14))
    passwords.reset_password(login="13800138000", code=code, password="new-portal-pass-2026", ip=None)


def test_a_weak_new_password_is_refused_and_the_old_one_kept(frozen, candidate_actor):
    passwords.request_code(login="13800138000", ip="127.0.0.1")
    with pytest.raises(KaowuError) as exc:
        passwords.reset_password(login="13800138000", code=_code(), password="12345678", ip=None)
    assert exc.value.code == "password_weak"
    candidate_actor.user.refresh_from_db()
    assert candidate_actor.user.check_password("kaowu-portal-2026")


def test_requests_for_codes_are_braked_like_logins(db, candidate_actor):
    for _ in range(passwords.PER_ACCOUNT["limit"]):
        passwords.request_code(login="13800138000", ip="10.0.0.1")
    with pytest.raises(passwords.Throttled):
        passwords.request_code(login="13800138000", ip="10.0.0.2")


def test_the_reset_screens_work_inside_the_portal(client, frozen, candidate_actor):
    r = client.post("/portal/password/forgot/", {"login": "13800138000"})
    assert r.status_code == 302
    html = client.get(r["Location"]).content.decode()
    assert "如该账号存在，验证码已发送" in html and "portal-top" in html
    r = client.post(
        "/portal/password/reset/",
        {
            "login": "13800138000",
            "code": _code(),
            "password": "new-portal-pass-2026",
            "password2": "new-portal-pass-2026",
        },
    )
    assert r.status_code == 302 and r["Location"].endswith("/login/")
    assert "考生忘记密码" in client.get("/login/").content.decode()
