"""What the exam-day screens share: a refusal to act (NotAllowed) on a page answers 403, as on the other apps'
screens, instead of escaping as a server error."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied

from kaowu.kernel.errors import NotAllowed


def forbidden_as_403(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc

    return wrapped
