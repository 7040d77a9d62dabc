"""The REST API's foundation: authentication, errors, parties, scope, sites, tokens, audit (ORG-4),
the catalogue, the rules and the working-day calendar."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kaowu.kernel.enums import Role
from kaowu.kernel.models import AuditEvent
from kaowu.parties.enums import SiteStatus
from kaowu.parties.models import ApiToken, FiledScope, Site
from kaowu.policy.models import WorkdayOverride, WorkdayYear
from tests import factories as f


def client_for(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def call(client: Client, method: str, path: str, body=None):
    if method == "get":
        return client.get(f"/api/v1{path}")
    return getattr(client, method)(
        f"/api/v1{path}", data=body if body is not None else {}, content_type="application/json"
    )


def _query_count(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert call(client, "get", path).status_code == 200
    return len(ctx.captured_queries)


# -- authentication ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/me", "/orgs", "/sites", "/plans", "/audit", "/occupations", "/rules", "/tokens"])
def test_every_endpoint_but_the_public_ones_needs_a_login_or_a_token(db, path):
    r = call(Client(), "get", path)
    assert r.status_code == 401
    assert r.json()["code"] == "unauthenticated" and "API 令牌" in r.json()["message"]


def test_the_public_notices_and_the_openapi_schema_need_no_login(db):
    assert call(Client(), "get", "/public/notices").status_code == 200
    assert Client().get("/api/v1/openapi.json").status_code == 200


def test_a_basic_auth_header_is_not_a_token(db):
    r = call(Client(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz"), "get", "/me")
    assert r.status_code == 401


def test_me_names_the_role_and_the_party(org_admin, district_officer, centre_admin):
    me = call(client_for(org_admin), "get", "/me").json()
    assert me["role"] == "org_admin" and me["party"] == {"kind": "org", "id": org_admin.org_id, "name": "成人按摩"}
    assert me["via_token"] is False and me["display_name"] == "王立新"
    me = call(client_for(district_officer), "get", "/me").json()
    assert me["party"]["kind"] == "district" and me["party"]["name"] == "朝阳区职业技能鉴定管理机构"
    assert call(client_for(centre_admin), "get", "/me").json()["party"]["kind"] == "centre"


def test_a_candidate_sees_no_organisations_plans_or_tokens_ORG_4(plan_draft, site_a):
    candidate = Client()
    candidate.force_login(f.user("cand_zhang", Role.CANDIDATE, display_name="张考生"))
    assert call(candidate, "get", "/me").json()["party"] == {"kind": "candidate", "id": None, "name": ""}
    for path in ("/orgs", "/sites", "/plans", "/audit"):
        assert call(candidate, "get", path).json()["count"] == 0
    assert call(candidate, "get", "/tokens").json() == []
    assert call(candidate, "get", f"/plans/{plan_draft.pk}").status_code == 404
    assert call(candidate, "post", "/plans", {"occupation": "4-10-04-02"}).status_code == 422


# -- errors --------------------------------------------------------------------------------------------------


def test_a_refusal_carries_code_message_rule_and_citation(org_admin, org_a):
    """A service's KaowuError keeps its status; its body has the four keys of design §7."""
    r = call(
        client_for(org_admin),
        "post",
        f"/orgs/{org_a.pk}/scopes",
        {"occupation": "6-31-01-03", "level": 3, "filed_on": "2026-01-05"},
    )
    assert r.status_code == 403
    assert set(r.json()) >= {"code", "message", "rule_id", "citation"} and r.json()["code"] == "centre_only"


def test_an_unknown_field_is_refused_rather_than_ignored(org_admin):
    r = call(
        client_for(org_admin),
        "post",
        "/sites",
        {"name": "新考点", "address": "北京市朝阳区", "district_code": "110105", "adress": "x"},
    )
    assert r.status_code == 422 and r.json()["field"] == "adress"


# -- parties and tenancy (ORG-4) -------------------------------------------------------------------------------


def test_districts_list_beijings_sixteen(org_admin):
    districts = call(client_for(org_admin), "get", "/districts").json()
    assert len(districts) == 16 and {"code": "110105", "name": "朝阳区"}.items() <= districts[2].items()


def test_an_org_sees_only_itself_a_district_its_orgs_the_centre_all_ORG_4(
    org_admin, org_b_admin, district_officer, haidian_officer, centre_admin
):
    def codes(actor):
        return [o["code"] for o in call(client_for(actor), "get", "/orgs").json()["items"]]

    assert codes(org_admin) == ["J110105001"]
    assert codes(district_officer) == ["J110105001"]
    assert codes(haidian_officer) == ["J110108002"]
    assert codes(centre_admin) == ["J110105001", "J110108002"]


def test_an_org_gets_404_for_another_orgs_record_and_scope_ORG_4(org_admin, org_b):
    client = client_for(org_admin)
    assert call(client, "get", f"/orgs/{org_b.pk}").json()["code"] == "not_found"
    assert call(client, "get", f"/orgs/{org_b.pk}/scopes").status_code == 404
    assert call(client, "get", "/orgs/999999").status_code == 404


def test_the_org_detail_and_scope_are_shown_to_the_org(org_admin, org_a):
    client = client_for(org_admin)
    org = call(client, "get", f"/orgs/{org_a.pk}").json()
    assert org["certificate_prefix"] == org_a.certificate_prefix and org["district"]["name"] == "朝阳区"
    scopes = call(client, "get", f"/orgs/{org_a.pk}/scopes").json()
    assert [(s["occupation"]["code"], s["level"]) for s in scopes] == [
        ("4-10-04-02", 5),
        ("4-10-04-02", 4),
        ("4-10-04-02", 3),
        ("6-31-01-03", 5),
        ("6-31-01-03", 4),
    ]


def test_the_centre_files_a_scope_ORG_2(frozen, centre_admin, org_a):
    client = client_for(centre_admin)
    body = {"occupation": "6-31-01-03", "level": 3, "filed_on": "2026-11-02", "reference": "京职技鉴备〔2026〕3号"}
    r = call(client, "post", f"/orgs/{org_a.pk}/scopes", body)
    assert r.status_code == 201, r.json()
    assert r.json()["level_label"] == "三级/高级工"
    assert FiledScope.objects.filter(org=org_a, occupation__code="6-31-01-03", level=3).exists()
    r = call(client, "post", f"/orgs/{org_a.pk}/scopes", body)
    assert r.status_code == 400 and r.json()["code"] == "scope_exists"
    r = call(client, "post", f"/orgs/{org_a.pk}/scopes", {**body, "occupation": "0-00-00-00"})
    assert r.status_code == 422 and r.json()["field"] == "occupation"
    r = call(client, "post", f"/orgs/{org_a.pk}/scopes", {**body, "level": 6})
    assert r.status_code == 422 and r.json()["field"] == "level"


def test_sites_are_scoped_ORG_4(site_a, site_b, org_admin, haidian_officer, centre_admin):
    assert [s["id"] for s in call(client_for(org_admin), "get", "/sites").json()["items"]] == [site_a.pk]
    assert [s["id"] for s in call(client_for(haidian_officer), "get", "/sites").json()["items"]] == [site_b.pk]
    assert call(client_for(centre_admin), "get", "/sites").json()["count"] == 2


def test_an_org_asks_for_a_new_site_and_the_centre_files_it_ORG_2(frozen, org_admin, org_a, centre_admin):
    org, centre = client_for(org_admin), client_for(centre_admin)
    r = call(org, "post", "/sites", {"name": "望京考点", "address": "北京市朝阳区望京街1号", "district_code": "110105"})
    assert r.status_code == 201, r.json()
    site = r.json()
    assert site["status"] == SiteStatus.PENDING and site["is_addon"] is True
    assert call(org, "post", f"/sites/{site['id']}/approve").status_code == 403
    assert [s["id"] for s in call(centre, "get", "/inbox").json()["sites"]] == [site["id"]]
    r = call(centre, "post", f"/sites/{site['id']}/approve", {"note": "同意。"})
    assert r.status_code == 200 and r.json()["status"] == SiteStatus.FILED and r.json()["filed_on"] == "2026-11-02"
    assert call(centre, "post", f"/sites/{site['id']}/approve").status_code == 409
    assert call(org, "get", "/sites?status=filed").json()["count"] == 1


def test_a_site_request_names_the_field_to_fix(frozen, org_admin, centre_admin, site_a):
    org = client_for(org_admin)
    r = call(org, "post", "/sites", {"name": "望京考点", "address": "北京市朝阳区", "district_code": "999999"})
    assert r.status_code == 422 and r.json()["field"] == "district_code"
    r = call(org, "post", "/sites", {"name": "朝阳考点", "address": "北京市朝阳区", "district_code": "110105"})
    assert r.json()["code"] == "site_name_taken" and r.json()["field"] == "name"
    r = call(
        client_for(centre_admin), "post", "/sites", {"name": "中心考点", "address": "北京市", "district_code": "110105"}
    )
    assert r.status_code == 403


def test_a_site_filing_is_rejected_with_a_reason(frozen, org_admin, centre_admin):
    org, centre = client_for(org_admin), client_for(centre_admin)
    site_id = call(
        org, "post", "/sites", {"name": "临时考点", "address": "北京市朝阳区", "district_code": "110105"}
    ).json()["id"]
    r = call(centre, "post", f"/sites/{site_id}/reject", {"note": ""})
    assert r.json()["field"] == "note"
    r = call(centre, "post", f"/sites/{site_id}/reject", {"note": "消防验收材料不全。"})
    assert r.status_code == 200 and r.json()["status"] == SiteStatus.REJECTED
    assert Site.objects.get(pk=site_id).decision_note == "消防验收材料不全。"


def test_an_org_cannot_decide_another_orgs_site_ORG_4(org_admin, site_b):
    assert call(client_for(org_admin), "post", f"/sites/{site_b.pk}/reject", {"note": "x"}).status_code == 404


# -- API tokens ------------------------------------------------------------------------------------------------


def test_an_org_admin_creates_lists_and_revokes_tokens(frozen, org_admin, exam_affairs, org_b_admin):
    client = client_for(org_admin)
    r = call(client, "post", "/tokens", {"name": "报名系统对接"})
    assert r.status_code == 201
    created = r.json()
    assert created["key"].startswith(f"kw_{created['prefix']}_") and created["created_by"] == "王立新"
    listed = call(client, "get", "/tokens").json()
    assert [t["id"] for t in listed] == [created["id"]] and "key" not in listed[0]
    assert created["key"] not in str(ApiToken.objects.get().key_hash)
    # Only the organisation's admin manages tokens; others of the org are refused, others' orgs see nothing.
    assert call(client_for(exam_affairs), "post", "/tokens", {"name": "x"}).status_code == 403
    assert call(client_for(org_b_admin), "get", "/tokens").json() == []
    assert call(client_for(org_b_admin), "delete", f"/tokens/{created['id']}").status_code == 404
    assert call(client, "delete", f"/tokens/{created['id']}").status_code == 204
    assert call(client, "get", "/tokens").json()[0]["revoked_at"] is not None


def test_a_district_sees_no_tokens_ORG_4(frozen, org_admin, district_officer):
    call(client_for(org_admin), "post", "/tokens", {"name": "对接"})
    assert call(client_for(district_officer), "get", "/tokens").json() == []


def test_a_token_cannot_make_tokens(frozen, org_admin):
    key = call(client_for(org_admin), "post", "/tokens", {"name": "对接"}).json()["key"]
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert call(bearer, "post", "/tokens", {"name": "再来一个"}).status_code == 403


def test_a_revoked_token_gets_401(frozen, org_admin):
    client = client_for(org_admin)
    created = call(client, "post", "/tokens", {"name": "对接"}).json()
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {created['key']}")
    assert call(bearer, "get", "/me").json()["token_prefix"] == created["prefix"]
    call(client, "delete", f"/tokens/{created['id']}")
    r = call(bearer, "get", "/me")
    assert r.status_code == 401 and "吊销" in r.json()["message"]


def test_a_wrong_key_with_a_real_prefix_gets_401(frozen, org_admin):
    key = call(client_for(org_admin), "post", "/tokens", {"name": "对接"}).json()["key"]
    assert call(Client(HTTP_AUTHORIZATION=f"Bearer {key[:-2]}xx"), "get", "/me").status_code == 401


# -- audit -------------------------------------------------------------------------------------------------------


def test_the_audit_log_is_scoped_ORG_4(plan_draft, plan_b, org_admin, district_officer, haidian_officer, centre_admin):
    def orgs(actor):
        return {e["org_id"] for e in call(client_for(actor), "get", "/audit?page_size=200").json()["items"]}

    assert orgs(org_admin) == {plan_draft.org_id}
    assert orgs(district_officer) == {plan_draft.org_id}
    assert orgs(haidian_officer) == {plan_b.org_id}
    assert orgs(centre_admin) == {plan_draft.org_id, plan_b.org_id}
    events = call(client_for(centre_admin), "get", "/audit?action=plans.batch").json()
    assert events["count"] == AuditEvent.objects.filter(action__startswith="plans.batch").count() == 2
    # Newest first: seq counts within one organisation's chain, so the order across chains is the write order.
    newest = AuditEvent.objects.filter(action__startswith="plans.batch").latest("id")
    assert (events["items"][0]["chain"], events["items"][0]["seq"]) == (newest.chain, newest.seq)


def test_the_audit_log_is_paginated_with_fixed_query_counts(plan_draft, centre_admin):
    client = client_for(centre_admin)
    page = call(client, "get", "/audit?page_size=2").json()
    assert page["count"] == AuditEvent.objects.count() > 2 and len(page["items"]) == 2
    assert _query_count(client, "/audit?page_size=1") == _query_count(client, "/audit?page_size=5")
    assert call(client, "get", "/audit?page=0").status_code == 422
    assert call(client, "get", "/audit?page=100000000000000000000").status_code == 422


def test_lists_of_orgs_and_sites_have_fixed_query_counts(org_admin, org_a, centre_admin, site_a, site_b):
    client = client_for(centre_admin)
    orgs, sites = _query_count(client, "/orgs"), _query_count(client, "/sites")
    f.org(code="J110101003", full_name="东城评价中心", short_name="东城", district_name="东城区", serial="010003")
    f.site(org_a, "第二考点", "朝阳区")
    assert _query_count(client, "/orgs") == orgs and _query_count(client, "/sites") == sites


# -- catalogue -----------------------------------------------------------------------------------------------


def test_occupations_are_listed_and_found(org_admin):
    client = client_for(org_admin)
    codes = [o["code"] for o in call(client, "get", "/occupations").json()["items"]]
    assert {"4-10-04-02", "6-31-01-03"} <= set(codes)
    assert [o["code"] for o in call(client, "get", "/occupations?q=电工").json()["items"]] == ["6-31-01-03"]


def test_an_occupation_shows_work_types_and_the_current_standard(org_admin):
    occupation = call(client_for(org_admin), "get", "/occupations/4-10-04-02").json()
    assert [w["name"] for w in occupation["work_types"]] == ["保健按摩师", "足部按摩师"]
    standard = occupation["standard"]
    assert standard["staff_ratios"]["theory_min_invigilators"] >= 2
    five = next(x for x in standard["levels"] if x["level"] == 5)
    theory = next(s for s in five["subjects"] if s["subject"] == "theory")
    assert theory["duration_minutes"] > 0 and {"code": "written", "label": "笔试"} in theory["methods"]
    electrician = call(client_for(org_admin), "get", "/occupations/6-31-01-03").json()
    two = next(x for x in electrician["standard"]["levels"] if x["level"] == 2)
    assert [s["subject"] for s in two["subjects"]] == ["theory", "skill", "review"]


def test_an_unknown_occupation_is_404(org_admin):
    client = client_for(org_admin)
    assert call(client, "get", "/occupations/9-99-99-99").status_code == 404
    assert call(client, "get", "/occupations/not-a-code").status_code == 404


# -- rules and the working-day calendar ------------------------------------------------------------------------


def test_the_rules_of_the_default_profile_are_listed_with_citations(org_admin):
    client = client_for(org_admin)
    rules = {r["rule_id"]: r for r in call(client, "get", "/rules").json()}
    assert rules["PLAN-5"]["params"]["filing_days_before"] == 20
    assert rules["PLAN-5"]["kind"] == "block" and rules["PLAN-5"]["citation"]
    one = call(client, "get", "/rules/PLAN-11").json()
    assert one["unit"] == "working" and one["params"]["working_days_before"] == 3
    assert call(client, "get", "/rules/PLAN-99").status_code == 404


def test_the_calendar_shows_holidays_and_adjusted_working_days_NAT_9(org_admin):
    days = call(client_for(org_admin), "get", "/calendar/workdays?start=2026-09-30&end=2026-10-08").json()
    by_date = {d["date"]: d["is_workday"] for d in days}
    assert by_date["2026-09-30"] is True
    assert by_date["2026-10-01"] is False and by_date["2026-10-07"] is False
    assert days[0]["weekday"] == "星期三" and len(days) == 9


def test_a_year_without_holiday_data_is_a_422_NAT_9(org_admin):
    r = call(client_for(org_admin), "get", "/calendar/workdays?start=2098-01-01&end=2098-01-05")
    assert r.status_code == 422 and r.json()["rule_id"] == "NAT-9" and "2098" in r.json()["message"]


def test_a_year_entered_by_the_centre_is_computed_NAT_9(org_admin):
    WorkdayYear.objects.create(year=2098, source="国办发明电〔2097〕1号", complete=True)
    WorkdayOverride.objects.create(date=dt.date(2098, 1, 1), is_workday=False, note="元旦")
    days = call(client_for(org_admin), "get", "/calendar/workdays?start=2098-01-01&end=2098-01-02").json()
    assert days[0] == {"date": "2098-01-01", "weekday": "星期三", "is_workday": False, "note": "元旦"}
    assert days[1]["is_workday"] is True


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2026-10-08&end=2026-10-01", "end"),
        ("start=2026-01-01&end=2027-12-31", "end"),
        ("start=2026-02-30&end=2026-03-01", "start"),
        ("start=1900-01-01&end=1900-01-02", "start"),
        ("start=2026-01-01", "end"),
    ],
)
def test_a_bad_calendar_range_is_a_422(org_admin, query, field):
    r = call(client_for(org_admin), "get", f"/calendar/workdays?{query}")
    assert r.status_code == 422 and r.json()["field"] == field
