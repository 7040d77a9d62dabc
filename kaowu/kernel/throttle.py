"""Brakes on guessing: fixed-window counters in the cache (local memory on the embedded default, Redis in
production, so every web process shares them there). Keys are hashed: no username or address is stored raw.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _key(scope: str, ident: str) -> str:
    return f"kaowu:brake:{scope}:{hashlib.sha256(ident.encode('utf-8')).hexdigest()[:32]}"


def count(scope: str, ident: str) -> int:
    return int(cache.get(_key(scope, ident), 0))


def hit(scope: str, ident: str, *, window: int) -> int:
    """Add one to the window's count and answer the new count (the window starts with the first hit)."""
    key = _key(scope, ident)
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def over(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count this request and answer whether it is past the limit of the window."""
    return hit(scope, ident, window=window) > limit


def clear(scope: str, ident: str) -> None:
    cache.delete(_key(scope, ident))


def hold(scope: str, ident: str, *, seconds: int) -> None:
    """Set a lock that lasts `seconds` (a lockout)."""
    cache.set(_key(scope, ident), 1, timeout=seconds)


def held(scope: str, ident: str) -> bool:
    return cache.get(_key(scope, ident)) is not None
