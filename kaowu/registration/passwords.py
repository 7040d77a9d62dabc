"""A candidate who forgot the password gets a 6-digit code by message (kernel.messaging) and sets a new one.

The code lives 15 minutes, is kept only as a keyed hash in the cache, and allows 5 tries; requests are braked per
account and per address like logins. The answer to a request is the same whether the account exists or not (no
account enumeration). A new password ends every other session (Django's session hash changes with it).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from kaowu.kernel import audit, messaging, throttle
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.kernel.errors import KaowuError
from kaowu.parties.models import User

CODE_MINUTES = 15
TRIES = 5
PER_ACCOUNT = {"limit": 3, "window": 15 * 60}
PER_ADDRESS = {"limit": 10, "window": 60 * 60}
SENT = "如该账号存在，验证码已发送到注册时的手机或邮箱，15分钟内有效。"
THROTTLED = "获取验证码过于频繁，请稍后再试。"
BAD_CODE = "验证码不正确或已过期，请核对，或重新获取验证码。"


class Throttled(KaowuError):
    status = 429


def _key(user_id: int) -> str:
    return f"kaowu:password-reset:{user_id}"


def _digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def _candidate(login: str) -> User | None:
    return User.objects.filter(
        username=login.strip().lower() if "@" in login else login.strip(), role=Role.CANDIDATE, is_active=True
    ).first()


def request_code(*, login: str, ip: str | None) -> str:
    """Send a code to the account's phone or mailbox; answers the same message whether the account exists."""
    login = (login or "").strip()
    if not login:
        raise KaowuError("请填写注册时使用的手机号码或电子邮箱。", code="login_missing", field="login")
    if throttle.over("reset-ip", ip or "unknown", **PER_ADDRESS) or throttle.over("reset-login", login, **PER_ACCOUNT):
        raise Throttled(THROTTLED, code="reset_throttled")
    user = _candidate(login)
    if user is not None:
        code = f"{secrets.randbelow(10**6):06d}"
        cache.set(
            _key(user.pk),
            {"digest": _digest(code), "until": time.time() + CODE_MINUTES * 60, "tries": 0},
            CODE_MINUTES * 60,
        )
        messaging.send(
            to=user.phone or user.email or user.username,
            text=f"【职业技能等级认定考生服务】您的重置密码验证码为{code}，{CODE_MINUTES}分钟内有效。如非本人操作，请忽略本消息。",
        )
    return SENT


def reset_password(*, login: str, code: str, password: str, ip: str | None) -> User:
    """Set a new password with a valid code; refuses a wrong, expired or over-tried code, and a weak password."""
    user = _candidate(login or "")
    entry = cache.get(_key(user.pk)) if user is not None else None
    if entry is None or time.time() > entry["until"] or entry["tries"] >= TRIES:
        raise KaowuError(BAD_CODE, code="reset_code_invalid", field="code")
    if not hmac.compare_digest(entry["digest"], _digest((code or "").strip())):
        entry["tries"] += 1
        cache.set(_key(user.pk), entry, max(1, int(entry["until"] - time.time())))
        raise KaowuError(BAD_CODE, code="reset_code_invalid", field="code")
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise KaowuError("；".join(exc.messages), code="password_weak", field="password") from exc
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(Actor.of(user, ip=ip), "registration.password.reset", user, changes={"password": ["…", "…"]})
    cache.delete(_key(user.pk))
    return user
