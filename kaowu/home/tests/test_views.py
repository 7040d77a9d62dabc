"""The shell of the screens: landing page, login, each persona's home, filed scope and site add-on filing."""

import pytest

from kaowu.parties.enums import SiteStatus
from kaowu.parties.models import Site
from kaowu.plans import annual, services
from kaowu.plans.enums import NoticeKind
from tests import factories as f


def login(client, actor):
    client.force_login(actor.user)
    return client


def test_anonymous_home_is_a_chinese_landing_page(client, db):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "职业技能等级认定考务管理系统" in html
    assert "/public/notices/" in html
    assert "/login/" in html
    assert (
        "考生注册报名" in html and "/portal/register/" in html
    )  # a candidate finds the sign-up beside the staff login
    assert "成绩" not in html and "证书" not in html.split("features")[0]  # promises only what works today


@pytest.mark.parametrize(
    "url",
    [
        "/plans/",
        "/plans/new/",
        "/plans/1/",
        "/plans/1/timeline/",
        "/plans/1/filing-form.pdf",
        "/inbox/",
        "/district/plans/",
        "/annual-plans/",
        "/notices/",
        "/scope/",
    ],
)
def test_anonymous_users_are_sent_to_login_on_private_pages(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_login_form_is_in_chinese_and_says_what_is_wrong(client, org_admin):
    page = client.get("/login/").content.decode()
    assert "用户名" in page and "密码" in page
    wrong = client.post("/login/", {"username": "org_a_admin", "password": "wrong"}).content.decode()
    assert "用户名或密码不正确" in wrong
    right = client.post("/login/", {"username": "org_a_admin", "password": "kaowu-demo-2026"})
    assert right.status_code == 302
    assert right["Location"] == "/"


def test_logout_is_a_post_and_returns_to_the_landing_page(client, org_admin):
    login(client, org_admin)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert "登录" in client.get("/").content.decode()


def test_top_bar_shows_name_role_and_party(client, org_admin):
    html = login(client, org_admin).get("/").content.decode()
    assert "王立新" in html
    assert "评价机构管理员" in html
    assert "成人按摩" in html


def test_centre_home_shows_the_inbox(client, centre_admin, plan_draft, org_admin, org_b):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    f.site(org_b, "海淀新考点", "海淀区", status=SiteStatus.PENDING)
    html = login(client, centre_admin).get("/").content.decode()
    assert "市鉴定管理中心工作台" in html
    assert plan_draft.name in html
    assert "待审核的增项备案" in html


def test_district_home_shows_its_district_plans_only_ORG_4(
    client, district_officer, org_admin, org_b_admin, plan_draft, plan_b
):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    services.submit_batch_plan(actor=org_b_admin, plan=plan_b)
    response = login(client, district_officer).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert plan_draft.name in html
    assert "填写考点所在区意见" in html  # its own work
    assert "海淀电力" not in html


def test_district_home_leaves_out_drafts(client, district_officer, plan_draft):
    assert plan_draft.name not in login(client, district_officer).get("/").content.decode()


def test_org_admin_home_shows_its_plans_with_next_deadline_ORG_4(client, org_admin, plan_draft, plan_b):
    response = login(client, org_admin).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert plan_draft.name in html
    assert "报送认定计划备案表" in html  # the next step of a draft plan
    assert "新建认定计划" in html
    assert "海淀电力" not in html


def test_org_home_shows_compliance_flags(client, org_admin, org_a, frozen):
    from kaowu.policy.models import ComplianceFlag

    notice = annual.save_notice(
        actor=org_admin, org=org_a, kind=NoticeKind.QUARTERLY, year=2026, quarter=4, title="四季度公告"
    )
    annual.publish_notice(actor=org_admin, notice=notice)  # fields missing: PLAN-3 warns
    assert ComplianceFlag.objects.filter(rule_id="PLAN-3").exists()
    html = login(client, org_admin).get("/").content.decode()
    assert "PLAN-3" in html


def test_invigilator_home_lists_confirmed_plans_only(client, invigilator, plan_draft):
    response = login(client, invigilator).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "周监考" in html
    assert "我的考务任务" in html and "目前没有安排给您的考务任务" in html
    assert plan_draft.name not in html  # a draft is not staff business


def test_scope_page_shows_own_scope_and_sites_only_ORG_4(client, org_admin, site_a, site_b):
    html = login(client, org_admin).get("/scope/").content.decode()
    assert "保健按摩师" in html
    assert "朝阳考点" in html
    assert "海淀考点" not in html
    assert "申请增项备案" in html


def test_site_add_on_filing_is_requested_through_the_form_ORG_2(client, org_admin, org_a):
    from kaowu.parties.models import District

    login(client, org_admin)
    response = client.post(
        "/scope/sites/new/",
        {"name": "望京考点", "address": "北京市朝阳区望京街1号", "district": District.objects.get(name="朝阳区").pk},
    )
    assert response.status_code == 302
    site = Site.objects.get(org=org_a, name="望京考点")
    assert site.status == SiteStatus.PENDING


def test_site_filing_with_a_taken_name_keeps_input_and_says_why(client, org_admin, site_a):
    from kaowu.parties.models import District

    login(client, org_admin)
    response = client.post(
        "/scope/sites/new/",
        {"name": "朝阳考点", "address": "新地址", "district": District.objects.get(name="朝阳区").pk},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "已有名为「朝阳考点」的评价地点" in html
    assert 'value="新地址"' in html
    assert Site.objects.filter(name="朝阳考点").count() == 1


def test_centre_approves_and_rejects_site_filings_on_the_inbox(client, centre_admin, org_a):
    pending = f.site(org_a, "望京考点", "朝阳区", status=SiteStatus.PENDING)
    other = f.site(org_a, "酒仙桥考点", "朝阳区", status=SiteStatus.PENDING)
    login(client, centre_admin)
    assert "望京考点" in client.get("/inbox/").content.decode()
    assert client.post(f"/sites/{pending.pk}/approve/", {"note": ""}).status_code == 302
    refused = client.post(f"/sites/{other.pk}/reject/", {"note": ""}, follow=True)  # back to the inbox, reason shown
    assert "须写明理由" in refused.content.decode()
    pending.refresh_from_db()
    other.refresh_from_db()
    assert pending.status == SiteStatus.FILED
    assert other.status == SiteStatus.PENDING


def test_an_org_cannot_decide_site_filings(client, org_admin, org_a):
    pending = f.site(org_a, "望京考点", "朝阳区", status=SiteStatus.PENDING)
    response = login(client, org_admin).post(f"/sites/{pending.pk}/approve/", {"note": ""})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == SiteStatus.PENDING


def test_org_b_cannot_touch_org_a_site_ORG_4(client, centre_admin, org_b_admin, org_a):
    pending = f.site(org_a, "望京考点", "朝阳区", status=SiteStatus.PENDING)
    assert login(client, org_b_admin).post(f"/sites/{pending.pk}/reject/", {"note": "x"}).status_code == 404


def test_the_org_home_counts_the_work_and_flags_a_stopped_plan_PLAN_12(client, arranged_plan, org_admin, frozen):
    import datetime as dt

    from conftest import at
    from kaowu.plans import milestones

    client.force_login(org_admin.user)
    html = client.get("/").content.decode()
    for label in ("待审核报名", "待缴费考生", "未编排座位的考生", "未发放的准考证", "逾期停止的计划"):
        assert label in html, label
    assert '<div class="n">20</div><div class="l">未发放的准考证</div>' in html  # issued, not released
    assert "没有合规提醒" in html
    milestones.unmark(arranged_plan, "entry_closed")  # entry never closed: on T−9 the plan stops (REG-6)
    frozen.move_to(at(arranged_plan.first_date - dt.timedelta(days=9)))
    client.force_login(org_admin.user)  # three weeks later: a new login
    html = client.get("/").content.decode()
    assert "没有合规提醒" not in html and "结束报名录入并提交" in html and "计划停止" in html
    assert '<div class="n">1</div><div class="l">逾期停止的计划</div>' in html


def test_the_centre_sees_its_work_most_urgent_first_each_with_its_own_deadline_PLAN_5(
    client, frozen, centre_admin, org_admin, org_a, site_a, org_b
):
    """Filings to accept are due by the day the organisation must confirm the plan (PLAN-5, T−N), so the
    filing with the nearer T comes first; a site filing has no deadline and comes after."""
    import datetime as dt

    from conftest import TODAY
    from kaowu.home.views import attention
    from kaowu.plans import milestones
    from kaowu.plans.enums import Milestone

    later = f.plan(actor=org_admin, org=org_a, site=site_a, first_date=TODAY + dt.timedelta(days=40))
    sooner = f.plan(actor=org_admin, org=org_a, site=site_a, first_date=TODAY + dt.timedelta(days=25))
    for plan in (later, sooner):
        services.submit_batch_plan(actor=org_admin, plan=plan)
    f.site(org_b, "海淀新考点", "海淀区", status=SiteStatus.PENDING)
    items = attention(centre_admin, today=TODAY)
    labels = [(a.label, a.due) for a in items]
    assert labels[:2] == [
        ("受理认定计划", milestones.deadline(sooner, Milestone.CONFIRMED)[0]),
        ("受理认定计划", milestones.deadline(later, Milestone.CONFIRMED)[0]),
    ]
    assert labels[-1] == ("审核增项备案", None)
    html = login(client, centre_admin).get("/inbox/").content.decode()
    assert "按紧急程度排列" in html and html.index(str(sooner)) < html.index(str(later))
