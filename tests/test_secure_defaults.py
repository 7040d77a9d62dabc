"""Secure defaults: DEBUG off, keys required and never a public constant, `check --deploy` clean, no traceback."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import signing
from django.test import Client

from kaowu.arrangement import tickets
from kaowu.arrangement.models import AdmissionTicket
from kaowu.kernel.errors import KaowuError

ROOT = Path(__file__).resolve().parent.parent
OLD_PUBLIC_KEY = "dev-only-insecure-key-change-me"  # the constant kaowu.settings used to fall back to
KEYS = ("SECRET_KEY", "TICKET_SIGNING_KEY", "AUDIT_HMAC_KEY")


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {*KEYS, "DEBUG", "HTTPS", "DJANGO_SETTINGS_MODULE"}}
    env.update({k: secrets.token_urlsafe(50) for k in KEYS})
    env.update(DJANGO_SETTINGS_MODULE="kaowu.settings", ALLOWED_HOSTS="kaowu.example.cn")
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


SHOW = "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG, s.SESSION_ENGINE)"


def test_debug_is_off_unless_asked_for():
    r = run_python(SHOW, production_env())
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[0] == "False"


@pytest.mark.parametrize("key", KEYS)
def test_the_settings_refuse_to_start_without_a_key(key):
    env = production_env()
    del env[key]
    r = run_python(SHOW, env)
    assert r.returncode != 0 and "ImproperlyConfigured" in r.stderr and key in r.stderr


def test_a_short_key_is_refused_outside_debug():
    r = run_python(SHOW, production_env(SECRET_KEY=OLD_PUBLIC_KEY))
    assert r.returncode != 0 and "SECRET_KEY" in r.stderr


def test_debug_without_keys_gets_random_ones_never_the_old_constant():
    env = production_env(DEBUG="true")
    for key in KEYS:
        del env[key]
    code = "import django; django.setup(); from django.conf import settings as s; print(s.SECRET_KEY)"
    first, second = run_python(code, env), run_python(code, env)
    assert first.returncode == 0, first.stderr
    assert first.stdout != second.stdout and OLD_PUBLIC_KEY not in first.stdout


def test_check_deploy_is_clean_under_production_settings():
    r = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


@pytest.fixture
def ticket(released_plan):
    return AdmissionTicket.objects.filter(plan=released_plan).first()


def _forged(ticket: AdmissionTicket, key: str) -> str:
    data = {"t": ticket.pk, "n": ticket.number, "v": ticket.version}
    return signing.dumps(data, key=key, salt=tickets.TOKEN_SALT, compress=True)


def test_a_ticket_token_forged_with_the_old_public_constant_is_refused_DAY_1(ticket, settings):
    assert tickets.ticket_for_token(tickets.token_for(ticket)) == ticket
    for key in (OLD_PUBLIC_KEY, settings.SECRET_KEY):  # nor with SECRET_KEY: tickets have their own key
        with pytest.raises(KaowuError) as exc:
            tickets.ticket_for_token(_forged(ticket, key))
        assert exc.value.code == "ticket_token_invalid"


def test_the_ticket_key_rotates_with_fallbacks(ticket, settings):
    old = tickets.token_for(ticket)
    settings.TICKET_SIGNING_KEY_FALLBACKS = [settings.TICKET_SIGNING_KEY]
    settings.TICKET_SIGNING_KEY = secrets.token_urlsafe(50)
    assert tickets.ticket_for_token(old) == ticket  # printed tickets stay valid during the rotation
    settings.TICKET_SIGNING_KEY_FALLBACKS = []
    with pytest.raises(KaowuError):
        tickets.ticket_for_token(old)


def test_an_unforeseen_api_error_is_json_without_a_traceback(org_admin, monkeypatch):
    from kaowu.registration.api import candidates

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals: /work/wt-sec/kaowu/registration/api/candidates.py")

    monkeypatch.setattr(candidates, "for_actor", broken)
    client = Client(raise_request_exception=False)
    client.force_login(org_admin.user)
    r = client.get("/api/v1/candidates")
    assert r.status_code == 500 and r["Content-Type"].startswith("application/json")
    assert r.json()["code"] == "server_error" and "Traceback" not in r.content.decode()
    assert "secret internals" not in r.content.decode()
