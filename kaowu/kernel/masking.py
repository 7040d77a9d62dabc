"""Masking of identity-document numbers wherever the full number is not needed."""

SENSITIVE_FIELDS = frozenset({"id_number", "document_number", "doc_number"})


def mask_id_number(value: str | None) -> str:
    """110101199003071234 -> 110101********1234; short values keep only their last two characters."""
    if not value:
        return ""
    value = str(value)
    if len(value) >= 10:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    return "*" * max(len(value) - 2, 0) + value[-2:]


def mask_fields(data: dict) -> dict:
    return {k: (mask_id_number(v) if k in SENSITIVE_FIELDS else v) for k, v in data.items()}
