"""Errors that carry a code and a Chinese message saying what to do (design §7)."""

from __future__ import annotations


class KaowuError(Exception):
    """A refused action. `field` names the input to fix, when there is one."""

    status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str,
        rule_id: str | None = None,
        citation: str | None = None,
        field: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.rule_id = rule_id
        self.citation = citation
        self.field = field
        if rule_id and self.status in (400, 409):
            # Every rule refusal answers 422, whatever kind of error carries it (a malformed body stays 400).
            self.status = 422

    def as_dict(self) -> dict:
        data = {"code": self.code, "message": self.message, "rule_id": self.rule_id, "citation": self.citation}
        if self.field:
            data["field"] = self.field
        return data


class StateError(KaowuError):
    """The object is not in a state that allows the action."""

    status = 409


class NotAllowed(KaowuError):
    """The actor may see the object but not do this to it."""

    status = 403


def require(condition: bool, message: str, *, code: str, field: str | None = None, error=KaowuError) -> None:
    if not condition:
        raise error(message, code=code, field=field)
