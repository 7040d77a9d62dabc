"""Load the demo: the centre, districts, two organisations with scopes and sites, a user for every role,
plans in several states. Dates count from today, and each step is replayed through the service functions
on the day it would have happened, so the rules are checked and the audit trail is real."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from kaowu.catalog.models import Occupation
from kaowu.kernel import clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.parties import services as parties_services
from kaowu.parties.enums import SiteStatus
from kaowu.parties.models import District, EvaluationOrg, FiledScope, Site, User
from kaowu.plans import annual, services
from kaowu.plans.enums import NoticeKind

PASSWORD = "kaowu2026"
TZ = ZoneInfo("Asia/Shanghai")

ORG_A = dict(
    code="J110105001",
    full_name="北京市朝阳区成人按摩职业技能培训学校",
    short_name="成人按摩",
    district="朝阳区",
    serial="010001",
    head_name="王立新",
    business_head_name="刘春华",
    contact_name="李敏",
    contact_phone="010-65001234",
    address="北京市朝阳区朝阳路88号",
    filing_reference="京职技鉴备〔2025〕12号",
)
ORG_B = dict(
    code="J110108002",
    full_name="北京海淀电力技能评价中心",
    short_name="海淀电力",
    district="海淀区",
    serial="010002",
    head_name="陈志远",
    business_head_name="黄磊",
    contact_name="吴海",
    contact_phone="010-82001234",
    address="北京市海淀区学院路35号",
    filing_reference="京职技鉴备〔2025〕27号",
)

ORG_A_STAFF = [
    ("orga_admin", Role.ORG_ADMIN, "王立新"),
    ("orga_affairs", Role.EXAM_AFFAIRS, "李敏"),
    ("orga_quality", Role.QUALITY_SUPERVISOR, "孙质量"),
    ("orga_chief", Role.CHIEF_EXAMINER, "刘春华"),
    ("orga_deputy", Role.DEPUTY_EXAMINER, "马副考"),
    ("orga_invigilator", Role.INVIGILATOR, "周监考"),
    ("orga_roving", Role.ROVING_INVIGILATOR, "吴流动"),
    ("orga_examiner", Role.EXAMINER, "郑考评"),
    ("orga_expert", Role.EXPERT, "冯专家"),
    ("orga_marker", Role.MARKER, "陈阅卷"),
    ("orga_secret", Role.CONFIDENTIALITY_OFFICER, "褚保密"),
    ("orga_writer", Role.ITEM_WRITER, "孙命题"),
    ("orga_reviewer", Role.ITEM_REVIEWER, "钱审题"),
]


class Command(BaseCommand):
    help = "载入演示数据（已存在则跳过），并打印各角色登录账号。"

    def handle(self, *args, **options):
        if User.objects.filter(username="centre").exists():
            self.stdout.write("演示数据已存在，跳过载入。")
        else:
            with transaction.atomic():
                self._demo_calendar(clock.today())
                self._load(clock.today())
            self.stdout.write(self.style.SUCCESS("演示数据已载入。"))
        self._print_logins()

    def _demo_calendar(self, today: dt.date) -> None:
        """The demo's plans run up to three months ahead. A year the calendar package does not cover yet (the State
        Council's notice not entered, NAT-9) is entered for the demo only, labelled so, weekdays as working days;
        a real deployment enters the notice in the admin (「工作日调整」) and refuses to count until then."""
        from kaowu.policy import workdays
        from kaowu.policy.models import WorkdayYear

        for year in sorted({today.year, (today + dt.timedelta(days=120)).year}):
            if workdays.package_covers(year) or WorkdayYear.objects.filter(year=year).exists():
                continue
            WorkdayYear.objects.create(
                year=year,
                source=f"演示数据：{year}年国务院办公厅节假日通知尚未录入，演示中暂按周一至周五计算（正式使用前须录入）",
                complete=True,
            )
            workdays.clear_cache()
            self.stdout.write(self.style.WARNING(f"注意：{year}年节假日安排未录入，演示数据暂按周一至周五计算工作日。"))

    # ---- parties and people -------------------------------------------------------------------------

    def _user(self, username, role, name, *, org=None, district=None) -> Actor:
        user = User(username=username, role=role, display_name=name, org=org, district=district)
        user.password = self._password_hash()  # one slow hash for all demo accounts
        user.save()
        return Actor.of(user, ip="127.0.0.1")

    def _password_hash(self) -> str:
        if not hasattr(self, "_hash"):
            self._hash = make_password(PASSWORD)
        return self._hash

    def _org(self, data) -> EvaluationOrg:
        data = dict(data)
        district = District.objects.get(name=data.pop("district"))
        return EvaluationOrg.objects.create(district=district, **data)

    def _load(self, today: dt.date) -> None:
        def day(offset: int, hour: int = 9) -> dt.datetime:
            return dt.datetime.combine(today + dt.timedelta(days=offset), dt.time(hour), tzinfo=TZ)

        centre = self._user("centre", Role.CENTRE_OFFICER, "赵中心")
        user = centre.user
        user.is_staff = user.is_superuser = True  # the centre keeps the admin (rule profile, calendar)
        user.save(update_fields=["is_staff", "is_superuser"])
        for name, username in [("朝阳区", "chaoyang"), ("海淀区", "haidian"), ("通州区", "tongzhou")]:
            self._user(username, Role.DISTRICT_OFFICER, f"{name}鉴定所", district=District.objects.get(name=name))

        org_a, org_b = self._org(ORG_A), self._org(ORG_B)
        a = {role: self._user(u, role, n, org=org_a) for u, role, n in ORG_A_STAFF}
        b_admin = self._user("orgb_admin", Role.ORG_ADMIN, "陈志远", org=org_b)
        self._user("orgb_affairs", Role.EXAM_AFFAIRS, "吴海", org=org_b)

        massage = Occupation.objects.get(code="4-10-04-02")
        electrician = Occupation.objects.get(code="6-31-01-03")
        hr = Occupation.objects.get(code="4-07-03-02")
        with clock.pinned(day(-400)):
            for org, occ, levels in [
                (org_a, massage, [5, 4, 3]),
                (org_a, electrician, [5, 4]),
                (org_b, electrician, [5, 4, 3, 2, 1]),
                (org_b, hr, [4, 3, 2, 1]),
            ]:
                for level in levels:
                    parties_services.add_filed_scope(
                        actor=centre,
                        org=org,
                        occupation=occ,
                        level=level,
                        filed_on=today - dt.timedelta(days=400),
                        reference=org.filing_reference,
                    )
            site_a = self._filed_site(
                a[Role.ORG_ADMIN], centre, org_a, "朝阳考点", "北京市朝阳区朝阳路88号教学楼", "朝阳区"
            )
            site_a2 = self._filed_site(
                a[Role.ORG_ADMIN], centre, org_a, "朝阳实训基地", "北京市朝阳区东坝乡实训路6号", "朝阳区"
            )
            site_b = self._filed_site(b_admin, centre, org_b, "海淀考点", "北京市海淀区学院路35号实训楼", "海淀区")
        with clock.pinned(day(-3)):
            parties_services.request_site_filing(
                actor=a[Role.ORG_ADMIN],
                org=org_a,
                name="通州新考点",
                address="北京市通州区新华大街100号",
                district=District.objects.get(name="通州区"),
            )

        with clock.pinned(day(-60)):
            parties_services.publish_rulebook(
                actor=a[Role.ORG_ADMIN],
                org=org_a,
                kind="exam_affairs",
                title="成人按摩职业技能等级认定考务管理办法",
                body="依据京职技鉴发〔2022〕1号制定，规定报名、资格确认、考场、监考、阅卷、公示各环节。",
            )
            parties_services.publish_rulebook(
                actor=a[Role.ORG_ADMIN],
                org=org_a,
                kind="fees",
                title="收费管理办法",
                body="收费标准在本机构网站和收费场所公示；资格确认后收费并开具发票。",
            )
            parties_services.publish_fee_items(
                actor=a[Role.ORG_ADMIN],
                org=org_a,
                items=[
                    {"occupation": massage, "level": lv, "subject": subj, "amount_yuan": amt}
                    for lv, subj, amt in [
                        (5, "theory", 150),
                        (5, "skill", 300),
                        (4, "theory", 180),
                        (4, "skill", 360),
                        (3, "theory", 200),
                        (3, "skill", 420),
                    ]
                ],
            )

        plans = self._plans(day, a, b_admin, centre, org_a, org_b, site_a, site_a2, site_b, massage, electrician, hr)
        self._registration(day, plans, a)
        self._arrangement(day, plans["p1"], a, org_a)
        self._annual(day, today, a[Role.ORG_ADMIN], b_admin, centre, org_a, org_b, massage, electrician)
        self._item_bank(day, a, org_a)
        _token, key = parties_services.create_api_token(actor=a[Role.ORG_ADMIN], org=org_a, name="演示：对接机考系统")
        self.api_key = key

    def _registration(self, day, plans: dict, a: dict) -> None:
        """Candidates who registered in the portal, staff-entered applications, reviews, fees, the list
        confirmed and the district's spot check drawn, each on its day."""
        from decimal import Decimal

        from kaowu.registration import candidates, evidence, fees, spotcheck
        from kaowu.registration import services as reg
        from kaowu.registration.enums import CommitmentKind
        from kaowu.registration.idcard import check_character

        affairs, admin = a[Role.EXAM_AFFAIRS], a[Role.ORG_ADMIN]
        p1, p2 = plans["p1"], plans["p2"]
        with clock.pinned(day(-9)):
            zhang = candidates.register_candidate(
                doc_type="id_card",
                doc_number="110105199003071239",
                name="张伟",
                phone="13800138000",
                password=PASSWORD + "!",
                ip="127.0.0.1",
            )
            li = candidates.register_candidate(
                doc_type="id_card",
                doc_number="130102198809210023",
                name="李娜",
                phone="13900139000",
                password=PASSWORD + "!",
                ip="127.0.0.1",
            )
            for person in (zhang, li):
                person.user.password = self._password_hash()
                person.user.save(update_fields=["password"])
            me = Actor.of(zhang.user, ip="127.0.0.1")
            app = reg.create_application(
                actor=me,
                candidate=zhang,
                plan=p2,
                level=5,
                source="社会人员",
                employer="北京康泰养生有限公司",
                experience="2020年起从事足部按摩工作",
            )
            reg.submit_application(actor=me, application=app)
            she = Actor.of(li.user, ip="127.0.0.1")
            app2 = reg.create_application(
                actor=she,
                candidate=li,
                plan=p1,
                level=4,
                work_years=Decimal(6),
                source="社会人员",
                employer="北京悦康保健服务中心",
                experience="2019年至今在北京悦康保健服务中心从事保健按摩工作",
            )
            evidence.sign_commitment(
                actor=she,
                application=app2,
                kind=CommitmentKind.WORK,
                text_shown=evidence.commitment_text(app2, CommitmentKind.WORK),
            )
            reg.submit_application(actor=she, application=app2)
        with clock.pinned(day(-8, 10)):
            reg.approve_application(actor=admin, application=app2)
        # Staff enter 22 trainees for the confirmed plan and approve them (五级: aged 16 and over).
        surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋"
        given = ["建国", "秀英", "志强", "丽娟", "海涛", "春梅", "晓东", "玉兰", "立新", "桂芳", "国华"]
        approved = []
        with clock.pinned(day(-8)):
            for n in range(22):
                first17 = f"110105{1975 + n % 25}{(n % 12) + 1:02d}{(n % 27) + 1:02d}{100 + n:03d}"
                person = candidates.enter_candidate(
                    actor=affairs,
                    doc_type="id_card",
                    doc_number=first17 + check_character(first17),
                    name=surnames[n] + given[n % len(given)],
                    phone=f"1360000{n:04d}",
                )
                entered = reg.create_application(
                    actor=affairs,
                    candidate=person,
                    plan=p1,
                    level=5,
                    source="培训学员",
                    registering_unit=ORG_A["full_name"],
                )
                reg.submit_application(actor=affairs, application=entered)
                approved.append(reg.approve_application(actor=admin, application=entered))
        with clock.pinned(day(-7)):
            for n, paid in enumerate(approved[:15], start=1):
                fees.record_payment(
                    actor=affairs,
                    application=paid,
                    paid_on=day(-7).date(),
                    method="微信支付",
                    invoice_number=f"11002600{n:04d}",
                    invoice_date=day(-7).date(),
                    payer=paid.candidate.name,
                )
        with clock.pinned(day(-1)):
            reg.confirm_candidates(actor=admin, plan=p1)
        with clock.pinned(day(0, 8)):
            chaoyang = Actor.of(User.objects.get(username="chaoyang"), ip="127.0.0.1")
            spotcheck.draw_spot_check(actor=chaoyang, plan=p1, seed="chaoyang-demo-2026")

    def _arrangement(self, day, plan, a: dict, org) -> None:
        """Org A's confirmed plan: rooms and facilities, the staff registry (the demo's staff accounts among
        them), seating, staff assignment and released tickets."""
        from kaowu.arrangement import rooms, seating, staffing, tickets
        from kaowu.arrangement.enums import FacilityKind, StaffRole
        from kaowu.registration import fees
        from kaowu.registration import queries as registration_queries
        from kaowu.registration.idcard import check_character

        admin, affairs = a[Role.ORG_ADMIN], a[Role.EXAM_AFFAIRS]
        theory = plan.sessions.get(subject="theory")
        skill = plan.sessions.get(subject="skill")
        with clock.pinned(day(-2)):
            for n in (1, 2):
                rooms.save_room(
                    actor=affairs,
                    site=theory.site,
                    number=n,
                    rows=5,
                    columns=6,
                    building="教学楼",
                    floor="2",
                    location=f"20{n}",
                    door="front_left" if n == 1 else "front_right",
                )
            workshop = rooms.save_room(
                actor=affairs,
                site=skill.site,
                number=1,
                rows=4,
                columns=8,
                kind="workshop",
                building="实训楼",
                floor="1",
                location="101",
                note="保健按摩实操室",
            )
            for n in range(1, 25):  # one work station per candidate (ARR-13)
                rooms.add_station(actor=affairs, room=workshop, code=f"A{n:02d}", equipment="按摩床、治疗巾、消毒用品")
            for site in {theory.site, skill.site}:
                for k, kind in enumerate(FacilityKind, start=1):
                    rooms.set_facility(actor=affairs, site=site, kind=kind, location=f"{site.name}一层10{k}室")
            people = [
                ("王立新", [StaffRole.SITE_LEAD, StaffRole.CHIEF_EXAMINER], True, Role.ORG_ADMIN),
                ("马副考", [StaffRole.DEPUTY_EXAMINER], False, Role.DEPUTY_EXAMINER),
                ("褚保密", [StaffRole.CONFIDENTIALITY_OFFICER], False, Role.CONFIDENTIALITY_OFFICER),
                ("孙质量", [StaffRole.QUALITY_SUPERVISOR], False, Role.QUALITY_SUPERVISOR),
                ("吴流动", [StaffRole.ROVING_INVIGILATOR], False, Role.ROVING_INVIGILATOR),
                ("李敏", [StaffRole.EXAM_AFFAIRS], False, Role.EXAM_AFFAIRS),
                ("何考务", [StaffRole.EXAM_AFFAIRS], False, None),
                ("罗考务", [StaffRole.EXAM_AFFAIRS], False, None),
                ("周监考", [StaffRole.INVIGILATOR], False, Role.INVIGILATOR),
                ("梁监考", [StaffRole.INVIGILATOR], False, None),
                ("宋监考", [StaffRole.INVIGILATOR], False, None),
                ("郑考评", [StaffRole.EXAMINER], False, Role.EXAMINER),
                ("韩考评", [StaffRole.EXAMINER], False, None),
                ("唐考评", [StaffRole.EXAMINER], False, None),
                ("曹考评", [StaffRole.EXAMINER], False, None),
                ("许考评", [StaffRole.EXAMINER], False, None),
                ("邓考评", [StaffRole.EXAMINER], False, None),
                ("冯专家", [StaffRole.EXPERT], False, Role.EXPERT),
            ]
            users = {r: a[r].user for r in a}
            for n, (name, roles, head, role) in enumerate(people, start=1):
                first17 = f"11010519{70 + n % 20:02d}0{1 + n % 9}1{n % 10}{300 + n:03d}"
                staff = rooms.save_staff(
                    actor=admin,
                    org_id=org.pk,
                    name=name,
                    doc_number=first17 + check_character(first17),
                    roles=[str(r) for r in roles],
                    is_org_head=head,
                    employer=org.full_name,
                    credential_number=f"京评证{2024000 + n}",
                    phone=f"1391111{n:04d}",
                    credential_valid_from=dt.date(2024, 1, 1),
                    credential_valid_until=dt.date(2027, 12, 31),
                    training_note="2025年度考评人员培训合格",
                )
                if role is not None:
                    staff.user = users[role]
                    staff.save(update_fields=["user"])
            rooms.confirm_rooms_and_staff(actor=admin, plan=plan)
        with clock.pinned(day(-1, 14)):
            # The rest pay at the office before tickets are made (REG-5: a published fee standard applies).
            for n, unpaid in enumerate(registration_queries.unpaid_applications(plan), start=100):
                fees.record_payment(
                    actor=affairs,
                    application=unpaid,
                    paid_on=day(-1).date(),
                    method="现场刷卡",
                    invoice_number=f"11002600{n:04d}",
                    invoice_date=day(-1).date(),
                    payer=unpaid.candidate.name,
                )
        with clock.pinned(day(-1, 15)):
            seating.seat_session(actor=affairs, session=theory, seed="demo-theory")
            seating.seat_session(actor=affairs, session=skill, seed="demo-skill")
            staffing.assign_staff(actor=affairs, plan=plan)
            tickets.issue_tickets(actor=affairs, plan=plan)
            tickets.report_arrangement(actor=admin, plan=plan)
        with clock.pinned(day(0, 9)):  # after the district drew its spot check (REG-7)
            tickets.release_tickets(actor=admin, plan=plan)

    def _item_bank(self, day, a: dict, org) -> None:
        """The 电工 四级 blueprints (理论知识, 操作技能) of org A, each with its bank of demo_bank items (active),
        and one assembly of each (A and B)."""
        from kaowu.catalog.models import Standard
        from kaowu.items import bulk_bank, demo_bank, seed_data
        from kaowu.items.services import assembly, blueprints

        writer = a[Role.ITEM_WRITER]
        standard = Standard.objects.get(occupation__code="6-31-01-03")
        with clock.pinned(day(-30)):
            for subject, tree in seed_data.BLUEPRINTS.items():
                bp = blueprints.create_blueprint(
                    actor=writer, org_id=org.pk, standard=standard, level=4, subject=subject
                )
                blueprints.write_tree(actor=writer, blueprint=bp, rows=seed_data.point_rows(tree))
                bp = blueprints.activate_blueprint(actor=writer, blueprint=bp)
                bank = {"theory": demo_bank.THEORY, "skill": demo_bank.SKILL}[subject]
                bulk_bank.fill(bp, author=writer.user, texts=bank)
                # Two versions of each: the theory paper's 200 items, the skill paper's five tasks (one per 鉴定点).
                assembly.assemble(actor=writer, blueprint=bp, versions=2, seed="demo")

    def _filed_site(self, org_actor, centre, org, name, address, district) -> Site:
        return parties_services.file_site(
            actor=centre, org=org, name=name, address=address, district=District.objects.get(name=district)
        )

    # ---- batch plans in several states ----------------------------------------------------------------

    def _plan(self, actor, org, occ, levels, site, t: dt.date, *, review=False, work_type=None, skill_site=None):
        plan = services.create_batch_plan(
            actor=actor,
            org=org,
            occupation=occ,
            levels=levels,
            contact_name=org.contact_name,
            contact_phone=org.contact_phone,
            work_type=work_type,
            org_statement="考生来源为本机构培训学员及社会人员，资质已按申报条件逐一核对；考场、人员、试卷准备就绪，承诺依规组织实施。",
        )
        theory_method = "cbt" if org.short_name == "海淀电力" else "written"
        services.add_session(
            actor=actor,
            plan=plan,
            subject="theory",
            site=site,
            method=theory_method,
            date=t,
            start_time=dt.time(8, 30),
            end_time=dt.time(10, 0),
        )
        skill_method = "written" if occ.code == "4-07-03-02" else "practical"
        services.add_session(
            actor=actor,
            plan=plan,
            subject="skill",
            site=skill_site or site,
            method=skill_method,
            date=t + dt.timedelta(days=1),
            start_time=dt.time(9, 0),
            end_time=dt.time(12, 0),
        )
        if review:
            services.add_session(
                actor=actor,
                plan=plan,
                subject="review",
                site=site,
                method="defence",
                date=t + dt.timedelta(days=7),
                start_time=dt.time(9, 0),
                end_time=dt.time(11, 30),
            )
        return plan

    def _plans(self, day, a, b_admin, centre, org_a, org_b, site_a, site_a2, site_b, massage, electrician, hr):
        admin, affairs = a[Role.ORG_ADMIN], a[Role.EXAM_AFFAIRS]
        today = day(0).date()
        foot = massage.work_types.get(name="足部按摩师")
        # Confirmed, T in 16 days: filed 24 days ago, accepted, confirmed yesterday.
        with clock.pinned(day(-24)):
            p1 = self._plan(
                affairs, org_a, massage, {5: 18, 4: 12}, site_a, today + dt.timedelta(days=16), skill_site=site_a2
            )
            services.submit_batch_plan(actor=affairs, plan=p1)
        with clock.pinned(day(-22)):
            chaoyang = Actor.of(User.objects.get(username="chaoyang"))
            services.record_district_opinion(
                actor=chaoyang, plan=p1, opinion="经检查，考点条件符合要求，同意组织评价。"
            )
            services.accept_batch_plan(actor=centre, plan=p1, opinion="同意受理，请按时在系统中确认计划。")
        with clock.pinned(day(-1)):
            services.confirm_batch_plan(actor=admin, plan=p1)
        # Accepted, waiting for confirmation (T−15 is in 3 days).
        with clock.pinned(day(-5)):
            p2 = self._plan(affairs, org_a, massage, {5: 25}, site_a, today + dt.timedelta(days=18), work_type=foot)
            services.submit_batch_plan(actor=affairs, plan=p2)
        with clock.pinned(day(-2)):
            services.accept_batch_plan(actor=centre, plan=p2)
        # Submitted, in the centre's inbox.
        with clock.pinned(day(-1)):
            p3 = self._plan(affairs, org_a, electrician, {5: 16, 4: 8}, site_a, today + dt.timedelta(days=24))
            services.submit_batch_plan(actor=affairs, plan=p3)
        # Returned with a reason, to be fixed.
        with clock.pinned(day(-4)):
            p4 = self._plan(affairs, org_a, massage, {4: 14, 3: 9}, site_a, today + dt.timedelta(days=28))
            services.submit_batch_plan(actor=affairs, plan=p4)
        with clock.pinned(day(-2)):
            services.return_batch_plan(
                actor=centre, plan=p4, reason="评价机构情况说明未写明考生来源，请补充后重新报送。"
            )
        # Draft in progress, and a draft left too late: PLAN-5 overdue, the plan is stopped (PLAN-12).
        with clock.pinned(day(-1)):
            self._plan(admin, org_a, massage, {5: 22}, site_a, today + dt.timedelta(days=35))
        with clock.pinned(day(-15)):
            self._plan(admin, org_a, electrician, {5: 20}, site_a, today + dt.timedelta(days=12))
        # Org B: a confirmed technician plan with review, and a change request waiting for the centre.
        with clock.pinned(day(-26)):
            b1 = self._plan(
                b_admin, org_b, electrician, {3: 12, 2: 9}, site_b, today + dt.timedelta(days=20), review=True
            )
            services.submit_batch_plan(actor=b_admin, plan=b1)
        with clock.pinned(day(-25)):
            haidian = Actor.of(User.objects.get(username="haidian"))
            services.record_district_opinion(actor=haidian, plan=b1, opinion="考点条件符合要求，同意。")
            services.accept_batch_plan(actor=centre, plan=b1)
        with clock.pinned(day(-16)):
            services.confirm_batch_plan(actor=b_admin, plan=b1)
        with clock.pinned(day(0, 8)):
            review = b1.sessions.get(subject="review")
            services.request_change(
                actor=b_admin,
                session=review,
                new_date=review.date + dt.timedelta(days=1),
                new_start_time=review.start_time,
                new_end_time=review.end_time,
                new_site=site_b,
                reason="原定评审专家所在单位突发疫情封控，评审顺延一天。",
            )
            p_hr = self._plan(b_admin, org_b, hr, {4: 20, 3: 10}, site_b, today + dt.timedelta(days=45))
            services.submit_batch_plan(actor=b_admin, plan=p_hr)
        return {"p1": p1, "p2": p2}

    def _annual(self, day, today, a_admin, b_admin, centre, org_a, org_b, massage, electrician):
        year = today.year + 1
        with clock.pinned(day(-10)):
            plan = annual.save_annual_plan(
                actor=a_admin,
                org=org_a,
                year=year,
                note="全年计划四批，逐季开展。",
                lines=[
                    annual.Line(massage, 5, 4, 240, "3、6、9、11月"),
                    annual.Line(massage, 4, 2, 80, "5、10月"),
                    annual.Line(electrician, 5, 2, 60, "4、10月"),
                ],
            )
            annual.submit_annual_plan(actor=a_admin, plan=plan)
            annual.save_annual_plan(actor=b_admin, org=org_b, year=year, lines=[annual.Line(electrician, 3, 2, 60)])
            fields = dict(
                occupations="保健按摩师（4-10-04-02，含足部按摩师）、电工（6-31-01-03）",
                levels="五级/初级工、四级/中级工、三级/高级工",
                conditions="按《国家职业技能标准》申报条件执行，详见本机构网站。",
                methods="理论知识：闭卷笔试；操作技能：实际操作。",
                registration_period="每批首次认定日期前30天至前12天",
                exam_period=f"{year}年3月、6月、9月、11月",
                sites="朝阳考点（北京市朝阳区朝阳路88号）、朝阳实训基地（北京市朝阳区东坝乡实训路6号）",
                fees="五级：理论150元、技能300元；四级：理论180元、技能360元；三级：理论200元、技能420元。",
                procedure="网上报名→资格确认→缴费→打印准考证→参加认定→成绩公示→领取证书。",
                notes="考生须持准考证和有效身份证件参加认定。",
            )
            notice = annual.save_notice(
                actor=a_admin,
                org=org_a,
                kind=NoticeKind.ANNUAL,
                year=year,
                title=f"{org_a.short_name}{year}年度职业技能等级认定通知",
                **fields,
            )
            annual.submit_notice(actor=a_admin, notice=notice)
        with clock.pinned(day(-20)):
            q = annual.save_notice(
                actor=a_admin,
                org=org_a,
                kind=NoticeKind.QUARTERLY,
                year=today.year,
                quarter=(today.month - 1) // 3 + 1,
                title=f"{org_a.short_name}{today.year}年第{(today.month - 1) // 3 + 1}季度职业技能等级认定公告",
                **fields,
            )
            annual.publish_notice(actor=a_admin, notice=q)
        with clock.pinned(day(-300)):
            nb = annual.save_notice(
                actor=b_admin,
                org=org_b,
                kind=NoticeKind.ANNUAL,
                year=today.year,
                title=f"{org_b.short_name}{today.year}年度职业技能等级认定通知",
                occupations="电工（6-31-01-03）、企业人力资源管理师（4-07-03-02）",
                levels="五级至一级",
                fees="按公示标准收取",
            )
            annual.submit_notice(actor=b_admin, notice=nb)
            annual.publish_notice(actor=centre, notice=nb)

    def _print_logins(self) -> None:
        rows = [
            ("centre", "市鉴定管理中心工作人员（可进入 /admin/）"),
            ("chaoyang", "朝阳区鉴定管理机构"),
            ("haidian", "海淀区鉴定管理机构"),
            ("tongzhou", "通州区鉴定管理机构"),
        ]
        rows += [(u, f"成人按摩 · {Role(r).label}") for u, r, _ in ORG_A_STAFF]
        rows += [("orgb_admin", "海淀电力 · 评价机构管理员"), ("orgb_affairs", "海淀电力 · 考务人员")]
        rows += [
            ("13800138000", "考生 张伟（报名了足部按摩五级，待审核）"),
            ("13900139000", "考生 李娜（保健按摩四级，审核通过）"),
        ]
        self.stdout.write(f"\n演示账号（密码均为 {PASSWORD}）：")
        for username, label in rows:
            self.stdout.write(f"  {username:<18} {label}")
        key = getattr(self, "api_key", None)
        if key:
            self.stdout.write(f"\n成人按摩 API 令牌（仅显示一次）：{key}")
        self.stdout.write("")


__all__ = ["Command", "FiledScope", "SiteStatus"]
