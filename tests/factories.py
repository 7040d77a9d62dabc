"""Plain factories for tests and the demo: real rows, made through service functions where one exists."""

from __future__ import annotations

import datetime as dt

from kaowu.catalog.models import Occupation
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.parties.enums import SiteStatus
from kaowu.parties.models import District, EvaluationOrg, FiledScope, Site, User
from kaowu.plans import services
from kaowu.plans.models import BatchPlan


def district(name: str) -> District:
    return District.objects.get(name=name)


def org(*, code: str, full_name: str, short_name: str, district_name: str, serial: str) -> EvaluationOrg:
    return EvaluationOrg.objects.create(
        code=code,
        full_name=full_name,
        short_name=short_name,
        district=district(district_name),
        serial=serial,
        head_name="王立新",
        contact_name="李敏",
        contact_phone="010-65001234",
        address=f"北京市{district_name}",
    )


def user(
    username: str,
    role: str,
    *,
    org: EvaluationOrg | None = None,
    district: District | None = None,
    display_name: str = "",
) -> User:
    u = User(username=username, role=role, org=org, district=district, display_name=display_name or username)
    u.set_password("kaowu-demo-2026")
    u.save()
    return u


def scope(org: EvaluationOrg, occupation_code: str, levels: list[int]) -> None:
    occ = Occupation.objects.get(code=occupation_code)
    for level in levels:
        FiledScope.objects.create(
            org=org, occupation=occ, level=level, filed_on=dt.date(2025, 3, 1), reference="京职技鉴备〔2025〕12号"
        )


def site(org: EvaluationOrg, name: str, district_name: str, *, status: str = SiteStatus.FILED) -> Site:
    return Site.objects.create(
        org=org,
        name=name,
        address=f"北京市{district_name}{name}路1号",
        district=district(district_name),
        status=status,
        filed_on=dt.date(2025, 3, 1) if status == SiteStatus.FILED else None,
    )


def plan(
    *,
    actor: Actor,
    org: EvaluationOrg,
    site: Site,
    first_date: dt.date,
    occupation_code: str = "4-10-04-02",
    levels: dict[int, int] | None = None,
    skill_gap_days: int = 1,
) -> BatchPlan:
    """A draft plan with a theory session on `first_date` and a skill session `skill_gap_days` later."""
    occ = Occupation.objects.get(code=occupation_code)
    p = services.create_batch_plan(
        actor=actor,
        org=org,
        occupation=occ,
        levels=levels or {5: 12, 4: 10},
        contact_name="李敏",
        contact_phone="13800001111",
        org_statement="考生来源为本机构培训学员，资质已逐一核对；考务准备就绪，承诺依规组织。",
    )
    services.add_session(
        actor=actor,
        plan=p,
        subject="theory",
        site=site,
        method="written",
        date=first_date,
        start_time=dt.time(8, 30),
        end_time=dt.time(10, 0),
    )
    services.add_session(
        actor=actor,
        plan=p,
        subject="skill",
        site=site,
        method="practical",
        date=first_date + dt.timedelta(days=skill_gap_days),
        start_time=dt.time(9, 0),
        end_time=dt.time(11, 0),
    )
    p.refresh_from_db()
    return p


ROLES_FOR_DEMO = [r for r in Role]


def id_number(n: int, *, region: str = "110105", birth: str = "19900101") -> str:
    """A valid 居民身份证 number for test person `n` (sequence n, check character computed)."""
    from kaowu.registration.idcard import check_character

    first17 = f"{region}{birth}{n % 1000:03d}"
    return first17 + check_character(first17)


def candidate(n: int, *, name: str = "", birth: str = "19900101"):
    from kaowu.kernel import clock
    from kaowu.registration.idcard import check
    from kaowu.registration.models import Candidate

    number = id_number(n, birth=birth)
    facts = check(number)
    return Candidate.objects.create(
        doc_number=number,
        name=name or f"考生{n:03d}",
        sex=facts.sex,
        birth_date=facts.birth_date,
        phone=f"139{n:08d}",
        created_at=clock.now(),
    )


def district_officer_of(site_district: District) -> Actor:
    """An officer of a district (made once per district)."""
    u = User.objects.filter(role=Role.DISTRICT_OFFICER, district=site_district).first()
    if u is None:
        u = user(f"district_{site_district.pk}", Role.DISTRICT_OFFICER, district=site_district, display_name="区鉴定")
    return Actor.of(u)


def district_opinion(plan) -> None:
    """The site districts write their opinion on the filing form (PLAN-10), as they do before confirmation."""
    for d in {s.site.district for s in plan.sessions.select_related("site__district")}:
        services.record_district_opinion(actor=district_officer_of(d), plan=plan, opinion="同意。")


def open_plan(*, plan, org_admin, centre_admin, opinion: bool = True):
    """Submit and accept a draft plan (with the district's opinion): registration is open (until T−10)."""
    services.submit_batch_plan(actor=org_admin, plan=plan)
    if opinion:
        district_opinion(plan)
    services.accept_batch_plan(actor=centre_admin, plan=plan)
    plan.refresh_from_db()
    return plan


# Stage states: each made through the services, so a gate that is skipped here is skipped nowhere.


def confirm_candidates(*, plan, actor):
    """Confirm the candidate list (REG-6); the plan must be confirmed and hold enough approved candidates."""
    from kaowu.registration import services as reg

    return reg.confirm_candidates(actor=actor, plan=plan)


def close_list(*, plan, actor):
    """Confirm the candidate list and close entry (REG-6: T−12 and T−10), so the plan is not stopped later."""
    from kaowu.registration import services as reg

    reg.confirm_candidates(actor=actor, plan=plan)
    return reg.close_entry(actor=actor, plan=plan)


def spot_check_drawn(*, plan, seed: str = "seed"):
    """The district of the organisation draws its spot check (REG-7)."""
    from kaowu.registration.spotcheck import draw_spot_check

    return draw_spot_check(actor=district_officer_of(plan.org.district), plan=plan, seed=seed)


def approved_applications(*, plan, actor, count: int, level: int = 5, start: int = 1):
    """`count` applications at a level whose only condition is age (保健按摩师 五级, template B), approved."""
    from kaowu.registration import services as reg

    apps = []
    for n in range(start, start + count):
        app = reg.create_application(actor=actor, candidate=candidate(n), plan=plan, level=level)
        reg.submit_application(actor=actor, application=app)
        apps.append(reg.approve_application(actor=actor, application=app))
    return apps


def rooms(*, actor, site, count: int, rows: int = 5, columns: int = 6, kind: str = "classroom", start: int = 1):
    from kaowu.arrangement.rooms import save_room

    return [
        save_room(
            actor=actor,
            site=site,
            number=n,
            rows=rows,
            columns=columns,
            kind=kind,
            building="教学楼",
            floor=str(1 + (n - 1) // 10),
            location=f"{100 + n}",
        )
        for n in range(start, start + count)
    ]


def facilities(*, actor, site):
    from kaowu.arrangement.enums import FacilityKind
    from kaowu.arrangement.rooms import set_facility

    for n, kind in enumerate(FacilityKind, start=1):
        set_facility(actor=actor, site=site, kind=kind, location=f"教学楼1层{n:02d}室")


def staff_pool(*, actor, org, invigilators=4, examiners=3, experts=0, valid_until=None, start=1):
    """A pool big enough for one site with one theory room and one skill room, plus site roles."""
    import datetime as dt

    from kaowu.arrangement.enums import StaffRole as R
    from kaowu.arrangement.rooms import save_staff

    until = valid_until or dt.date(2027, 12, 31)
    people = [
        ("王主任", [R.SITE_LEAD, R.CHIEF_EXAMINER], True),
        ("刘副考", [R.DEPUTY_EXAMINER], False),
        ("褚保密", [R.CONFIDENTIALITY_OFFICER], False),
        ("孙督导", [R.QUALITY_SUPERVISOR], False),
        ("吴流动", [R.ROVING_INVIGILATOR], False),
    ]
    people += [(f"考务{n}", [R.EXAM_AFFAIRS], False) for n in range(1, 4)]
    people += [(f"监考{n}", [R.INVIGILATOR], False) for n in range(1, invigilators + 1)]
    people += [(f"考评{n}", [R.EXAMINER], False) for n in range(1, examiners + 1)]
    people += [(f"专家{n}", [R.EXPERT], False) for n in range(1, experts + 1)]
    made = []
    for n, (name, roles, head) in enumerate(people, start=start):
        made.append(
            save_staff(
                actor=actor,
                org_id=org.pk,
                name=name,
                doc_number=id_number(500 + n, birth="19750101"),
                roles=[str(r) for r in roles],
                is_org_head=head,
                employer=org.full_name,
                credential_number=f"ZK{n:05d}",
                credential_valid_from=dt.date(2024, 1, 1),
                credential_valid_until=until,
            )
        )
    return made


def given_steps(plan, *keys, actor=None):
    """Record spine steps as done for a unit test of one later stage (seating with 3 candidates, say), where
    doing them through their services would need what the test is not about (20 candidates for REG-6).
    Walk-through tests use the services; this only writes through the milestone module."""
    from kaowu.kernel.actors import SYSTEM
    from kaowu.plans import milestones

    for key in keys:
        milestones.mark(plan, key, actor or SYSTEM)


def ready_to_seat(plan, actor=None):
    """Rooms and staff confirmed (ARR-1) and the candidate list confirmed (REG-6): seating may start."""
    from kaowu.plans.enums import Milestone

    given_steps(plan, Milestone.ROOMS_IMPORTED, Milestone.CANDIDATES_CONFIRMED, actor=actor)


def report_and_release(*, plan, actor):
    """Report the arrangement, have the district draw its spot check, release the tickets (ARR-2, REG-7)."""
    from kaowu.arrangement import tickets
    from kaowu.plans.enums import Milestone
    from kaowu.plans.milestones import is_done

    tickets.report_arrangement(actor=actor, plan=plan)
    if not is_done(plan, Milestone.SPOT_CHECK_DRAWN):
        spot_check_drawn(plan=plan)
    return tickets.release_tickets(actor=actor, plan=plan)
