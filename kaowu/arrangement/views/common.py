"""What the arrangement screens share: who may act, downloads, and the printout functions (imported lazily)."""

from __future__ import annotations

import importlib

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import KaowuError, NotAllowed
from kaowu.kernel.permissions import manages_org

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MANAGERS_ONLY = "此页面由本机构的管理员或考务人员使用。"


def require_manager(actor: Actor, org_id: int) -> None:
    """The organisation's office only (after tenancy has answered 404 for other organisations)."""
    if not manages_org(actor, org_id):
        raise PermissionDenied(MANAGERS_ONLY)


def forbid_if_not_allowed(exc: KaowuError) -> None:
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.message) from exc


def printout(name: str):
    """The printout function `name` of kaowu.arrangement.printouts, imported when first used (Typst and the
    font load with it), or None when there is no such printout."""
    try:
        module = importlib.import_module("kaowu.arrangement.printouts")
    except ImportError:
        return None
    return getattr(module, name, None)


def render_printout(name: str, *args):
    render = printout(name)
    if render is None:
        raise Http404("该打印材料暂不可用。")
    return render(*args)


def available(*names: str) -> set[str]:
    return {n for n in names if printout(n) is not None}
