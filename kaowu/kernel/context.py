from kaowu.kernel.actors import Actor, client_ip


def actor_context(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "role", ""):
        return {"actor": None}
    return {"actor": Actor.of(user, ip=client_ip(request))}
