"""Named personas and a frozen clock (../shared/style.md). Every permission test creates data that could leak."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.policy import engine, workdays
from tests import factories as f
from tests.browser import browser, live_server  # noqa: F401 - the Chromium tests' fixtures, for every module

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday. T for the standard plan is 30 days later (2026-12-02, a Wednesday).
TODAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _fresh_rule_cache():
    engine.clear_cache()
    workdays.clear_cache()
    yield
    engine.clear_cache()
    workdays.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """The 机考 hot path keeps sealed papers and exam-day deadlines per process, by id; a rolled-back test hands
    the same ids out again, so each test starts with none."""
    from kaowu.cbt.services import answers

    answers.forget_cached()
    yield
    answers.forget_cached()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle and lockout counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a per-test folder, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"  # never the demo's var/ checkpoints
    # Tests create many users: a fast hasher, as Django's own test docs advise.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def frozen():
    """Freeze the clock at 09:00 Beijing time on TODAY; call frozen.move_to(date) to move."""
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI), tick=False) as traveller:
        yield traveller


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=SHANGHAI)


@pytest.fixture
def org_a(db):
    org = f.org(
        code="J110105001",
        full_name="北京市朝阳区成人按摩职业技能培训学校",
        short_name="成人按摩",
        district_name="朝阳区",
        serial="010001",
    )
    f.scope(org, "4-10-04-02", [5, 4, 3])
    f.scope(org, "6-31-01-03", [5, 4])
    return org


@pytest.fixture
def org_b(db):
    org = f.org(
        code="J110108002",
        full_name="北京海淀电力技能评价中心",
        short_name="海淀电力",
        district_name="海淀区",
        serial="010002",
    )
    f.scope(org, "6-31-01-03", [5, 4, 3, 2, 1])
    return org


@pytest.fixture
def site_a(org_a):
    return f.site(org_a, "朝阳考点", "朝阳区")


@pytest.fixture
def site_b(org_b):
    return f.site(org_b, "海淀考点", "海淀区")


@pytest.fixture
def centre_admin(db):
    return Actor.of(f.user("centre", Role.CENTRE_OFFICER, display_name="赵中心"))


@pytest.fixture
def district_officer(db):
    """Chaoyang: org A is registered there and holds its exams there."""
    return Actor.of(f.user("chaoyang", Role.DISTRICT_OFFICER, district=f.district("朝阳区"), display_name="钱朝阳"))


@pytest.fixture
def haidian_officer(db):
    return Actor.of(f.user("haidian", Role.DISTRICT_OFFICER, district=f.district("海淀区"), display_name="孙海淀"))


@pytest.fixture
def org_admin(org_a):
    return Actor.of(f.user("org_a_admin", Role.ORG_ADMIN, org=org_a, display_name="王立新"))


@pytest.fixture
def exam_affairs(org_a):
    return Actor.of(f.user("org_a_affairs", Role.EXAM_AFFAIRS, org=org_a, display_name="李敏"))


@pytest.fixture
def invigilator(org_a):
    return Actor.of(f.user("org_a_invigilator", Role.INVIGILATOR, org=org_a, display_name="周监考"))


@pytest.fixture
def org_b_admin(org_b):
    return Actor.of(f.user("org_b_admin", Role.ORG_ADMIN, org=org_b, display_name="吴海"))


@pytest.fixture
def plan_draft(frozen, org_admin, org_a, site_a):
    """Org A's draft plan: theory on T = TODAY + 30 days, skill the day after, 22 candidates."""
    return f.plan(actor=org_admin, org=org_a, site=site_a, first_date=TODAY + dt.timedelta(days=30))


@pytest.fixture
def plan_b(frozen, org_b_admin, org_b, site_b):
    return f.plan(
        actor=org_b_admin,
        org=org_b,
        site=site_b,
        first_date=TODAY + dt.timedelta(days=30),
        occupation_code="6-31-01-03",
        levels={5: 15, 4: 10},
    )


@pytest.fixture
def open_plan(plan_draft, org_admin, centre_admin):
    """Org A's plan, accepted by the centre: registration is open until T−10 (2026-11-22)."""
    return f.open_plan(plan=plan_draft, org_admin=org_admin, centre_admin=centre_admin)


@pytest.fixture
def candidate_actor(db):
    """A candidate who registered in the portal (张伟, born 1990-03-07)."""
    from kaowu.registration.candidates import register_candidate

    c = register_candidate(
        doc_type="id_card",
        doc_number="110105199003071239",
        name="张伟",
        phone="13800138000",
        password="kaowu-portal-2026",
    )
    return Actor.of(c.user)


@pytest.fixture
def examiner(org_a):
    """A 考评员 of org A: site staff, who sees confirmed plans only and no office screens."""
    return Actor.of(f.user("org_a_examiner", Role.EXAMINER, org=org_a, display_name="郑考评"))


@pytest.fixture
def outsider(db):
    """An organisation with no plan, site or candidate in common with anyone: sees nothing of others."""
    org = f.org(
        code="J110112009",
        full_name="北京通州外来职业技能评价中心",
        short_name="通州外来",
        district_name="通州区",
        serial="010009",
    )
    return Actor.of(f.user("outsider_admin", Role.ORG_ADMIN, org=org, display_name="冯外来"))


@pytest.fixture
def api():
    """api(actor).get(path) / .post(path, body): JSON calls to /api/v1 as a logged-in actor."""
    from tests.api import ApiClient

    return ApiClient.of


@pytest.fixture
def count_queries():
    """count_queries(client, url) -> the queries of a GET after one warm-up GET (tests.counting)."""
    from tests.counting import queries_of_get

    return queries_of_get


@pytest.fixture
def confirmed_plan(open_plan, org_admin):
    """Stage state: org A's plan confirmed in the system (PLAN-5), 20 approved candidates, list not confirmed."""
    from kaowu.plans import services

    services.confirm_batch_plan(actor=org_admin, plan=open_plan)
    f.approved_applications(plan=open_plan, actor=org_admin, count=20)
    return open_plan


@pytest.fixture
def arranged_plan(confirmed_plan, org_admin, org_a, site_a):
    """Stage state: the list confirmed and closed, rooms and staff confirmed, seated, staffed, tickets issued."""
    from kaowu.arrangement import rooms, seating, staffing, tickets

    f.close_list(plan=confirmed_plan, actor=org_admin)
    f.rooms(actor=org_admin, site=site_a, count=1)
    f.rooms(actor=org_admin, site=site_a, count=1, kind="workshop", start=2)
    f.facilities(actor=org_admin, site=site_a)
    f.staff_pool(actor=org_admin, org=org_a, invigilators=2, examiners=5)
    rooms.confirm_rooms_and_staff(actor=org_admin, plan=confirmed_plan)
    for session in confirmed_plan.sessions.all():
        seating.seat_session(actor=org_admin, session=session, seed="s")
    staffing.assign_staff(actor=org_admin, plan=confirmed_plan)
    tickets.issue_tickets(actor=org_admin, plan=confirmed_plan)
    return confirmed_plan


@pytest.fixture
def released_plan(arranged_plan, org_admin):
    """Stage state: arranged, reported, the district's spot check drawn, tickets released."""
    f.report_and_release(plan=arranged_plan, actor=org_admin)
    return arranged_plan
