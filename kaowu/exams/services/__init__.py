"""Exam-day services: opening, staff check-in, door check-in, room records, the run sheet."""
