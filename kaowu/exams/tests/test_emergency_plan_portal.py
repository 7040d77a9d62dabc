"""DAY-6 in the candidate's portal: the emergency plan of a computer-based session shown before the day and
acknowledged there; nobody acknowledges for another, a rewritten plan is asked again, and the online
acknowledgement closes when the day opens (S−60)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kaowu.arrangement.models import Seat
from kaowu.exams import queries, schedule
from kaowu.exams.models import EmergencyPlanAcknowledgement
from kaowu.exams.services import incidents
from kaowu.exams.tests.conftest import at_time
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.kernel.errors import KaowuError
from kaowu.plans.models import Session
from tests import factories as f

TEXT = "停电：启用备用电源，暂停计时；考试机故障：换备用机，补足耽误的时间。"


def login(seat: Seat, username: str) -> tuple[Actor, Client]:
    user = f.user(username, Role.CANDIDATE, display_name=seat.application.candidate.name)
    type(seat.application.candidate).objects.filter(pk=seat.application.candidate_id).update(user=user)
    seat.application.candidate.user = user
    client = Client()
    client.force_login(user)
    return Actor.of(user), client


@pytest.fixture
def cbt_session(ready_plan, theory, chief, clock_at):
    Session.objects.filter(pk=theory.pk).update(method="cbt")
    session = Session.objects.select_related("plan", "site").get(pk=theory.pk)
    clock_at(session, "07:00")
    session_day_before = at_time(session.date, 7, 0) - dt.timedelta(days=3)
    incidents.write_emergency_plan(
        actor=chief, session=session, text=TEXT, told_candidates_at=session_day_before, told_how="考生门户"
    )
    return session


def seats(session) -> list[Seat]:
    return list(Seat.objects.filter(session=session).select_related("application__candidate").order_by("seat_no")[:2])


def test_candidate_sees_the_plan_and_acknowledges_it_in_the_portal_DAY_6(cbt_session, clock_at):
    mine, _other = seats(cbt_session)
    clock_at(cbt_session, "07:00")  # S−90 on the day: before the day opens
    _actor, client = login(mine, "cand_ack1")
    page = client.get("/portal/emergency-plans/").content.decode()
    assert "停电：启用备用电源" in page and "我已阅读并知晓" in page
    r = client.post(f"/portal/emergency-plans/{mine.pk}/acknowledge/")
    assert r.status_code == 302
    assert EmergencyPlanAcknowledgement.objects.filter(seat=mine).count() == 1
    assert "已确认" in client.get("/portal/emergency-plans/").content.decode()
    client.post(f"/portal/emergency-plans/{mine.pk}/acknowledge/")  # a second click is the same acknowledgement
    assert EmergencyPlanAcknowledgement.objects.filter(seat=mine).count() == 1
    assert queries.acknowledgement_count(cbt_session) == (1, Seat.objects.filter(session=cbt_session).count())


def test_another_candidates_seat_is_404_DAY_6(cbt_session, clock_at):
    mine, other = seats(cbt_session)
    clock_at(cbt_session, "07:00")
    _actor, client = login(mine, "cand_ack2")
    assert client.post(f"/portal/emergency-plans/{other.pk}/acknowledge/").status_code == 404
    assert not EmergencyPlanAcknowledgement.objects.exists()
    with pytest.raises(KaowuError):
        incidents.acknowledge_emergency_plan(actor=Actor.of(f.user("nobody", Role.CANDIDATE)), seat=other)


def test_acknowledging_closes_when_the_day_opens_DAY_6(cbt_session, clock_at):
    mine, _other = seats(cbt_session)
    assert schedule.opens_at(cbt_session) == at_time(cbt_session.date, 7, 30)
    clock_at(cbt_session, "07:29", 59)  # S−60 is 07:30 for an 08:30 start: one second before, accepted
    actor, _client = login(mine, "cand_ack3")
    incidents.acknowledge_emergency_plan(actor=actor, seat=mine)
    clock_at(cbt_session, "07:30")  # the day opens: refused, nothing written
    second, _c = login(_other, "cand_ack4")
    with pytest.raises(KaowuError) as refused:
        incidents.acknowledge_emergency_plan(actor=second, seat=_other)
    assert refused.value.code == "emergency_ack_closed"
    assert EmergencyPlanAcknowledgement.objects.count() == 1


def test_a_rewritten_plan_is_acknowledged_again_DAY_6(cbt_session, chief, clock_at):
    mine, _other = seats(cbt_session)
    clock_at(cbt_session, "06:00")
    actor, client = login(mine, "cand_ack5")
    incidents.acknowledge_emergency_plan(actor=actor, seat=mine)
    incidents.write_emergency_plan(
        actor=chief,
        session=cbt_session,
        text=TEXT + "网络中断：切换到考点局域网服务器。",
        told_candidates_at=at_time(cbt_session.date, 6, 0),
        told_how="考生门户",
    )
    (row,) = queries.own_emergency_plans(actor, now=at_time(cbt_session.date, 6, 30))
    assert row.acknowledged_at is None  # the new text was not read yet
    assert queries.acknowledgement_count(cbt_session)[0] == 0
    client.post(f"/portal/emergency-plans/{mine.pk}/acknowledge/")
    (row,) = queries.own_emergency_plans(actor, now=at_time(cbt_session.date, 6, 30))
    assert row.acknowledged_at is not None


def test_a_written_session_shows_no_plan_to_acknowledge_DAY_6(ready_plan, theory, clock_at):
    mine, _other = seats(theory)
    clock_at(theory, "07:00")
    actor, client = login(mine, "cand_ack6")
    assert queries.own_emergency_plans(actor, now=at_time(theory.date, 7, 0)) == []
    assert client.post(f"/portal/emergency-plans/{mine.pk}/acknowledge/").status_code == 404
    assert "暂无需要确认的机考应急预案" in client.get("/portal/emergency-plans/").content.decode()


def test_chief_reads_the_acknowledgement_count_over_the_api_DAY_6(cbt_session, chief, clock_at, api):
    mine, _other = seats(cbt_session)
    clock_at(cbt_session, "07:00")
    actor, _client = login(mine, "cand_ack7")
    incidents.acknowledge_emergency_plan(actor=actor, seat=mine)
    r = api(chief).get(f"/sessions/{cbt_session.pk}/emergency-plan")
    assert r.status_code == 200 and r.json()["acknowledged"] == 1 and r.json()["seated"] >= 2
    assert api(actor).get(f"/sessions/{cbt_session.pk}/emergency-plan").status_code == 404
