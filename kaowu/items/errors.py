"""Refusals of the item bank that carry more than one message: a spreadsheet's bad rows."""

from __future__ import annotations

from kaowu.kernel.errors import KaowuError


class ImportRefused(KaowuError):
    """A spreadsheet with bad rows: nothing was written; `errors` names every bad row and column."""

    status = 422

    def __init__(self, errors: list[dict], *, rule_id: str | None = None, citation: str | None = None):
        shown = "；".join(
            (f"第{e['row']}行「{e['column']}」" if e.get("row") else "") + e["message"] for e in errors[:3]
        )
        more = f"（共{len(errors)}处）" if len(errors) > 3 else ""
        super().__init__(
            f"导入未完成，表格有误，未写入任何数据：{shown}{more}。请改正后重新导入。",
            code="import_refused",
            rule_id=rule_id,
            citation=citation,
        )
        self.errors = errors

    def as_dict(self) -> dict:
        return {**super().as_dict(), "errors": self.errors}
