"""Screens of the arrangement stage, by topic: the organisation's registry of rooms and staff (registry), a
plan's arrangement steps and tickets (plan), a session's seats, staff and printouts (session), the status and
report for districts and the centre (oversight), and what a candidate or staff member sees of their own
(personal). Reads go through arrangement.queries / kernel.tenancy; every write is one service call; a refused
action is shown beside its form with rule and citation.
"""
