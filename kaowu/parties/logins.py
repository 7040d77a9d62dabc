"""Brakes on password guessing (issue 8): per account and per client address, with a lockout that backs off.

An account is locked after ACCOUNT_LIMIT failures within WINDOW seconds; each further lockout within a day
doubles its length (15 min, 30, 60 … at most a day). An address is refused after ADDRESS_LIMIT failures within
WINDOW, whatever account it tries. A locked account is refused *before* the password is checked, so the right
password does not get in during a lockout. Each lockout is an audit event; every failure goes to the
`kaowu.security` log.
"""

from __future__ import annotations

import logging

from django.db import transaction

from kaowu.kernel import audit, throttle
from kaowu.kernel.actors import SYSTEM, Actor
from kaowu.parties.models import User

logger = logging.getLogger("kaowu.security")

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = 15 * 60
MAX_LOCK = 24 * 3600
DAY = 24 * 3600


def _account(username: str) -> str:
    return username.strip().lower()


def refusal(*, username: str, ip: str | None) -> str | None:
    """Why this attempt is refused without checking the password, or None."""
    if username and throttle.held("login-lock", _account(username)):
        return "该账号登录失败次数过多，已暂停登录，请稍后再试；如忘记密码请联系本单位管理员。"
    if ip and throttle.count("login-ip", ip) >= ADDRESS_LIMIT:
        return "本机登录失败次数过多，请15分钟后再试。"
    return None


def failed(*, username: str, ip: str | None) -> None:
    logger.warning("login failed for %r from %s", username[:150], ip)
    if ip:
        throttle.hit("login-ip", ip, window=WINDOW)
    if not username:
        return
    account = _account(username)
    if throttle.hit("login-fail", account, window=WINDOW) < ACCOUNT_LIMIT:
        return
    throttle.clear("login-fail", account)
    locks = throttle.hit("login-locks", account, window=DAY)
    seconds = min(WINDOW * 2 ** (locks - 1), MAX_LOCK)
    throttle.hold("login-lock", account, seconds=seconds)
    user = User.objects.filter(username__iexact=account).first()
    logger.warning("login locked for %r from %s for %d s", username[:150], ip, seconds)
    if user is not None:
        with transaction.atomic():
            audit.record(
                Actor(user=None, role=SYSTEM.role, ip=ip),
                "parties.login.locked",
                user,
                changes={"locked_seconds": [None, seconds]},
                org_id=user.org_id,
            )


def succeeded(*, username: str) -> None:
    throttle.clear("login-fail", _account(username))
