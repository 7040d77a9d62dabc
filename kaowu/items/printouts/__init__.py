"""Printouts of the item bank: the question booklet and the answer key of a paper version, the candidates'
machine-readable answer sheets of a session, and the envelope counts per room."""

from kaowu.items.printouts.answer_sheet import answer_sheets_data, answer_sheets_pdf, envelope_counts
from kaowu.items.printouts.booklet import answer_key_data, answer_key_pdf, booklet_data, booklet_pdf

__all__ = [
    "answer_key_data",
    "answer_key_pdf",
    "answer_sheets_data",
    "answer_sheets_pdf",
    "booklet_data",
    "booklet_pdf",
    "envelope_counts",
]
