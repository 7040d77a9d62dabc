"""The spine (plans.milestones): every gate between stages tried both ways, a stopped plan (PLAN-12) refusing every
later step through the API, the centre's recorded lift, and one walk from a draft to released tickets through the
API that is refused at each step until its prerequisite is done."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import at
from kaowu.arrangement import rooms, seating, staffing, tickets
from kaowu.arrangement.enums import TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Assignment, Seat
from kaowu.catalog.models import Occupation
from kaowu.kernel.errors import NotAllowed, StateError
from kaowu.kernel.models import AuditEvent
from kaowu.parties import services as parties_services
from kaowu.plans import milestones, services
from kaowu.plans.enums import Milestone, PlanStatus
from kaowu.plans.models import StopLift
from kaowu.policy.engine import RuleViolation
from kaowu.policy.models import Rule
from kaowu.registration import fees
from kaowu.registration import services as reg
from tests import factories as f

T = dt.date(2026, 12, 2)


def _stuff_site(org_admin, org_a, site_a):
    f.rooms(actor=org_admin, site=site_a, count=1)
    f.rooms(actor=org_admin, site=site_a, count=1, kind="workshop", start=2)
    f.facilities(actor=org_admin, site=site_a)
    f.staff_pool(actor=org_admin, org=org_a, invigilators=2, examiners=5)


def _publish_fees(org_admin, org_a):
    massage = Occupation.objects.get(code="4-10-04-02")
    parties_services.publish_fee_items(
        actor=org_admin,
        org=org_a,
        items=[
            {"occupation": massage, "level": 5, "subject": s, "amount_yuan": Decimal(a), "basis": "京发改〔2024〕1号"}
            for s, a in (("theory", "150"), ("skill", "300"))
        ],
    )


def _pay(app, actor, n):
    return fees.record_payment(
        actor=actor,
        application=app,
        paid_on=dt.date(2026, 11, 2),
        method="转账",
        invoice_number=f"INV{n:05d}",
        invoice_date=dt.date(2026, 11, 2),
        payer=app.candidate.name,
    )


# PLAN-10: the district's opinion before confirmation -----------------------------------------------------------


def test_a_plan_without_the_district_opinion_is_not_confirmed_and_with_it_is_PLAN_10(
    plan_draft, org_admin, centre_admin
):
    f.open_plan(plan=plan_draft, org_admin=org_admin, centre_admin=centre_admin, opinion=False)
    with pytest.raises(RuleViolation) as exc:
        services.confirm_batch_plan(actor=org_admin, plan=plan_draft)
    assert exc.value.rule_id == "PLAN-10" and "朝阳区" in exc.value.message
    plan_draft.refresh_from_db()
    assert plan_draft.status == PlanStatus.ACCEPTED and not milestones.is_done(plan_draft, Milestone.CONFIRMED)
    f.district_opinion(plan_draft)
    services.confirm_batch_plan(actor=org_admin, plan=plan_draft)
    assert milestones.is_done(plan_draft, Milestone.CONFIRMED)


def test_a_profile_may_confirm_without_the_district_opinion_PLAN_10(plan_draft, org_admin, centre_admin):
    rule = Rule.objects.get(rule_id="PLAN-10", profile__slug="beijing-2022")
    rule.params = {**rule.params, "district_opinion_before_confirm": False}
    rule.save()
    f.open_plan(plan=plan_draft, org_admin=org_admin, centre_admin=centre_admin, opinion=False)
    assert services.confirm_batch_plan(actor=org_admin, plan=plan_draft).status == PlanStatus.CONFIRMED


# Seating and staffing need ARR-1 and REG-6 -------------------------------------------------------------------


@pytest.fixture
def equipped(confirmed_plan, org_admin, org_a, site_a):
    _stuff_site(org_admin, org_a, site_a)
    return confirmed_plan


def test_seating_waits_for_the_candidate_list_and_the_rooms_then_goes_through_REG_6_ARR_1(equipped, org_admin):
    theory = equipped.sessions.get(subject="theory")
    with pytest.raises(RuleViolation) as exc:
        seating.seat_session(actor=org_admin, session=theory, seed="s")
    assert {v.rule_id for v in exc.value.violations} == {"ARR-1", "REG-6"}
    assert exc.value.code == "step_missing" and "后再编排座位" in exc.value.message
    reg.confirm_candidates(actor=org_admin, plan=equipped)
    with pytest.raises(RuleViolation) as exc:
        seating.seat_session(actor=org_admin, session=theory, seed="s")
    assert exc.value.rule_id == "ARR-1" and "导入考场" in exc.value.message
    assert not Seat.objects.exists()
    rooms.confirm_rooms_and_staff(actor=org_admin, plan=equipped)
    seating.seat_session(actor=org_admin, session=theory, seed="s")
    assert Seat.objects.filter(session=theory).count() == 20


def test_staff_assignment_waits_for_the_rooms_and_the_list_ARR_1_REG_6(equipped, org_admin):
    with pytest.raises(RuleViolation) as exc:
        staffing.assign_staff(actor=org_admin, plan=equipped)
    assert {v.rule_id for v in exc.value.violations} == {"ARR-1", "REG-6"}
    assert not Assignment.objects.exists()
    f.close_list(plan=equipped, actor=org_admin)
    rooms.confirm_rooms_and_staff(actor=org_admin, plan=equipped)
    for session in equipped.sessions.all():
        seating.seat_session(actor=org_admin, session=session, seed="s")
    assert staffing.assign_staff(actor=org_admin, plan=equipped)


# Tickets: paid where a fee standard applies, never zero --------------------------------------------------------


@pytest.fixture
def seated(equipped, org_admin):
    f.close_list(plan=equipped, actor=org_admin)
    rooms.confirm_rooms_and_staff(actor=org_admin, plan=equipped)
    for session in equipped.sessions.all():
        seating.seat_session(actor=org_admin, session=session, seed="s")
    staffing.assign_staff(actor=org_admin, plan=equipped)
    return equipped


def test_an_unpaid_candidate_gets_no_ticket_where_a_fee_standard_applies_and_a_paid_one_does_REG_5_ORG_3(
    seated, org_admin, org_a
):
    _publish_fees(org_admin, org_a)
    apps = list(seated.applications.order_by("pk"))
    for n, app in enumerate(apps[:-1], start=1):
        _pay(app, org_admin, n)
    with pytest.raises(RuleViolation) as exc:
        tickets.issue_tickets(actor=org_admin, plan=seated)
    assert (
        exc.value.rule_id == "REG-5" and "1名考生" in exc.value.message and apps[-1].candidate.name in exc.value.message
    )
    assert not AdmissionTicket.objects.exists() and not milestones.is_done(seated, Milestone.ARRANGED)
    _pay(apps[-1], org_admin, 999)
    assert len(tickets.issue_tickets(actor=org_admin, plan=seated)) == 20


def test_without_a_published_fee_standard_tickets_need_no_payment_REG_5(seated, org_admin):
    assert len(tickets.issue_tickets(actor=org_admin, plan=seated)) == 20


def test_tickets_for_nobody_are_refused_not_reported_as_done_ARR_2(open_plan, org_admin, org_a, site_a):
    services.confirm_batch_plan(actor=org_admin, plan=open_plan)
    _stuff_site(org_admin, org_a, site_a)
    f.ready_to_seat(open_plan)
    with pytest.raises(StateError) as exc:
        tickets.issue_tickets(actor=org_admin, plan=open_plan)
    assert exc.value.code == "nothing_to_issue"
    assert not milestones.is_done(open_plan, Milestone.ARRANGED)


# PLAN-12: a stopped plan refuses every later step, through the API -------------------------------------------


@pytest.fixture
def stopped(equipped, org_admin, frozen):
    """Everything up to the report done and the spot check drawn, but entry was never closed (REG-6, T−10):
    on T−9 the plan is stopped."""
    reg.confirm_candidates(actor=org_admin, plan=equipped)
    rooms.confirm_rooms_and_staff(actor=org_admin, plan=equipped)
    for session in equipped.sessions.all():
        seating.seat_session(actor=org_admin, session=session, seed="s")
    staffing.assign_staff(actor=org_admin, plan=equipped)
    tickets.issue_tickets(actor=org_admin, plan=equipped)
    tickets.report_arrangement(actor=org_admin, plan=equipped)
    f.spot_check_drawn(plan=equipped)
    frozen.move_to(at(T - dt.timedelta(days=9)))
    return equipped


def test_a_stopped_plan_refuses_seating_staff_tickets_and_release_through_the_api_PLAN_12(stopped, org_admin, api):
    org = api(org_admin)
    theory = stopped.sessions.get(subject="theory")
    seats_before = list(Seat.objects.order_by("pk").values_list("pk", "seat_no"))
    for method, path, body in [
        ("post", f"/sessions/{theory.pk}/seating", {"seed": "again"}),
        ("post", f"/plans/{stopped.pk}/staff-assignment", None),
        ("post", f"/plans/{stopped.pk}/tickets", None),
        ("post", f"/plans/{stopped.pk}/tickets/release", None),
    ]:
        r = getattr(org, method)(path, body)
        assert r.status_code == 422, (path, r.json())
        body = r.json()
        assert body["rule_id"] == "PLAN-12" and body["code"] == "plan_stopped" and body["citation"], path
        assert "结束报名录入并提交（REG-6）" in body["message"] and "2026-11-22" in body["message"], path
    assert list(Seat.objects.order_by("pk").values_list("pk", "seat_no")) == seats_before
    assert not AdmissionTicket.objects.filter(status=TicketStatus.RELEASED).exists()
    assert not milestones.is_done(stopped, Milestone.TICKETS_RELEASED)


def test_the_district_still_finishes_its_spot_check_on_a_stopped_plan_REG_7(stopped):
    assert milestones.BY_KEY[Milestone.SPOT_CHECK_DONE].supervisory
    milestones.require(stopped, Milestone.SPOT_CHECK_DONE)  # no refusal: supervision goes on


def test_the_centre_lifts_a_stop_with_a_reason_and_a_date_then_the_plan_goes_on_PLAN_12(
    stopped, org_admin, centre_admin, api
):
    r = api(centre_admin).post(
        f"/plans/{stopped.pk}/stop-lifts",
        {"step": "entry_closed", "until": "2026-11-24", "reason": "系统故障致未能按时提交，经核实属实"},
    )
    assert r.status_code == 201, r.json()
    assert r.json()["decided_by"] == "赵中心" and r.json()["until"] == "2026-11-24"
    event = AuditEvent.objects.get(action="plans.stop.lifted")
    assert event.changes["reason"][1] == "系统故障致未能按时提交，经核实属实"
    items = {i.key: i for i in milestones.build(stopped, today=T - dt.timedelta(days=9))}
    assert items[Milestone.ENTRY_CLOSED].state == milestones.State.LIFTED
    reg.close_entry(actor=org_admin, plan=stopped)  # the overdue step is done late, within the lift
    r = api(org_admin).post(f"/plans/{stopped.pk}/tickets/release")
    assert r.status_code == 200 and r.json()["step"] == "tickets_released"


def test_a_lift_expires_and_the_plan_stops_again_PLAN_12(stopped, centre_admin, org_admin, frozen):
    milestones.lift_stop(
        actor=centre_admin, plan=stopped, step="entry_closed", until=T - dt.timedelta(days=9), reason="同意补办一次"
    )
    milestones.require(stopped, Milestone.TICKETS_RELEASED)  # on the last day of the lift: goes on
    frozen.move_to(at(T - dt.timedelta(days=8)))
    with pytest.raises(RuleViolation) as exc:
        milestones.require(stopped, Milestone.TICKETS_RELEASED)
    assert exc.value.rule_id == "PLAN-12"


def test_only_the_centre_lifts_only_a_real_stop_and_only_with_a_reason_PLAN_12(
    stopped, org_admin, district_officer, centre_admin
):
    until = T - dt.timedelta(days=8)
    with pytest.raises(NotAllowed):
        milestones.lift_stop(actor=org_admin, plan=stopped, step="entry_closed", until=until, reason="我们来得及")
    with pytest.raises(NotAllowed):
        milestones.lift_stop(actor=district_officer, plan=stopped, step="entry_closed", until=until, reason="同意继续")
    with pytest.raises(Exception) as exc:
        milestones.lift_stop(actor=centre_admin, plan=stopped, step="entry_closed", until=until, reason=" ")
    assert exc.value.code == "reason_missing"
    with pytest.raises(StateError) as exc:
        milestones.lift_stop(
            actor=centre_admin, plan=stopped, step="rooms_imported", until=until, reason="同意继续办理"
        )
    assert exc.value.code == "not_stopped"
    with pytest.raises(Exception) as exc:
        milestones.lift_stop(actor=centre_admin, plan=stopped, step="entry_closed", until=T, reason="同意继续办理")
    assert exc.value.code == "until_after_t"
    assert not StopLift.objects.exists() and not AuditEvent.objects.filter(action="plans.stop.lifted").exists()


def test_the_centre_lifts_a_stop_from_its_inbox_PLAN_12(client, stopped, centre_admin):
    client.force_login(centre_admin.user)
    html = client.get("/inbox/").content.decode()
    assert "准予继续" in html and 'value="entry_closed"' in html
    r = client.post(
        f"/plans/{stopped.pk}/lift-stop/", {"step": "entry_closed", "until": "2026-11-24", "reason": "经核实属不可抗力"}
    )
    assert r.status_code == 302
    assert StopLift.objects.get(plan=stopped).reason == "经核实属不可抗力"
    assert "须于2026-11-24前补办" in client.get("/inbox/").content.decode()


# Site staff see confirmed plans only, on the screen and in the API ------------------------------------------


@pytest.mark.parametrize("persona", ["invigilator", "examiner"])
def test_site_staff_get_404_for_a_draft_plan_on_screen_and_api_and_do_not_list_it_ORG_4(
    request, client, persona, plan_draft, api
):
    actor = request.getfixturevalue(persona)
    client.force_login(actor.user)
    assert plan_draft.status == PlanStatus.DRAFT
    assert client.get(f"/plans/{plan_draft.pk}/").status_code == 404
    assert api(actor).get(f"/plans/{plan_draft.pk}").status_code == 404
    assert api(actor).get(f"/plans/{plan_draft.pk}/timeline").status_code == 404
    assert all(p["id"] != plan_draft.pk for p in api(actor).get("/plans").json()["items"])


def test_site_staff_see_the_plan_once_it_is_confirmed_ORG_4(client, open_plan, org_admin, invigilator, api):
    services.confirm_batch_plan(actor=org_admin, plan=open_plan)
    client.force_login(invigilator.user)
    assert client.get(f"/plans/{open_plan.pk}/").status_code == 200
    assert api(invigilator).get(f"/plans/{open_plan.pk}").status_code == 200
    assert [p["id"] for p in api(invigilator).get("/plans").json()["items"]] == [open_plan.pk]


def test_an_outsider_sees_nothing_of_org_a_on_screen_or_api_ORG_4(client, released_plan, outsider, api):
    client.force_login(outsider.user)
    assert client.get(f"/plans/{released_plan.pk}/").status_code == 404
    assert api(outsider).get(f"/plans/{released_plan.pk}").status_code == 404
    assert api(outsider).get("/plans").json()["items"] == []
    assert api(outsider).post(f"/plans/{released_plan.pk}/tickets/release").status_code == 404


# One walk from a draft to released tickets through the API ------------------------------------------------


def test_a_plan_walks_from_draft_to_released_tickets_through_the_api_refused_at_each_skipped_step(
    plan_draft, org_admin, org_a, site_a, centre_admin, district_officer, api
):
    org, centre, district = api(org_admin), api(centre_admin), api(district_officer)
    pk = plan_draft.pk

    def refused(path, rule_id, status=422):
        r = org.post(path)
        assert r.status_code == status, (path, r.status_code, r.json())
        if rule_id:
            assert rule_id in {v["rule_id"] for v in r.json().get("violations", [r.json()])}, (path, r.json())
        return r.json()

    refused(f"/plans/{pk}/confirm", None, status=409)  # not filed yet
    assert org.post(f"/plans/{pk}/submit").status_code == 200
    assert centre.post(f"/plans/{pk}/accept", {"opinion": "同意受理"}).status_code == 200
    refused(f"/plans/{pk}/confirm", "PLAN-10")
    assert district.post(f"/plans/{pk}/district-opinion", {"opinion": "同意"}).status_code == 200
    assert org.post(f"/plans/{pk}/confirm").status_code == 200

    f.approved_applications(plan=plan_draft, actor=org_admin, count=20)
    _stuff_site(org_admin, org_a, site_a)
    _publish_fees(org_admin, org_a)
    theory = plan_draft.sessions.get(subject="theory")
    body = refused(f"/sessions/{theory.pk}/seating", "REG-6")
    assert {v["rule_id"] for v in body["violations"]} == {"REG-6", "ARR-1"}
    refused(f"/plans/{pk}/entry/close", "REG-6")
    assert org.post(f"/plans/{pk}/candidates/confirm").status_code == 200
    assert org.post(f"/plans/{pk}/entry/close").status_code == 200
    refused(f"/sessions/{theory.pk}/seating", "ARR-1")
    refused(f"/plans/{pk}/staff-assignment", "ARR-1")
    refused(f"/plans/{pk}/tickets", "ARR-1")
    assert org.post(f"/plans/{pk}/rooms-and-staff/confirm").status_code == 200
    for s in plan_draft.sessions.all():
        assert org.post(f"/sessions/{s.pk}/seating", {"seed": "walk"}).status_code == 200
    assert org.post(f"/plans/{pk}/staff-assignment").status_code == 200
    refused(f"/plans/{pk}/arrangement/report", "ARR-2")  # no tickets yet
    refused(f"/plans/{pk}/tickets", "REG-5")  # nobody paid the published fee
    for n, app in enumerate(plan_draft.applications.order_by("pk"), start=1):
        _pay(app, org_admin, n)
    r = org.post(f"/plans/{pk}/tickets")
    assert r.status_code == 200 and r.json()["issued"] == 20
    refused(f"/plans/{pk}/tickets/release", "ARR-2")
    assert org.post(f"/plans/{pk}/arrangement/report").status_code == 200
    refused(f"/plans/{pk}/tickets/release", "REG-7")
    assert district.post(f"/plans/{pk}/spot-check", {"seed": "walk"}).status_code in (200, 201)
    r = org.post(f"/plans/{pk}/tickets/release")
    assert r.status_code == 200 and r.json()["step"] == "tickets_released"
    done = set(plan_draft.milestones.values_list("key", flat=True))
    assert done == {
        Milestone.FILED,
        Milestone.CONFIRMED,
        Milestone.CANDIDATES_CONFIRMED,
        Milestone.ENTRY_CLOSED,
        Milestone.ROOMS_IMPORTED,
        Milestone.ARRANGED,
        Milestone.ARRANGEMENT_REPORTED,
        Milestone.SPOT_CHECK_DRAWN,
        Milestone.TICKETS_RELEASED,
    }


def test_another_partys_action_on_a_screen_answers_the_403_page_not_a_form_error(client, open_plan, org_admin):
    """An organisation trying the centre's acceptance gets the 403 page with the reason, on every screen alike."""
    client.force_login(org_admin.user)
    r = client.post(
        f"/plans/{open_plan.pk}/lift-stop/", {"step": "entry_closed", "until": "2026-11-24", "reason": "我们自己解除"}
    )
    assert r.status_code == 403
    assert not StopLift.objects.exists()


def test_a_stopped_plan_shows_why_and_no_primary_action_PLAN_12(client, stopped, org_admin):
    client.force_login(org_admin.user)
    html = client.get(f"/plans/{stopped.pk}/").content.decode()
    assert 'id="stopped"' in html and "结束报名录入并提交" in html
    page = client.get(f"/plans/{stopped.pk}/arrangement/").content.decode()
    steps = page.split('<ol class="steps">')[1].split("</ol>")[0]
    assert "btn primary" not in steps and "btn ok" not in steps
