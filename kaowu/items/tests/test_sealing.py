"""Sealing, custody and opening (DAY-3): two people each time, opening only from S−5 on the exam day, the hash
checked, and the PAPERS_SEALED step of the spine."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import SHANGHAI
from kaowu.items.enums import PaperStatus
from kaowu.items.models import CustodyEvent, Paper
from kaowu.items.services import assembly, sealing
from kaowu.kernel.errors import NotAllowed
from kaowu.plans import milestones
from kaowu.plans.enums import Milestone
from kaowu.policy.engine import RuleViolation


def seal(paper, first, second):
    sealing.sign_seal(actor=first, paper=paper)
    return sealing.sign_seal(actor=second, paper=paper)


def test_sealing_by_one_person_twice_is_refused_DAY_3(paper, writer):
    sealing.sign_seal(actor=writer, paper=paper)
    with pytest.raises(RuleViolation) as exc:
        sealing.sign_seal(actor=writer, paper=paper)
    assert exc.value.rule_id == "DAY-3"
    paper.refresh_from_db()
    assert paper.status == PaperStatus.SEALING and not paper.content_hash


def test_two_people_seal_with_hash_seal_number_and_custody_DAY_3(paper, writer, secret):
    paper = seal(paper, writer, secret)
    assert paper.status == PaperStatus.SEALED
    assert len(paper.content_hash) == 64 and paper.content_hash == sealing.content_digest(paper)
    assert paper.seal_no.endswith("A")
    event = CustodyEvent.objects.get(paper=paper)
    assert (event.by_id, event.witness_id, event.action) == (writer.user.pk, secret.user.pk, "sealed")


def test_papers_sealed_step_is_marked_when_every_written_theory_session_has_a_sealed_paper(paper, writer, secret):
    plan = paper.assembly.session.plan
    assert not milestones.is_done(plan, Milestone.PAPERS_SEALED)
    seal(paper, writer, secret)
    assert milestones.is_done(plan, Milestone.PAPERS_SEALED)


def test_sealing_for_a_plan_not_confirmed_in_the_system_is_refused_by_the_spine(banked, writer, electrician_plan):
    session = electrician_plan.sessions.get(subject="theory")
    a = assembly.assemble(actor=writer, blueprint=banked, versions=1, seed="x", session=session)
    with pytest.raises(milestones.GateClosed):
        sealing.sign_seal(actor=writer, paper=a.papers.get())


def _at(session, minutes: int):
    return dt.datetime.combine(session.date, session.start_time, tzinfo=SHANGHAI) + dt.timedelta(minutes=minutes)


def test_opening_before_S_minus_5_is_refused_and_at_S_minus_5_by_two_people_accepted_DAY_3(
    paper, writer, secret, chief, invigilator, frozen
):
    paper = seal(paper, writer, secret)
    session = paper.assembly.session
    frozen.move_to(_at(session, -6))
    with pytest.raises(RuleViolation) as exc:
        sealing.sign_opening(actor=chief, paper=paper)
    assert exc.value.rule_id == "DAY-3"
    assert Paper.objects.get(pk=paper.pk).status == PaperStatus.SEALED
    frozen.move_to(_at(session, -5))
    sealing.sign_opening(actor=chief, paper=paper)
    with pytest.raises(RuleViolation) as exc:
        sealing.sign_opening(actor=chief, paper=paper)  # the same person again
    assert exc.value.rule_id == "DAY-3"
    opened = sealing.sign_opening(actor=invigilator, paper=paper)
    assert opened.status == PaperStatus.OPENED and opened.opened_at is not None


def test_the_day_before_is_refused_even_after_the_clock_time_DAY_3(paper, writer, secret, chief, frozen):
    paper = seal(paper, writer, secret)
    session = paper.assembly.session
    frozen.move_to(_at(session, 0) - dt.timedelta(days=1))
    with pytest.raises(RuleViolation) as exc:
        sealing.sign_opening(actor=chief, paper=paper)
    assert exc.value.rule_id == "DAY-3"


def test_exam_affairs_can_neither_seal_nor_open(paper, exam_affairs):
    with pytest.raises(NotAllowed):
        sealing.sign_seal(actor=exam_affairs, paper=paper)
    with pytest.raises(NotAllowed):
        sealing.sign_opening(actor=exam_affairs, paper=paper)


def test_hand_over_checks_the_seal_number_DAY_3(paper, writer, secret, chief):
    paper = seal(paper, writer, secret)
    with pytest.raises(RuleViolation) as exc:
        sealing.hand_over(actor=secret, paper=paper, receiver=chief, seal_no="WRONG")
    assert exc.value.rule_id == "DAY-3"
    event = sealing.hand_over(actor=secret, paper=paper, receiver=chief, seal_no=paper.seal_no)
    assert event.action == "handed_over"
