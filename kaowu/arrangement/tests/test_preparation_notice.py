"""实操准备通知单 (ARR-13): the office records what a skill session's candidates bring, by T−3 of the session's
date; each seated candidate downloads their own notice next to the ticket, the office all of them in one PDF."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import SHANGHAI
from kaowu.arrangement import preparation
from kaowu.arrangement.models import PreparationNotice, Seat
from kaowu.arrangement.printouts.candidate_notice import TEMPLATE, candidate_notices_data, candidate_notices_pdf
from kaowu.kernel import pdf
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.models import AuditEvent
from kaowu.policy.engine import RuleViolation
from tests import factories as f

BRING = ["工作服、工作帽", "按摩巾两条"]


def client_for(actor: Actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


@pytest.fixture
def skill(released_plan):
    return released_plan.sessions.get(subject="skill")


@pytest.fixture
def published(skill, org_admin):
    return preparation.record_preparation_notice(
        actor=org_admin, session=skill, bring=BRING, own_tools=True, today=dt.date(2026, 11, 2)
    )


def seated_candidate(seat: Seat, username: str) -> Actor:
    """A portal login for the candidate of `seat` (the fixtures' candidates were entered by the office)."""
    user = f.user(username, Role.CANDIDATE, display_name=seat.application.candidate.name)
    type(seat.application.candidate).objects.filter(pk=seat.application.candidate_id).update(user=user)
    return Actor.of(user)


def two_seats(skill) -> list[Seat]:
    return list(Seat.objects.filter(session=skill).select_related("application__candidate").order_by("seat_no")[:2])


def test_ARR_13_notice_published_exactly_three_days_before_the_session_is_accepted(skill, org_admin):
    edge = skill.date - dt.timedelta(days=3)
    notice = preparation.record_preparation_notice(
        actor=org_admin, session=skill, bring=BRING, own_tools=True, today=edge
    )
    assert notice.bring == BRING
    assert AuditEvent.objects.filter(action="arrangement.preparation_notice.published", object_id=str(notice.pk))


def test_ARR_13_notice_published_two_days_before_the_session_is_refused(skill, org_admin):
    with pytest.raises(RuleViolation) as exc:
        preparation.record_preparation_notice(
            actor=org_admin, session=skill, bring=BRING, own_tools=True, today=skill.date - dt.timedelta(days=2)
        )
    assert exc.value.rule_id == "ARR-13"
    assert not PreparationNotice.objects.filter(session=skill).exists()  # nothing half-written


def test_ARR_13_a_late_change_keeps_the_published_list(skill, published, org_admin):
    with pytest.raises(RuleViolation):
        preparation.record_preparation_notice(
            actor=org_admin, session=skill, bring=["别的"], own_tools=True, today=skill.date - dt.timedelta(days=2)
        )
    published.refresh_from_db()
    assert published.bring == BRING


def test_ARR_13_only_a_skill_session_has_a_notice_and_own_tools_need_a_list(released_plan, skill, org_admin):
    theory = released_plan.sessions.get(subject="theory")
    with pytest.raises(KaowuError) as exc:
        preparation.record_preparation_notice(actor=org_admin, session=theory, bring=BRING, own_tools=True)
    assert exc.value.code == "not_skill_session"
    with pytest.raises(KaowuError) as exc:
        preparation.record_preparation_notice(actor=org_admin, session=skill, bring=["", " "], own_tools=True)
    assert exc.value.code == "bring_empty"


def test_ARR_13_each_candidate_gets_a_one_page_notice_with_name_and_ticket_number(skill, published):
    data = candidate_notices_data(skill, published)
    seats = Seat.objects.filter(session=skill).select_related("application__candidate").order_by("room", "seat_no")
    names = [s.application.candidate.name for s in seats]
    assert [n["name"] for n in data["notices"]] == names
    assert all(n["number"] for n in data["notices"])
    assert data["bring"][-2:] == BRING and data["safety"]
    assert data["site_address"] == skill.site.address
    body = candidate_notices_pdf(skill, published)
    assert body.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", body)) == len(names)  # one A4 page each
    assert pdf.query(TEMPLATE, data, "<candidate-names>")[0] == names


def test_ARR_13_the_candidate_downloads_only_their_own_notice(skill, published):
    mine, theirs = two_seats(skill)
    me = seated_candidate(mine, "notice_me")
    seated_candidate(theirs, "notice_other")
    client = client_for(me)
    page = client.get(reverse("arrangement:portal_tickets"))
    assert reverse("arrangement:portal_notice_pdf", args=[mine.pk]) in page.content.decode()
    own = client.get(reverse("arrangement:portal_notice_pdf", args=[mine.pk]))
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert client.get(reverse("arrangement:portal_notice_pdf", args=[theirs.pk])).status_code == 404


def test_ARR_13_no_candidate_notice_when_candidates_bring_no_tools(skill, org_admin):
    preparation.record_preparation_notice(actor=org_admin, session=skill, bring=[], own_tools=False)
    mine, _ = two_seats(skill)
    me = seated_candidate(mine, "notice_me")
    assert client_for(me).get(reverse("arrangement:portal_notice_pdf", args=[mine.pk])).status_code == 404
    assert client_for(org_admin).get(reverse("arrangement:preparation_notices_pdf", args=[skill.pk])).status_code == 404


def test_ARR_13_the_office_publishes_and_downloads_every_notice(skill, org_admin):
    client = client_for(org_admin)
    page = client.get(reverse("arrangement:session", args=[skill.pk]))
    assert "实操准备通知单" in page.content.decode()
    done = client.post(
        reverse("arrangement:preparation_notice", args=[skill.pk]), {"own_tools": "on", "bring": "工作服\n\n毛巾"}
    )
    assert done.status_code == 302
    assert PreparationNotice.objects.get(session=skill).bring == ["工作服", "毛巾"]
    body = client.get(reverse("arrangement:preparation_notices_pdf", args=[skill.pk]))
    assert body.status_code == 200 and body.content.startswith(b"%PDF")


def test_ARR_13_org_b_office_gets_404_on_org_a_session(skill, published, org_b_admin):
    client = client_for(org_b_admin)
    assert client.get(reverse("arrangement:preparation_notices_pdf", args=[skill.pk])).status_code == 404
    posted = client.post(reverse("arrangement:preparation_notice", args=[skill.pk]), {"bring": "x", "own_tools": "on"})
    assert posted.status_code == 404
    assert PreparationNotice.objects.get(session=skill).bring == BRING


def test_ARR_13_a_late_notice_is_refused_on_the_session_page_citing_the_rule(skill, org_admin, frozen):
    frozen.move_to(dt.datetime.combine(skill.date - dt.timedelta(days=2), dt.time(9, 0), tzinfo=SHANGHAI))
    page = client_for(org_admin).post(
        reverse("arrangement:preparation_notice", args=[skill.pk]), {"own_tools": "on", "bring": "工作服"}
    )
    assert page.status_code == 200
    assert "ARR-13" in page.content.decode()
    assert not PreparationNotice.objects.filter(session=skill).exists()
