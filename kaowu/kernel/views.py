"""The view kit every app's screens share."""

from __future__ import annotations

from kaowu.kernel.actors import Actor, client_ip


def actor_of(request) -> Actor:
    """The Actor of a logged-in screen request."""
    return Actor.of(request.user, ip=client_ip(request))
