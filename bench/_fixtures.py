"""Rows the door and 机考 benches share, written in bulk (the benches are about the door and the exam, not about
filing a plan): an organisation with its admin, a filed site and a confirmed 保健按摩师 plan; N approved
applications of distinct candidates. Not a bench itself (`make bench` skips files starting with `_`)."""

from __future__ import annotations

import datetime as dt


def confirmed_plan(*, code: str, full_name: str, short_name: str, serial: str, plan_name: str, headcount: int, now):
    """(org, admin user, site, plan, standard) — the plan confirmed, one level (五级) of `headcount`."""
    from kaowu.catalog.models import Occupation, Standard
    from kaowu.kernel.enums import Role
    from kaowu.parties.enums import SiteStatus
    from kaowu.parties.models import District, EvaluationOrg, Site, User
    from kaowu.plans.enums import PlanStatus
    from kaowu.plans.models import BatchPlan, PlanLevel

    district = District.objects.get(name="朝阳区")
    org = EvaluationOrg.objects.create(
        code=code, full_name=full_name, short_name=short_name, district=district, serial=serial
    )
    admin = User.objects.create(username="bench", role=Role.ORG_ADMIN, org=org, display_name="基准管理员")
    site = Site.objects.create(
        org=org, name="基准考点", address="北京市朝阳区", district=district, status=SiteStatus.FILED
    )
    occupation = Occupation.objects.get(code="4-10-04-02")
    standard = Standard.objects.get(occupation=occupation, kind="national")
    plan = BatchPlan.objects.create(
        org=org,
        occupation=occupation,
        standard=standard,
        batch_no=1,
        name=plan_name,
        first_date=now.date(),
        status=PlanStatus.CONFIRMED,
        contact_name="x",
        contact_phone="x",
        created_by=admin,
        created_at=now,
    )
    PlanLevel.objects.create(plan=plan, level=5, headcount=headcount)
    return org, admin, site, plan, standard


def approved_applications(*, plan, standard, count: int, now) -> list:
    """`count` candidates with valid ID numbers, each with an approved 五级 application of the plan, by pk."""
    from kaowu.registration.idcard import check_character
    from kaowu.registration.models import Application, Candidate

    people = []
    for n in range(count):
        first17 = f"110105{1970 + n % 30}{n % 12 + 1:02d}{n % 28 + 1:02d}{n % 1000:03d}"
        people.append(
            Candidate(
                doc_number=f"{first17}{check_character(first17)}",
                name=f"考生{n}",
                sex="M",
                birth_date=dt.date(1990, 1, 1),
                created_at=now,
            )
        )
    Candidate.objects.bulk_create(people, batch_size=1000)
    people = list(Candidate.objects.order_by("pk"))
    Application.objects.bulk_create(
        [
            Application(candidate=c, plan=plan, level=5, standard=standard, status="approved", created_at=now)
            for c in people
        ],
        batch_size=1000,
    )
    return list(Application.objects.filter(plan=plan).select_related("candidate").order_by("pk"))
