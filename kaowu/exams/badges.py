"""The badge QR (工作证, ARR-10): a signed token naming the person and the credential on the badge, so the
check-in does not trust the printout; a credential number typed by hand is the fallback."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from kaowu.arrangement.models import StaffMember

BADGE_SALT = "kaowu.staff-badge"


def token_for(staff: StaffMember) -> str:
    return signing.dumps(
        {"s": staff.pk, "c": staff.credential_number}, key=settings.TICKET_SIGNING_KEY, salt=BADGE_SALT, compress=True
    )


def staff_for(badge: str, *, org_id: int) -> StaffMember | None:
    """The person of a badge token, or of a credential number typed in; None when neither is the organisation's."""
    badge = (badge or "").strip()
    if not badge:
        return None
    try:
        data = signing.loads(
            badge, key=settings.TICKET_SIGNING_KEY, fallback_keys=settings.TICKET_SIGNING_KEY_FALLBACKS, salt=BADGE_SALT
        )
    except (signing.BadSignature, ValueError, TypeError):
        return StaffMember.objects.filter(org_id=org_id, credential_number=badge).first()
    return StaffMember.objects.filter(org_id=org_id, pk=data.get("s"), credential_number=data.get("c")).first()
