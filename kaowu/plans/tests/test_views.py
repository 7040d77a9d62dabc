"""The plan screens: who sees which plan (ORG-4), forms that call the services, refusals shown with their rule."""

import datetime as dt

import pytest

from conftest import TODAY
from kaowu.parties.enums import SiteStatus
from kaowu.plans import annual, services
from kaowu.plans.enums import ChangeStatus, NoticeKind, NoticeStatus, PlanStatus
from kaowu.plans.models import AnnualPlan, BatchPlan, ChangeRequest, Notice, Session
from tests import factories as f
from tests.counting import queries_of_get


def login(client, actor):
    client.force_login(actor.user)
    return client


def _session_post(site, **over):
    data = {
        "subject": "skill",
        "site": site.pk,
        "method": "practical",
        "date": "2026-12-10",
        "start_time": "09:00",
        "end_time": "11:00",
    }
    data.update(over)
    return data


# ORG-4: one organisation never sees another's plan -------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/", "/timeline/", "/filing-form.pdf", "/filing-form.xlsx", "/edit/", "/method-options/?subject=theory"],
)
def test_org_b_gets_404_for_org_a_plan_pages_ORG_4(client, org_b_admin, plan_draft, path):
    response = login(client, org_b_admin).get(f"/plans/{plan_draft.pk}{path}")
    assert response.status_code == 404


def test_org_b_gets_404_for_org_a_session_edit_ORG_4(client, org_b_admin, plan_draft, site_b):
    session = plan_draft.sessions.get(subject="theory")
    login(client, org_b_admin)
    url = f"/plans/{plan_draft.pk}/sessions/{session.pk}/edit/"
    assert client.get(url).status_code == 404
    post = _session_post(site_b, date="2026-12-05")
    assert client.post(url, post).status_code == 404
    assert client.post(f"/plans/{plan_draft.pk}/sessions/{session.pk}/remove/").status_code == 404
    assert client.post(f"/plans/{plan_draft.pk}/sessions/new/", post).status_code == 404
    session.refresh_from_db()
    assert session.date == dt.date(2026, 12, 2)
    assert plan_draft.sessions.count() == 2


def test_org_b_cannot_submit_or_withdraw_org_a_plan_ORG_4(client, org_b_admin, plan_draft):
    login(client, org_b_admin)
    assert client.post(f"/plans/{plan_draft.pk}/submit/").status_code == 404
    assert client.post(f"/plans/{plan_draft.pk}/withdraw/", {"reason": "x"}).status_code == 404
    plan_draft.refresh_from_db()
    assert plan_draft.status == PlanStatus.DRAFT


def test_a_session_of_another_plan_is_404_even_for_its_own_org_ORG_4(client, org_admin, plan_draft, plan_b):
    other = plan_b.sessions.first()
    response = login(client, org_admin).get(f"/plans/{plan_draft.pk}/sessions/{other.pk}/edit/")
    assert response.status_code == 404


def test_plan_list_shows_only_own_plans_ORG_4(client, org_admin, plan_draft, plan_b):
    html = login(client, org_admin).get("/plans/").content.decode()
    assert plan_draft.name in html
    assert "海淀电力" not in html


def test_district_officer_plan_list_shows_only_its_district_ORG_4(
    client, district_officer, haidian_officer, plan_draft, plan_b
):
    chaoyang = login(client, district_officer).get("/district/plans/").content.decode()
    assert plan_draft.name in chaoyang
    assert plan_b.name not in chaoyang
    assert plan_b.name not in client.get("/plans/").content.decode()
    assert client.get(f"/plans/{plan_b.pk}/").status_code == 404
    haidian = login(client, haidian_officer).get("/district/plans/").content.decode()
    assert plan_b.name in haidian
    assert plan_draft.name not in haidian


def test_district_sees_a_plan_with_a_site_in_its_district_ORG_4(client, haidian_officer, org_admin, org_a, frozen):
    haidian_site = f.site(org_a, "海淀分考点", "海淀区")
    plan = f.plan(actor=org_admin, org=org_a, site=haidian_site, first_date=TODAY + dt.timedelta(days=30))
    html = login(client, haidian_officer).get("/district/plans/").content.decode()
    assert plan.name in html
    assert "海淀分考点" in html


def test_district_page_is_for_districts_only(client, org_admin):
    assert login(client, org_admin).get("/district/plans/").status_code == 403


def test_staff_see_confirmed_plans_only(client, invigilator, plan_draft):
    login(client, invigilator)
    assert client.get(f"/plans/{plan_draft.pk}/").status_code == 404
    assert plan_draft.name not in client.get("/plans/").content.decode()


# Query-count guards -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/plans/", "/plans/?status=draft", "/district/plans/"])
def test_plan_list_costs_the_same_queries_for_1_and_3_plans(
    client, frozen, org_admin, org_a, site_a, district_officer, url
):
    f.plan(actor=org_admin, org=org_a, site=site_a, first_date=TODAY + dt.timedelta(days=30))
    login(client, district_officer if url.startswith("/district") else org_admin)
    one = queries_of_get(client, url)
    for days in (31, 32):
        f.plan(actor=org_admin, org=org_a, site=site_a, first_date=TODAY + dt.timedelta(days=days))
    three = queries_of_get(client, url)
    assert one == three


def test_centre_plan_list_costs_the_same_for_1_and_3_orgs(
    client, frozen, centre_admin, plan_draft, org_b_admin, org_b, site_b
):
    login(client, centre_admin)
    one = queries_of_get(client, "/plans/")
    f.plan(
        actor=org_b_admin,
        org=org_b,
        site=site_b,
        first_date=TODAY + dt.timedelta(days=30),
        occupation_code="6-31-01-03",
    )
    f.plan(
        actor=org_b_admin,
        org=org_b,
        site=site_b,
        first_date=TODAY + dt.timedelta(days=33),
        occupation_code="6-31-01-03",
    )
    assert queries_of_get(client, "/plans/") == one


def test_plan_list_filters_by_status(client, org_admin, plan_draft, org_a, site_a):
    second = f.plan(actor=org_admin, org=org_a, site=site_a, first_date=TODAY + dt.timedelta(days=35))
    services.submit_batch_plan(actor=org_admin, plan=second)
    login(client, org_admin)
    submitted = client.get("/plans/?status=submitted").content.decode()
    assert second.name in submitted
    assert plan_draft.name not in submitted


# Creating and editing a plan ----------------------------------------------------------------------


def test_plan_form_has_no_name_input_PLAN_6(client, org_admin, frozen):
    html = login(client, org_admin).get("/plans/new/").content.decode()
    assert 'name="name"' not in html
    assert "保健按摩师" in html  # an occupation of the filed scope
    assert "企业人力资源管理师" not in html  # not in scope


def test_plan_is_created_through_the_form(client, org_admin, org_a, frozen):
    from kaowu.catalog.models import Occupation

    occ = Occupation.objects.get(code="4-10-04-02")
    response = login(client, org_admin).post(
        "/plans/new/",
        {
            "occupation": occ.pk,
            "level_5": "12",
            "level_4": "10",
            "contact_name": "李敏",
            "contact_phone": "13800001111",
            "org_statement": "说明",
        },
    )
    plan = BatchPlan.objects.get(org=org_a)
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{plan.pk}/"
    assert {pl.level: pl.headcount for pl in plan.plan_levels.all()} == {5: 12, 4: 10}


def test_a_level_outside_the_scope_is_shown_beside_the_head_counts_PLAN_7(client, org_admin, org_a, frozen):
    from kaowu.catalog.models import Occupation

    occ = Occupation.objects.get(code="6-31-01-03")  # org A filed 五级 and 四级 only
    response = login(client, org_admin).post(
        "/plans/new/",
        {"occupation": occ.pk, "level_3": "25", "contact_name": "李敏", "contact_phone": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "PLAN-7" in html
    assert 'value="25"' in html  # the input is kept
    assert not BatchPlan.objects.filter(org=org_a).exists()


def test_plan_edit_saves_head_counts(client, org_admin, plan_draft):
    response = login(client, org_admin).post(
        f"/plans/{plan_draft.pk}/edit/",
        {"level_5": "15", "level_4": "10", "contact_name": "李敏", "contact_phone": "13800001111"},
    )
    assert response.status_code == 302
    assert plan_draft.total_headcount == 25


# Sessions ---------------------------------------------------------------------------------------------


def test_detail_shows_name_status_T_sessions_and_timeline(client, org_admin, plan_draft):
    html = login(client, org_admin).get(f"/plans/{plan_draft.pk}/").content.decode()
    assert plan_draft.name in html
    assert "草稿" in html
    assert "2026-12-02（周三）" in html
    assert "理论知识" in html and "操作技能" in html
    assert "时间节点" in html and "PLAN-5" in html
    assert "添加场次" in html
    assert f"/plans/{plan_draft.pk}/filing-form.pdf" in html


def test_skill_before_theory_shows_PLAN_9_and_writes_nothing(client, org_admin, plan_draft, site_a):
    theory = plan_draft.sessions.get(subject="theory")
    login(client, org_admin)
    before = list(Session.objects.values_list("pk", "date", "start_time"))
    response = client.post(
        f"/plans/{plan_draft.pk}/sessions/{theory.pk}/edit/",
        _session_post(site_a, method="written", date="2026-12-20", start_time="08:30", end_time="10:00"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "PLAN-9" in html
    assert "理论知识" in html and "须安排在" in html
    assert 'value="2026-12-20"' in html  # the user's input is kept
    assert list(Session.objects.values_list("pk", "date", "start_time")) == before


def test_a_review_session_before_skill_on_the_detail_page_shows_PLAN_9(client, org_admin, org_a, site_a, frozen):
    from kaowu.catalog.models import Occupation

    plan = services.create_batch_plan(
        actor=org_admin,
        org=org_a,
        occupation=Occupation.objects.get(code="6-31-01-03"),
        levels={5: 20},
        contact_name="李敏",
        contact_phone="1",
    )
    services.add_session(
        actor=org_admin,
        plan=plan,
        subject="theory",
        site=site_a,
        method="written",
        date=TODAY + dt.timedelta(days=30),
        start_time=dt.time(9),
        end_time=dt.time(10, 30),
    )
    login(client, org_admin)
    response = client.post(
        f"/plans/{plan.pk}/sessions/new/", _session_post(site_a, date=f"{TODAY + dt.timedelta(days=29):%Y-%m-%d}")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "PLAN-9" in html
    assert plan.sessions.count() == 1


def test_a_session_at_an_unfiled_site_is_not_offered_PLAN_7(client, org_admin, plan_draft, org_a):
    pending = f.site(org_a, "望京考点", "朝阳区", status=SiteStatus.PENDING)
    html = login(client, org_admin).get(f"/plans/{plan_draft.pk}/").content.decode()
    assert "望京考点" not in html
    response = client.post(f"/plans/{plan_draft.pk}/sessions/new/", _session_post(pending))
    assert response.status_code == 200
    assert "has-error" in response.content.decode()
    assert not plan_draft.sessions.filter(site=pending).exists()


def test_session_is_added_and_removed_through_the_forms(client, org_admin, org_a, site_a, frozen):
    from kaowu.catalog.models import Occupation

    plan = services.create_batch_plan(
        actor=org_admin,
        org=org_a,
        occupation=Occupation.objects.get(code="6-31-01-03"),
        levels={5: 20},
        contact_name="李敏",
        contact_phone="1",
    )
    login(client, org_admin)
    response = client.post(
        f"/plans/{plan.pk}/sessions/new/",
        _session_post(
            site_a, subject="theory", method="written", date="2026-12-02", start_time="08:30", end_time="10:00"
        ),
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.name == "20261202成人按摩"
    session = plan.sessions.get()
    assert client.post(f"/plans/{plan.pk}/sessions/{session.pk}/remove/").status_code == 302
    assert not plan.sessions.exists()


def test_method_options_follow_the_standard_PLAN_8(client, org_admin, plan_draft):
    html = login(client, org_admin).get(f"/plans/{plan_draft.pk}/method-options/?subject=theory").content.decode()
    assert "笔试" in html and "机考" in html
    assert "实际操作" not in html


def test_work_type_options_follow_the_occupation(client, org_admin):
    from kaowu.catalog.models import Occupation

    occ = Occupation.objects.get(code="4-10-04-02")
    html = login(client, org_admin).get(f"/plans/work-types/?occupation={occ.pk}").content.decode()
    assert "足部按摩师" in html


# The lifecycle through the screens ---------------------------------------------------------------------


def test_submit_accept_confirm_through_the_screens(client, org_admin, centre_admin, district_officer, plan_draft):
    login(client, org_admin)
    assert client.post(f"/plans/{plan_draft.pk}/submit/").status_code == 302
    login(client, district_officer)
    assert client.post(f"/plans/{plan_draft.pk}/district-opinion/", {"opinion": "同意"}).status_code == 302
    login(client, centre_admin)
    assert plan_draft.name in client.get("/inbox/").content.decode()
    assert client.post(f"/plans/{plan_draft.pk}/accept/", {"opinion": "同意受理"}).status_code == 302
    login(client, org_admin)
    assert client.post(f"/plans/{plan_draft.pk}/confirm/").status_code == 302
    plan_draft.refresh_from_db()
    assert plan_draft.status == PlanStatus.CONFIRMED
    assert plan_draft.centre_opinion == "同意受理"


def test_submit_too_late_shows_PLAN_5_beside_the_button(client, org_admin, plan_draft, frozen):
    from conftest import at

    frozen.move_to(at(plan_draft.first_date - dt.timedelta(days=19)))
    response = login(client, org_admin).post(f"/plans/{plan_draft.pk}/submit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "PLAN-5" in html
    plan_draft.refresh_from_db()
    assert plan_draft.status == PlanStatus.DRAFT


def test_return_needs_a_reason(client, org_admin, centre_admin, plan_draft):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    response = login(client, centre_admin).post(f"/plans/{plan_draft.pk}/return/", {"reason": " "})
    assert "退回原因" in response.content.decode()
    plan_draft.refresh_from_db()
    assert plan_draft.status == PlanStatus.SUBMITTED
    assert client.post(f"/plans/{plan_draft.pk}/return/", {"reason": "联系电话有误"}).status_code == 302
    plan_draft.refresh_from_db()
    assert plan_draft.status == PlanStatus.RETURNED
    assert "联系电话有误" in login(client, org_admin).get(f"/plans/{plan_draft.pk}/").content.decode()


def test_an_org_cannot_accept_its_own_plan(client, org_admin, plan_draft):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    response = login(client, org_admin).post(f"/plans/{plan_draft.pk}/accept/", {"opinion": ""})
    assert response.status_code == 403
    assert "市鉴定管理中心办理" in response.content.decode()
    plan_draft.refresh_from_db()
    assert plan_draft.status == PlanStatus.SUBMITTED


def test_district_records_its_opinion(client, district_officer, org_admin, plan_draft):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    login(client, district_officer)
    assert "考点所在区意见" in client.get(f"/plans/{plan_draft.pk}/").content.decode()
    assert client.post(f"/plans/{plan_draft.pk}/district-opinion/", {"opinion": "同意"}).status_code == 302
    plan_draft.refresh_from_db()
    assert plan_draft.district_opinion == "同意"


def test_withdraw_needs_a_reason(client, org_admin, plan_draft):
    response = login(client, org_admin).post(f"/plans/{plan_draft.pk}/withdraw/", {"reason": ""})
    assert "撤回计划须写明原因" in response.content.decode()
    plan_draft.refresh_from_db()
    assert plan_draft.status == PlanStatus.DRAFT


def test_timeline_page_lists_every_deadline_with_its_citation(client, org_admin, plan_draft):
    html = login(client, org_admin).get(f"/plans/{plan_draft.pk}/timeline/").content.decode()
    assert "报送认定计划备案表" in html
    assert "T−20天" in html
    assert "2026-11-12（周四）" in html
    assert "state-due" in html


def test_filing_form_downloads_for_its_own_org(client, org_admin, plan_draft):
    login(client, org_admin)
    pdf = client.get(f"/plans/{plan_draft.pk}/filing-form.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/plans/{plan_draft.pk}/filing-form.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content.startswith(b"PK")


# Change requests (PLAN-11) ---------------------------------------------------------------------------


def test_change_request_is_made_and_approved_on_the_inbox_PLAN_11(client, org_admin, centre_admin, plan_draft, org_a):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    services.accept_batch_plan(actor=centre_admin, plan=plan_draft)
    new_site = f.site(org_a, "朝阳二号考点", "朝阳区")
    skill = plan_draft.sessions.get(subject="skill")
    login(client, org_admin)
    url = f"/plans/{plan_draft.pk}/sessions/{skill.pk}/change/"
    assert "第二十三条" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "new_date": "2026-12-04",
            "new_start_time": "09:00",
            "new_end_time": "11:00",
            "new_site": new_site.pk,
            "reason": "原考点停电检修",
        },
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    login(client, centre_admin)
    assert "原考点停电检修" in client.get("/inbox/").content.decode()
    assert client.post(f"/changes/{change.pk}/approve/", {"note": ""}).status_code == 302
    change.refresh_from_db()
    skill.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert skill.site == new_site and skill.date == dt.date(2026, 12, 4)


def test_change_request_of_a_draft_plan_is_refused(client, org_admin, plan_draft, site_a):
    skill = plan_draft.sessions.get(subject="skill")
    response = login(client, org_admin).post(
        f"/plans/{plan_draft.pk}/sessions/{skill.pk}/change/",
        {
            "new_date": "2026-12-04",
            "new_start_time": "09:00",
            "new_end_time": "11:00",
            "new_site": site_a.pk,
            "reason": "停电",
        },
    )
    assert "可直接修改场次" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_reject_change_needs_a_note(client, org_admin, centre_admin, plan_draft, site_a):
    services.submit_batch_plan(actor=org_admin, plan=plan_draft)
    services.accept_batch_plan(actor=centre_admin, plan=plan_draft)
    skill = plan_draft.sessions.get(subject="skill")
    change = services.request_change(
        actor=org_admin,
        session=skill,
        new_date=dt.date(2026, 12, 4),
        new_start_time=dt.time(9),
        new_end_time=dt.time(11),
        new_site=site_a,
        reason="停电",
    )
    response = login(client, centre_admin).post(f"/changes/{change.pk}/reject/", {"note": "", "back": "plan"})
    assert "不同意变更须写明理由" in response.content.decode()
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


# Inbox ---------------------------------------------------------------------------------------------------


def test_inbox_is_for_the_centre_only(client, org_admin, district_officer):
    assert login(client, org_admin).get("/inbox/").status_code == 403
    assert login(client, district_officer).get("/inbox/").status_code == 403


# Annual plans and notices ------------------------------------------------------------------------------


def test_annual_plan_is_written_and_submitted_through_the_screens_PLAN_1(client, org_admin, org_a, frozen):
    from kaowu.catalog.models import Occupation

    occ = Occupation.objects.get(code="4-10-04-02")
    login(client, org_admin)
    form = client.get("/annual-plans/new/").content.decode()
    assert "保健按摩师（4-10-04-02）五级" in form
    data = {
        "year": "2027",
        "note": "",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-scope": f"{occ.pk}:5",
        "lines-0-batches": "4",
        "lines-0-headcount": "120",
        "lines-0-months": "3月、6月、9月、11月",
        "lines-1-scope": "",
    }
    response = client.post("/annual-plans/new/", data)
    plan = AnnualPlan.objects.get(org=org_a, year=2027)
    assert response.status_code == 302
    assert plan.lines.get().headcount == 120
    assert client.post(f"/annual-plans/{plan.pk}/submit/").status_code == 302
    plan.refresh_from_db()
    assert plan.status == "submitted" and not plan.late


def test_annual_plan_duplicate_lines_are_refused_before_saving(client, org_admin, org_a, frozen):
    from kaowu.catalog.models import Occupation

    occ = Occupation.objects.get(code="4-10-04-02")
    line = {"scope": f"{occ.pk}:5", "batches": "1", "headcount": "20", "months": ""}
    data = {"year": "2027", "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0"}
    for i in range(2):
        data.update({f"lines-{i}-{k}": v for k, v in line.items()})
    response = login(client, org_admin).post("/annual-plans/new/", data)
    assert "同一职业等级只能填写一行" in response.content.decode()
    assert not AnnualPlan.objects.exists()


def test_org_b_gets_404_for_org_a_annual_plan_and_notice_ORG_4(client, org_admin, org_b_admin, org_a, frozen):
    from kaowu.catalog.models import Occupation

    plan = annual.save_annual_plan(
        actor=org_admin,
        org=org_a,
        year=2027,
        lines=[annual.Line(occupation=Occupation.objects.get(code="4-10-04-02"), level=5, batches=1, headcount=20)],
    )
    notice = annual.save_notice(actor=org_admin, org=org_a, kind=NoticeKind.ANNUAL, year=2027, title="2027年度认定通知")
    login(client, org_b_admin)
    assert client.get(f"/annual-plans/{plan.pk}/").status_code == 404
    assert client.post(f"/annual-plans/{plan.pk}/submit/").status_code == 404
    assert client.get(f"/notices/{notice.pk}/").status_code == 404
    assert client.post(f"/notices/{notice.pk}/submit/").status_code == 404


def test_annual_notice_is_submitted_published_by_the_centre_and_public_PLAN_2(client, org_admin, centre_admin, frozen):
    login(client, org_admin)
    response = client.post(
        "/notices/new/",
        {"kind": "annual", "year": "2027", "title": "成人按摩2027年度职业技能等级认定通知", "fees": "五级 300元"},
    )
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert client.post(f"/notices/{notice.pk}/submit/").status_code == 302
    assert client.post(f"/notices/{notice.pk}/publish/").status_code == 403  # only the centre publishes
    client.logout()
    assert notice.title not in client.get("/public/notices/").content.decode()
    login(client, centre_admin)
    assert notice.title in client.get("/inbox/").content.decode()
    assert client.post(f"/notices/{notice.pk}/publish/", {"back": "inbox"}).status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED
    client.logout()
    public = client.get("/public/notices/")
    assert public.status_code == 200
    assert notice.title in public.content.decode()
    assert "五级 300元" in public.content.decode()


def test_quarterly_notice_with_a_missing_quarter_says_so(client, org_admin, frozen):
    response = login(client, org_admin).post("/notices/new/", {"kind": "quarterly", "year": "2026", "title": "公告"})
    assert "季度公告须选择第1至第4季度" in response.content.decode()
    assert not Notice.objects.exists()


def _one_more_of_each(org_admin, org_a, site_a, days: int) -> None:
    """A submitted plan, a published announcement and an annual plan of org A."""
    from kaowu.catalog.models import Occupation

    plan = f.plan(actor=org_admin, org=org_a, site=site_a, first_date=TODAY + dt.timedelta(days=days))
    services.submit_batch_plan(actor=org_admin, plan=plan)
    notice = annual.save_notice(
        actor=org_admin,
        org=org_a,
        kind=NoticeKind.QUARTERLY,
        year=2026,
        quarter=4,
        title=f"公告{days}",
        fees="五级300元",
    )
    annual.publish_notice(actor=org_admin, notice=notice)
    line = annual.Line(occupation=Occupation.objects.get(code="4-10-04-02"), level=5, batches=1, headcount=20)
    annual.save_annual_plan(actor=org_admin, org=org_a, year=2000 + days, lines=[line])


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("centre_admin", "/"),
        ("centre_admin", "/inbox/"),
        ("district_officer", "/"),
        ("org_admin", "/"),
        ("org_admin", "/annual-plans/"),
        ("centre_admin", "/annual-plans/"),
        ("org_admin", "/notices/"),
        ("centre_admin", "/notices/"),
        ("org_admin", "/public/notices/"),
    ],
)
def test_homes_inbox_and_lists_cost_the_same_queries_for_1_and_3_rows(
    client, frozen, org_admin, org_a, site_a, request, persona, url
):
    _one_more_of_each(org_admin, org_a, site_a, 30)
    login(client, request.getfixturevalue(persona))
    client.get(url)  # warm the rule and calendar caches
    one = queries_of_get(client, url)
    _one_more_of_each(org_admin, org_a, site_a, 31)
    _one_more_of_each(org_admin, org_a, site_a, 32)
    assert queries_of_get(client, url) == one


def test_the_public_notices_stay_inside_the_candidate_portal_for_candidates_and_visitors(
    client, candidate_actor, org_admin
):
    """A candidate who follows 「通知公告」 from the portal stays in the portal (its menu, its layout); staff see
    the same notices inside the staff layout."""
    html = client.get("/public/notices/").content.decode()
    assert 'class="portal-top"' in html and 'class="sidenav"' not in html
    client.force_login(candidate_actor.user)
    html = client.get("/public/notices/").content.decode()
    assert 'class="portal-nav"' in html and "我的准考证" in html and 'class="sidenav"' not in html
    client.force_login(org_admin.user)
    html = client.get("/public/notices/").content.decode()
    assert 'class="sidenav"' in html and 'class="portal-nav"' not in html
