"""Eligibility engine at scale: `evaluate_many` over 10,000 applications of one plan (REG-2, NAT-11, NAT-13).

Standalone: builds a fresh SQLite database under /tmp, an open 电工 plan (template A, levels 5 and 4) and
10,000 applications inserted with bulk_create, with a mix of work years, certificates, diplomas,
apprenticeships, commitments and evidence so that every kind of predicate is checked. Times
`evaluate_many(Application.objects.filter(plan=plan))` and counts its queries, then does the same for the
first 1,000 applications to show that the query count does not grow with n.

    python bench/eligibility_10k.py

Prints one line:
    eligibility_10k ours=<s>s ref=<queries 10k> queries vs <queries 1k> for 1k ratio=<ours/2.0> goal=...
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import sys
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(__file__))
from _benchenv import prepare

DB_LABEL, TMP = prepare("elig")  # DATABASE_URL's server (default SQLite), a fresh database of its own

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kaowu.catalog.models import Occupation
from kaowu.kernel import clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.parties.enums import SiteStatus
from kaowu.parties.models import District, EvaluationOrg, FiledScope, Site, User
from kaowu.plans import services as plans
from kaowu.registration.eligibility import evaluate_many
from kaowu.registration.enums import ApplicationStatus, CertificateFormat, QualificationKind
from kaowu.registration.idcard import check_character
from kaowu.registration.models import (
    Application,
    Candidate,
    ChsiCode,
    Commitment,
    Evidence,
    Qualification,
)

N = 10_000
SMALL = 1_000
GOAL_SECONDS = 2.0
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
FIRST_DATE = dt.date(2026, 12, 2)
OCCUPATION = "6-31-01-03"  # 电工, template A: 五级 work 1 year or apprenticeship; 四级 four ways


def _user(username: str, role: str, **kw) -> User:
    u = User(username=username, role=role, display_name=username, **kw)
    u.set_unusable_password()
    u.save()
    return u


def open_plan():
    """An organisation with 电工 五级/四级 in scope, a filed site, and a plan submitted and accepted."""
    district = District.objects.get(name="海淀区")
    org = EvaluationOrg.objects.create(
        code="J110108002",
        full_name="北京海淀电力技能评价中心",
        short_name="海淀电力",
        district=district,
        serial="010002",
        head_name="王立新",
        contact_name="李敏",
        contact_phone="010-65001234",
        address="北京市海淀区",
    )
    occupation = Occupation.objects.get(code=OCCUPATION)
    for level in (5, 4):
        FiledScope.objects.create(
            org=org,
            occupation=occupation,
            level=level,
            filed_on=dt.date(2025, 3, 1),
            reference="京职技鉴备〔2025〕12号",
        )
    site = Site.objects.create(
        org=org,
        name="海淀考点",
        address="北京市海淀区海淀考点路1号",
        district=district,
        status=SiteStatus.FILED,
        filed_on=dt.date(2025, 3, 1),
    )
    admin = Actor.of(_user("org_admin", Role.ORG_ADMIN, org=org))
    centre = Actor.of(_user("centre", Role.CENTRE_OFFICER))
    plan = plans.create_batch_plan(
        actor=admin,
        org=org,
        occupation=occupation,
        levels={5: 5000, 4: 5000},
        contact_name="李敏",
        contact_phone="13800001111",
        org_statement="考生来源为本机构培训学员，资质已逐一核对；考务准备就绪，承诺依规组织。",
    )
    for subject, method, date, start, end in (
        ("theory", "written", FIRST_DATE, dt.time(8, 30), dt.time(10, 0)),
        ("skill", "practical", FIRST_DATE + dt.timedelta(days=1), dt.time(9, 0), dt.time(11, 0)),
    ):
        plans.add_session(
            actor=admin,
            plan=plan,
            subject=subject,
            site=site,
            method=method,
            date=date,
            start_time=start,
            end_time=end,
        )
    plans.submit_batch_plan(actor=admin, plan=plan)
    plans.accept_batch_plan(actor=centre, plan=plan)
    plan.refresh_from_db()
    return plan, admin.user


def id_number(i: int) -> str:
    """A valid 居民身份证 number, unique per i: 1,000 sequence numbers per birth day."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=i // 1000 * 7)
    first17 = f"110105{birth:%Y%m%d}{i % 1000:03d}"
    return first17 + check_character(first17)


def applications(plan, staff: User) -> None:
    """N applications with a realistic spread of declared facts; bulk inserts, one transaction."""
    rng = random.Random(20261202)
    now = clock.now()
    with transaction.atomic():
        people = []
        for i in range(N):
            number = id_number(i)
            people.append(
                Candidate(
                    doc_number=number,
                    name=f"考生{i:05d}",
                    sex="M" if int(number[16]) % 2 else "F",
                    birth_date=dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                    phone=f"139{i:08d}",
                    created_at=now,
                )
            )
        Candidate.objects.bulk_create(people, batch_size=2000)
        apps = [
            Application(
                candidate=c,
                plan=plan,
                level=5 if i % 2 else 4,
                standard_id=plan.standard_id,
                status=ApplicationStatus.SUBMITTED,
                work_years=Decimal(rng.choice([0, 1, 2, 4, 5, 6, 8, 12])),
                created_at=now,
                submitted_at=now,
            )
            for i, c in enumerate(people)
        ]
        Application.objects.bulk_create(apps, batch_size=2000)

        quals, commitments, evidence, codes = [], [], [], []
        for i, app in enumerate(apps):
            profile = i % 6
            if profile in (0, 1):  # training declared as rows (work years are the application's one figure)
                quals.append(
                    Qualification(application=app, kind=QualificationKind.TRAINING, years=Decimal(rng.randint(1, 3)))
                )
            if profile in (1, 2):  # a 五级 certificate, some old enough for 四级 set (1)
                quals.append(
                    Qualification(
                        application=app,
                        kind=QualificationKind.CERTIFICATE,
                        occupation_code=OCCUPATION,
                        level=5,
                        number=f"S000011010001265{i:06d}",
                        number_format=CertificateFormat.NATIONAL_22,
                        obtained_on=dt.date(rng.choice([2018, 2020, 2023]), 6, 30),
                        verified_by=staff if i % 4 else None,
                        verified_at=now if i % 4 else None,
                    )
                )
            if profile == 3:  # a vocational diploma: 技工学校 or an evaluated 中职, some graduating this year
                quals.append(
                    Qualification(
                        application=app,
                        kind=QualificationKind.DIPLOMA,
                        diploma_type=rng.choice(["tech_school", "secondary_vocational", "junior_college"]),
                        evaluated=bool(i % 2),
                        graduating=i % 5 == 0,
                        specialty="电气自动化技术",
                    )
                )
                if i % 3 == 0:
                    codes.append(
                        ChsiCode(
                            application=app,
                            code=f"A1B2C3D4{i:08d}",
                            expires_on=dt.date(2027, 4, 1),
                            content_ok=True,
                            checked_by=staff,
                            checked_at=now,
                        )
                    )
            if profile == 4:  # apprenticeship, with the official document for most
                quals.append(Qualification(application=app, kind=QualificationKind.APPRENTICESHIP))
                if i % 3:
                    evidence.append(_evidence(app, "official_document", staff, now, i))
            if i % 3 == 0:
                text = f"本人{app.candidate.name}郑重承诺：本人累计从事本职业工作{app.work_years}年。"
                commitments.append(
                    Commitment(
                        application=app,
                        kind="work",
                        text=text,
                        text_sha256=hashlib.sha256(text.encode()).hexdigest(),
                        signed_by=staff,
                        signed_at=now,
                        signed_ip="203.0.113.7",
                    )
                )
            if i % 5 == 0:
                evidence.append(_evidence(app, "social_insurance", staff, now, i))
            evidence.append(_evidence(app, "id_copy", staff, now, i))
        Qualification.objects.bulk_create(quals, batch_size=2000)
        Commitment.objects.bulk_create(commitments, batch_size=2000)
        Evidence.objects.bulk_create(evidence, batch_size=2000)
        ChsiCode.objects.bulk_create(codes, batch_size=2000)


def _evidence(app, kind: str, staff: User, now, i: int) -> Evidence:
    digest = hashlib.sha256(f"{kind}{i}".encode()).hexdigest()
    return Evidence(
        application=app,
        kind=kind,
        file=f"evidence/2026/11/{i}-{digest[:16]}.pdf",
        original_name=f"{kind}.pdf",
        content_type="pdf",
        size=2048,
        sha256=digest,
        uploaded_by=staff,
        uploaded_at=now,
    )


def timed(queryset) -> tuple[float, int, list]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        results = evaluate_many(queryset)
        seconds = time.perf_counter() - start
    return seconds, len(queries), results


def main() -> None:
    call_command("migrate", verbosity=0)
    with clock.pinned(TODAY):
        plan, staff = open_plan()
        applications(plan, staff)
        everyone = Application.objects.filter(plan=plan)
        first_1k = Application.objects.filter(
            plan=plan, pk__in=list(everyone.order_by("pk").values_list("pk", flat=True)[:SMALL])
        )
        timed(first_1k)  # warm up: imports, the rule catalogue, SQLite's page cache
        _, small_queries, small_results = timed(first_1k)
        seconds, queries, results = timed(everyone)
    assert len(results) == N and len(small_results) == SMALL
    eligible = sum(r.eligible for r in results)
    assert 0 < eligible < N, f"the mix should give both outcomes, got {eligible} eligible of {N}"
    print(
        # No reference: nothing else does this judgement (one SQL query for the same rules was not written), so
        # no ratio either; the query counts at 10k and 1k show it does not grow with n.
        f"eligibility_10k db={DB_LABEL} ours={seconds:.3f}s ref=none ratio=n/a queries_10k={queries} "
        f"queries_1k={small_queries} goal=<={GOAL_SECONDS:g}s with a query count independent of n"
    )


if __name__ == "__main__":
    main()
