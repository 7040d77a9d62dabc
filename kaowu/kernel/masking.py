"""Masking of identity-document numbers wherever the full number is not needed.

A resident ID number (GB 11643) is region (6) + birth date (8) + sequence (3) + check character (1). The mask
keeps the first 3 and the last 4 characters only: it hides the birth date *and* the county digits, so a
masked number cannot be rebuilt from a birth date shown beside it (the check character then still leaves
every county code of the city open), nor from a county shown beside it (every day of a lifetime stays open).
Responses that carry a masked number carry no birth date (docs/decisions.md, "Masks that hide").
"""

SENSITIVE_FIELDS = frozenset({"id_number", "document_number", "doc_number"})
KEEP_HEAD, KEEP_TAIL = 3, 4


def mask_id_number(value: str | None) -> str:
    """110101199003071234 -> 110***********1234 (same length); short values keep only their last two characters."""
    if not value:
        return ""
    value = str(value)
    if len(value) >= 10:
        return value[:KEEP_HEAD] + "*" * (len(value) - KEEP_HEAD - KEEP_TAIL) + value[-KEEP_TAIL:]
    return "*" * max(len(value) - 2, 0) + value[-2:]


def mask_fields(data: dict) -> dict:
    return {k: (mask_id_number(v) if k in SENSITIVE_FIELDS else v) for k, v in data.items()}


# How each printout shows document numbers (settings.PRINTOUT_ID_NUMBERS, env KAOWU_PRINTOUT_ID_NUMBERS as
# "door_sheet=full,…"). "masked" keeps the first 3 and last 4 characters, as on screens; "full" prints the
# whole number, and every download of such a printout is an audit event (full_numbers_printed below).
# docs/decisions.md, "The door sheet's ID numbers".
PRINTOUT_MODES = ("masked", "full")


def printout_mode(printout: str) -> str:
    from django.conf import settings

    mode = getattr(settings, "PRINTOUT_ID_NUMBERS", {}).get(printout, "masked")
    return mode if mode in PRINTOUT_MODES else "masked"


def for_printout(value: str | None, printout: str) -> str:
    return (value or "") if printout_mode(printout) == "full" else mask_id_number(value)


def full_numbers_printed(*, actor, printout: str, obj, org_id: int | None = None) -> None:
    """The audit event of a download of a printout that carries full document numbers (no event when the
    printout masks them)."""
    if printout_mode(printout) != "full":
        return
    from django.db import transaction

    from kaowu.kernel import audit

    with transaction.atomic():
        audit.record(
            actor, "kernel.full_id_numbers.printed", obj, org_id=org_id, changes={"printout": [None, printout]}
        )
