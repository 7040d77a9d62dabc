"""Typed settings helpers that fail loudly on a malformed value."""

import os
import secrets

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"环境变量 {name} 须为 true/false，当前为 {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name} 须为整数，当前为 {raw!r}") from None


def env_secret(name: str, *, debug: bool) -> str:
    """A signing key: required outside DEBUG (fail loudly); under DEBUG a random one for this process only, never
    a constant that anyone could read in the source and forge tokens with."""
    value = os.environ.get(name, "").strip()
    if value:
        if not debug and len(value) < 50:
            raise ImproperlyConfigured(f"环境变量 {name} 太短（至少50个字符），请用随机生成的密钥")
        return value
    if debug:
        return secrets.token_urlsafe(50)
    raise ImproperlyConfigured(
        f"未设置环境变量 {name}：生产环境须提供随机生成的密钥（至少50个字符），"
        "例如 python -c 'import secrets; print(secrets.token_urlsafe(50))'。本地演示请用 make run。"
    )


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
