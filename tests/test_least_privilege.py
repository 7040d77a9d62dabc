"""Least privilege inside an organisation (kernel.access): site staff never reach candidates' personal data.

A generated walk: every GET operation of the OpenAPI schema and every screen URL, with every path parameter
filled with a real row of a released plan, requested by each site-staff persona. Any response that carries a
full ID number, a phone, an address or a birth date of a candidate fails, as does any file download except the
ones the matrix lets site staff have. The same walk as the office proves the data is there to leak.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from kaowu.api import api
from kaowu.arrangement import tickets
from kaowu.arrangement.models import AdmissionTicket, Room, Seat, StaffMember
from kaowu.kernel import access
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.registration.enums import CommitmentKind
from kaowu.registration.models import Application, Candidate
from tests import factories as f

ADDRESS = "北京市朝阳区建国路88号院3号楼"
HOUSEHOLD = "北京市朝阳区"
SITE_STAFF_ROLES = [Role.INVIGILATOR, Role.EXAMINER, Role.MARKER, Role.CHIEF_EXAMINER, Role.QUALITY_SUPERVISOR]
# Files site staff may download: the plan's filing form holds no candidate (plan, sessions, sites).
STAFF_FILES = re.compile(r"/filing-form\.(pdf|xlsx)$")
BINARY = ("application/pdf", "application/vnd.openxmlformats", "application/octet-stream", "image/")


@pytest.fixture
def rows(released_plan, org_admin):
    """One real row per path parameter, and the personal data that must not leak."""
    apps = list(Application.objects.filter(plan=released_plan).select_related("candidate"))
    first = apps[0].candidate
    Candidate.objects.filter(pk=first.pk).update(address=ADDRESS, household_registration=HOUSEHOLD)
    session = released_plan.sessions.first()
    ids = {
        "plan_id": released_plan.pk,
        "pk": released_plan.pk,
        "application_id": apps[0].pk,
        "candidate_id": first.pk,
        "session_id": session.pk,
        "sid": session.pk,
        "site_id": session.site_id,
        "room_id": Seat.objects.filter(session=session).first().room_id,
        "ticket_id": AdmissionTicket.objects.filter(plan=released_plan).first().pk,
        "org_id": released_plan.org_id,
        "staff_id": StaffMember.objects.first().pk,
        "seat_id": Seat.objects.filter(session=session).first().pk,
        "kind": CommitmentKind.WORK.value,
        "code": released_plan.occupation.code,
        "rule_id": "REG-1",
    }
    secrets = set()
    for app in apps:
        c = app.candidate
        secrets |= {c.doc_number, c.phone, c.birth_date.isoformat(), c.birth_date.strftime("%Y%m%d")}
    secrets |= {ADDRESS}
    return {"ids": ids, "secrets": secrets, "apps": apps}


def _fill(path: str, ids: dict) -> str | None:
    def value(match: re.Match) -> str:
        name = match.group(1).split(":")[-1]
        if name not in ids:
            raise KeyError(name)
        return str(ids[name])

    try:
        return re.sub(r"[{<]([^}>]+)[}>]", value, path)
    except KeyError:
        return None


def api_paths(ids: dict) -> list[str]:
    schema = api.get_openapi_schema()
    out = []
    for path, operations in schema["paths"].items():
        if "get" in operations:
            filled = _fill(path, ids)
            if filled is not None:
                out.append(filled)
    return out


def screen_paths(ids: dict) -> list[str]:
    """Every screen URL of the project (admin and API excluded) with its parameters filled."""
    out = []

    def walk(patterns, prefix: str):
        for p in patterns:
            if isinstance(p, URLResolver):
                route = str(p.pattern)
                if route.startswith(("admin/", "api/")):
                    continue
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern):
                filled = _fill(prefix + str(p.pattern), {**ids, "pk": ids["pk"], "cid": 1, "eid": 1, "bid": 1})
                if filled is not None and "^" not in filled:
                    out.append("/" + filled)

    walk(get_resolver().url_patterns, "")
    return sorted(set(out))


def leaks(response, path: str, secrets: set[str]) -> list[str]:
    kind = response.get("Content-Type", "")
    if response.status_code == 200 and kind.startswith(BINARY) and not STAFF_FILES.search(path):
        return [f"{path}: a file ({kind})"]
    if not kind.startswith(("application/json", "text/")):
        return []
    text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    return [f"{path}: {s}" for s in secrets if s in text]


def staff(role: str, org) -> Actor:
    return Actor.of(f.user(f"org_a_{role}", role, org=org, display_name=f"员工{role}"))


@pytest.mark.parametrize("role", SITE_STAFF_ROLES)
def test_site_staff_reach_no_candidates_personal_data_over_the_api_or_screens(rows, org_a, role):
    actor = staff(role, org_a)
    client = Client()
    client.force_login(actor.user)
    found = []
    for path in api_paths(rows["ids"]):
        r = client.get(path)
        assert r.status_code < 500, path
        found += leaks(r, path, rows["secrets"])
    for path in screen_paths(rows["ids"]):
        r = client.get(path)
        assert r.status_code < 500, path
        found += leaks(r, path, rows["secrets"])
    assert found == []


def test_the_office_walk_finds_the_data_the_staff_walk_must_not(rows, org_admin):
    """The same walk as the organisation's office does find phones, addresses and files: the check can fail."""
    client = Client()
    client.force_login(org_admin.user)
    found = []
    for path in api_paths(rows["ids"]):
        found += leaks(client.get(path), path, rows["secrets"])
    assert any(ADDRESS in x for x in found) and any("a file" in x and "archive.pdf" in x for x in found)
    assert any(rows["apps"][0].candidate.phone in x for x in found)


def test_an_invigilator_gets_404_for_a_candidate_an_archive_and_an_empty_seat_list(rows, invigilator):
    ids = rows["ids"]
    client = Client()
    client.force_login(invigilator.user)
    assert client.get(f"/api/v1/candidates/{ids['candidate_id']}").status_code == 404
    assert client.get(f"/api/v1/applications/{ids['application_id']}/archive.pdf").status_code == 404
    assert client.get(f"/api/v1/applications/{ids['application_id']}").status_code == 404
    assert client.get("/api/v1/candidates?page_size=200").json()["items"] == []
    assert client.get(f"/api/v1/sessions/{ids['session_id']}/seats").json()["items"] == []
    assert client.get(f"/api/v1/plans/{ids['plan_id']}/tickets").json() in ([], {"items": [], "count": 0})
    assert client.get(f"/applications/{ids['application_id']}/archive.pdf").status_code == 404
    assert client.get(f"/sessions/{ids['session_id']}/seats/").status_code in (403, 404)


def test_an_invigilator_still_verifies_the_one_ticket_presented_at_the_door_DAY_1(rows, invigilator):
    ticket = AdmissionTicket.objects.filter(plan_id=rows["ids"]["plan_id"]).select_related("application__candidate")
    ticket = ticket.first()
    client = Client()
    client.force_login(invigilator.user)
    r = client.post(
        "/api/v1/tickets/verify", data={"token": tickets.token_for(ticket)}, content_type="application/json"
    )
    assert r.status_code == 200
    assert r.json()["masked_doc_number"] == ticket.application.candidate.masked_doc_number
    assert ticket.application.candidate.doc_number not in r.content.decode()


def test_the_matrix_names_every_kind_a_model_declares():
    from django.apps import apps

    kinds = {m.tenancy.kind for m in apps.get_models() if hasattr(m, "tenancy")}
    assert kinds <= {k.value for k in access.Kind}
    assert access.Kind.CANDIDATE_DATA in kinds and access.Kind.STAFF_DATA in kinds
    for model in (Candidate, Application, AdmissionTicket):
        assert model.tenancy.kind == access.Kind.CANDIDATE_DATA
    assert Room.tenancy.kind == access.Kind.ORG_RECORDS
