"""Item-bank personas of org A and a blueprint with a bank, built for the tests."""

from __future__ import annotations

import pytest

from kaowu.catalog.models import Standard
from kaowu.items import bulk_bank as bank_builder
from kaowu.items import seed_data
from kaowu.items.services import blueprints
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from tests import factories as f


@pytest.fixture
def writer(org_a):
    return Actor.of(f.user("org_a_writer", Role.ITEM_WRITER, org=org_a, display_name="孙命题"))


@pytest.fixture
def reviewer(org_a):
    return Actor.of(f.user("org_a_reviewer", Role.ITEM_REVIEWER, org=org_a, display_name="钱审题"))


@pytest.fixture
def secret(org_a):
    return Actor.of(f.user("org_a_secret", Role.CONFIDENTIALITY_OFFICER, org=org_a, display_name="褚保密"))


@pytest.fixture
def chief(org_a):
    return Actor.of(f.user("org_a_chief", Role.CHIEF_EXAMINER, org=org_a, display_name="韩主考"))


@pytest.fixture
def org_b_writer(org_b):
    return Actor.of(f.user("org_b_writer", Role.ITEM_WRITER, org=org_b, display_name="杨命题"))


@pytest.fixture
def electrician(db):
    return Standard.objects.get(occupation__code="6-31-01-03")


@pytest.fixture
def blueprint(writer, org_a, electrician):
    """电工 四级 理论知识, the seeded tree, active, with no items yet."""
    bp = blueprints.create_blueprint(actor=writer, org_id=org_a.pk, standard=electrician, level=4, subject="theory")
    blueprints.write_tree(actor=writer, blueprint=bp, rows=seed_data.point_rows(seed_data.THEORY_4))
    return blueprints.activate_blueprint(actor=writer, blueprint=bp)


@pytest.fixture
def banked(blueprint, writer):
    """The blueprint with a bank of about 1,000 active items spread over its points by weight."""
    bank_builder.fill(blueprint, author=writer.user, per_weight_point=10)
    return blueprint


@pytest.fixture
def electrician_plan(frozen, org_admin, org_a, site_a, centre_admin):
    """Org A's 电工 四级 plan, accepted but not yet confirmed in the system: theory 08:30–10:00 on T."""
    import datetime as dt

    from conftest import TODAY

    p = f.plan(
        actor=org_admin,
        org=org_a,
        site=site_a,
        first_date=TODAY + dt.timedelta(days=30),
        occupation_code="6-31-01-03",
        levels={4: 22},
    )
    return f.open_plan(plan=p, org_admin=org_admin, centre_admin=centre_admin)


@pytest.fixture
def confirmed_electrician_plan(electrician_plan, org_admin):
    from kaowu.plans import services

    services.confirm_batch_plan(actor=org_admin, plan=electrician_plan)
    return electrician_plan


@pytest.fixture
def theory_session(confirmed_electrician_plan):
    return confirmed_electrician_plan.sessions.get(subject="theory")


@pytest.fixture
def paper(banked, writer, theory_session):
    """Version A of a two-version assembly for the theory session (assembled, not sealed)."""
    from kaowu.items.services import assembly

    a = assembly.assemble(actor=writer, blueprint=banked, versions=2, seed="p", session=theory_session)
    return a.papers.get(version="A")


def make_task(*, writer, reviewer, blueprint, point, n: int, minutes: int = 30):
    """One active 操作技能 task of `point`, through the services (written, reviewed, activated)."""
    from kaowu.items.services import items as item_services

    content = item_services.Content(
        stem=f"{point.name}：操作试题{n}。按给定图纸完成安装与调试，通电试运行一次成功。",
        scoring=[
            {"step": "元件选择与布置", "points": 30},
            {"step": "接线工艺", "points": 40},
            {"step": "通电试验", "points": 30},
        ],
        time_limit_minutes=minutes,
        equipment="电工工具一套、万用表、兆欧表、网孔板",
    )
    item = item_services.create_item(
        actor=writer, blueprint=blueprint, point=point, kind="task", content=content, difficulty=1 + n % 5
    )
    item_services.transition(actor=reviewer, item=item, to="reviewed")
    return item_services.transition(actor=reviewer, item=item, to="active")


@pytest.fixture
def skill_blueprint(writer, org_a, electrician):
    """电工 四级 操作技能, the seeded tree (five 鉴定点 worth 20/15/20/25/20), active, no tasks yet."""
    bp = blueprints.create_blueprint(actor=writer, org_id=org_a.pk, standard=electrician, level=4, subject="skill")
    blueprints.write_tree(actor=writer, blueprint=bp, rows=seed_data.point_rows(seed_data.SKILL_4))
    return blueprints.activate_blueprint(actor=writer, blueprint=bp)


@pytest.fixture
def skill_banked(skill_blueprint, writer, reviewer):
    """Four active tasks of 30 minutes per 鉴定点 (NAT-14's minimum): twenty in all."""
    from kaowu.items.queries import points_of

    for point in points_of(skill_blueprint).order_by("ordinal"):
        for n in range(4):
            make_task(writer=writer, reviewer=reviewer, blueprint=skill_blueprint, point=point, n=n)
    return skill_blueprint


@pytest.fixture
def seated_assembly(arranged_plan, writer, org_a):
    """Two versions for the arranged plan's written theory session (20 candidates seated in one room)."""
    from kaowu.items.services import assembly

    standard = Standard.objects.get(pk=arranged_plan.standard_id)
    bp = blueprints.create_blueprint(actor=writer, org_id=org_a.pk, standard=standard, level=5, subject="theory")
    blueprints.write_tree(actor=writer, blueprint=bp, rows=seed_data.point_rows(seed_data.THEORY_4))
    bp = blueprints.activate_blueprint(actor=writer, blueprint=bp)
    bank_builder.fill(bp, author=writer.user, per_weight_point=10)
    session = arranged_plan.sessions.get(subject="theory")
    return assembly.assemble(actor=writer, blueprint=bp, versions=2, seed="pack", session=session)
