"""Least privilege as data: which audience may read which kind of row, for which purpose (one place).

`kernel.tenancy.for_actor` reads this matrix before it scopes by organisation or district, so every scoping
query — the screens' and the API's `queries.py` read paths alike — answers nothing for a kind the actor's
audience may not read. A model names its kind in its `Tenancy(kind=...)`; the default is the organisation's
ordinary records (plans, sites, rooms, notices), which all its staff may read.

Site staff (invigilators, examiners, markers …) work on their own assignments: they read plans, sites, rooms
and the arrangement summary, and at the door they verify one presented ticket (name, masked number, seat).
They never list candidates, applications, evidence, commitments, archives, imports, spot checks, tickets or
seats (names tied to ticket numbers would defeat blind marking), nor the staff registry or the audit trail.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kaowu.kernel.actors import Actor


class Audience(StrEnum):
    CENTRE = "centre"
    DISTRICT = "district"
    ORG_MANAGER = "org_manager"  # the organisation's admin and exam-affairs office, and its API tokens
    SITE_STAFF = "site_staff"
    CANDIDATE = "candidate"  # their own rows only (Tenancy.candidate)
    NONE = "none"


class Kind(StrEnum):
    ORG_RECORDS = "org_records"  # plans, sessions, sites, rooms, notices, filed scope, fee standards
    CANDIDATE_DATA = "candidate_data"  # candidates, applications and what hangs off them, tickets, seats, imports
    STAFF_DATA = "staff_data"  # the staff registry: ID numbers, phones, credentials of staff
    OFFICE_RECORDS = "office_records"  # audit trail, background jobs and their files, API tokens


class Purpose(StrEnum):
    READ = "read"
    DOOR_CHECK = "door_check"  # one ticket presented at the door (its QR token in hand)


EVERYONE_BUT_CANDIDATES = frozenset({Audience.CENTRE, Audience.DISTRICT, Audience.ORG_MANAGER, Audience.SITE_STAFF})
OVERSIGHT_AND_OFFICE = frozenset({Audience.CENTRE, Audience.DISTRICT, Audience.ORG_MANAGER})

MATRIX: dict[tuple[Kind, Purpose], frozenset[Audience]] = {
    (Kind.ORG_RECORDS, Purpose.READ): EVERYONE_BUT_CANDIDATES,
    (Kind.CANDIDATE_DATA, Purpose.READ): OVERSIGHT_AND_OFFICE | {Audience.CANDIDATE},
    (Kind.CANDIDATE_DATA, Purpose.DOOR_CHECK): frozenset({Audience.ORG_MANAGER, Audience.SITE_STAFF}),
    (Kind.STAFF_DATA, Purpose.READ): OVERSIGHT_AND_OFFICE,
    (Kind.OFFICE_RECORDS, Purpose.READ): OVERSIGHT_AND_OFFICE,
}


def audience_of(actor: Actor) -> Audience:
    if actor.is_centre:
        return Audience.CENTRE
    if actor.is_district:
        return Audience.DISTRICT
    if actor.is_org_manager:
        return Audience.ORG_MANAGER
    if actor.is_site_staff:
        return Audience.SITE_STAFF
    if actor.is_candidate:
        return Audience.CANDIDATE
    return Audience.NONE


def allows(actor: Actor, kind: Kind | str, purpose: Purpose = Purpose.READ) -> bool:
    """May the actor's audience read rows of this kind for this purpose at all (before tenancy scoping)?"""
    return audience_of(actor) in MATRIX.get((Kind(kind), purpose), frozenset())
