"""The plan stage over the REST API: the lifecycle, tenancy (ORG-4), rules as 422s, malformed input, query counts."""

import datetime as dt
import json

import pytest
from django.test import Client

from conftest import TODAY, at
from kaowu.plans.enums import ChangeStatus, PlanStatus
from kaowu.plans.models import BatchPlan, Notice
from tests import factories as f
from tests.counting import queries_of_get

T = TODAY + dt.timedelta(days=30)


def client_for(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def call(client: Client, method: str, path: str, body=None):
    """A JSON request (an empty object when there is no body), as an integrator sends it."""
    if method == "get":
        return client.get(f"/api/v1{path}")
    return getattr(client, method)(
        f"/api/v1{path}", data=body if body is not None else {}, content_type="application/json"
    )


def plan_body(**overrides) -> dict:
    body = {
        "occupation": "4-10-04-02",
        "levels": [{"level": 5, "headcount": 12}, {"level": 4, "headcount": 10}],
        "contact_name": "李敏",
        "contact_phone": "13800001111",
        "org_statement": "考生来源为本机构培训学员，资质已逐一核对。",
    }
    body.update(overrides)
    return body


def session_body(site, **overrides) -> dict:
    body = {
        "subject": "theory",
        "site_id": site.pk,
        "method": "written",
        "date": T.isoformat(),
        "start_time": "08:30",
        "end_time": "10:00",
    }
    body.update(overrides)
    return body


# -- the lifecycle -----------------------------------------------------------------------------------------


def test_a_plan_goes_from_draft_to_confirmed_over_the_api(frozen, org_admin, site_a, district_officer, centre_admin):
    org = client_for(org_admin)
    r = call(org, "post", "/plans", plan_body())
    assert r.status_code == 201, r.json()
    plan = r.json()
    assert plan["status"] == PlanStatus.DRAFT
    assert plan["name"] == ""
    assert [x["level"] for x in plan["levels"]] == [5, 4]
    pid = plan["id"]

    r = call(org, "post", f"/plans/{pid}/sessions", session_body(site_a))
    assert r.status_code == 201, r.json()
    r = call(
        org,
        "post",
        f"/plans/{pid}/sessions",
        session_body(
            site_a,
            subject="skill",
            method="practical",
            date=(T + dt.timedelta(days=1)).isoformat(),
            start_time="09:00",
            end_time="11:00",
        ),
    )
    assert r.status_code == 201, r.json()
    plan = r.json()
    assert plan["first_date"] == "2026-12-02"
    assert plan["name"] == "20261202成人按摩"  # PLAN-6: generated from T
    assert [s["subject"] for s in plan["sessions"]] == ["theory", "skill"]
    skill_id = plan["sessions"][1]["id"]

    r = call(org, "patch", f"/plans/{pid}", {"contact_phone": "13900002222"})
    assert r.status_code == 200 and r.json()["contact_phone"] == "13900002222"

    r = call(org, "post", f"/plans/{pid}/submit")
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == PlanStatus.SUBMITTED

    r = call(
        client_for(district_officer), "post", f"/plans/{pid}/district-opinion", {"opinion": "同意，考点条件符合要求。"}
    )
    assert r.status_code == 200, r.json()
    assert r.json()["district_opinion"] == "同意，考点条件符合要求。"

    centre = client_for(centre_admin)
    inbox = call(centre, "get", "/inbox").json()
    assert [p["id"] for p in inbox["submitted"]] == [pid]

    r = call(centre, "post", f"/plans/{pid}/accept", {"opinion": "同意受理。"})
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == PlanStatus.ACCEPTED and r.json()["centre_opinion"] == "同意受理。"

    r = call(org, "post", f"/plans/{pid}/confirm")
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == PlanStatus.CONFIRMED

    items = {i["key"]: i for i in call(org, "get", f"/plans/{pid}/timeline").json()}
    assert items["filed"]["state"] == "done" and items["confirmed"]["state"] == "done"
    assert items["filed"]["rule_id"] == "PLAN-5" and items["filed"]["due"] == "2026-11-12"
    assert items["filed"]["citation"] and items["filed"]["state_label"] == "已完成"

    # After acceptance time and place change only through a change request (PLAN-11).
    moved = (T + dt.timedelta(days=2)).isoformat()
    r = call(
        org,
        "put",
        f"/plans/{pid}/sessions/{skill_id}",
        session_body(site_a, subject="skill", method="practical", date=moved),
    )
    assert r.status_code == 409 and r.json()["code"] == "plan_not_editable"
    r = call(
        org,
        "post",
        f"/plans/{pid}/sessions/{skill_id}/change-requests",
        {
            "new_date": moved,
            "new_start_time": "09:00",
            "new_end_time": "11:00",
            "new_site_id": site_a.pk,
            "reason": "考点所在区域临时停电。",
        },
    )
    assert r.status_code == 201, r.json()
    change = r.json()
    assert change["status"] == ChangeStatus.PENDING and change["deadline"] == "2026-11-30"

    r = call(centre, "post", f"/change-requests/{change['id']}/approve", {"note": "同意备案。"})
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == ChangeStatus.APPROVED
    sessions = call(org, "get", f"/plans/{pid}").json()["sessions"]
    assert sessions[1]["date"] == moved

    actions = [
        e["action"] for e in call(org, "get", f"/audit?object_id={pid}&object_type=plans.BatchPlan").json()["items"]
    ]
    assert actions[::-1] == [
        "plans.batch.created",
        "plans.batch.updated",
        "plans.batch.submitted",
        "plans.batch.district_opinion",
        "plans.batch.accepted",
        "plans.batch.confirmed",
    ]


def test_a_returned_plan_is_fixed_and_resubmitted_over_the_api(plan_draft, org_admin, centre_admin):
    org, centre = client_for(org_admin), client_for(centre_admin)
    assert call(org, "post", f"/plans/{plan_draft.pk}/submit").status_code == 200
    r = call(centre, "post", f"/plans/{plan_draft.pk}/return", {"reason": "  "})
    assert r.status_code == 400 and r.json()["field"] == "reason"
    r = call(centre, "post", f"/plans/{plan_draft.pk}/return", {"reason": "联系电话有误，请核对。"})
    assert r.json()["status"] == PlanStatus.RETURNED and r.json()["return_reason"] == "联系电话有误，请核对。"
    assert call(org, "patch", f"/plans/{plan_draft.pk}", {"contact_phone": "13900002222"}).status_code == 200
    assert call(org, "post", f"/plans/{plan_draft.pk}/submit").json()["status"] == PlanStatus.SUBMITTED


def test_sessions_are_edited_and_removed_and_T_follows_them(plan_draft, org_admin, site_a):
    org = client_for(org_admin)
    theory, skill = plan_draft.sessions.order_by("date")
    later = T + dt.timedelta(days=3)
    r = call(
        org,
        "put",
        f"/plans/{plan_draft.pk}/sessions/{skill.pk}",
        session_body(site_a, subject="skill", method="practical", date=(later + dt.timedelta(days=1)).isoformat()),
    )
    assert r.status_code == 200, r.json()
    r = call(org, "put", f"/plans/{plan_draft.pk}/sessions/{theory.pk}", session_body(site_a, date=later.isoformat()))
    assert r.status_code == 200, r.json()
    assert r.json()["first_date"] == later.isoformat() and r.json()["name"] == f"{later:%Y%m%d}成人按摩"
    r = call(org, "put", f"/plans/{plan_draft.pk}/sessions/{theory.pk}", session_body(site_a, subject="skill"))
    assert r.status_code == 422 and r.json()["field"] == "subject"
    r = call(org, "delete", f"/plans/{plan_draft.pk}/sessions/{theory.pk}")
    assert r.status_code == 200
    assert [s["subject"] for s in r.json()["sessions"]] == ["skill"]


def test_a_plan_is_withdrawn_with_a_reason(plan_draft, org_admin):
    r = call(
        client_for(org_admin), "post", f"/plans/{plan_draft.pk}/withdraw", {"reason": "考生人数不足，本批次取消。"}
    )
    assert r.status_code == 200 and r.json()["status"] == PlanStatus.WITHDRAWN


# -- rules as 422 ------------------------------------------------------------------------------------------


def test_a_hand_typed_name_is_refused_PLAN_6(frozen, org_admin, org_a):
    r = call(client_for(org_admin), "post", "/plans", plan_body(name="我的计划"))
    assert r.status_code == 422
    assert r.json()["rule_id"] == "PLAN-6" and r.json()["field"] == "name" and r.json()["citation"]
    assert not org_a.batch_plans.exists()


def test_a_hand_typed_name_is_refused_on_patch_PLAN_6(plan_draft, org_admin):
    r = call(client_for(org_admin), "patch", f"/plans/{plan_draft.pk}", {"name": "我的计划"})
    assert r.status_code == 422 and r.json()["rule_id"] == "PLAN-6"
    plan_draft.refresh_from_db()
    assert plan_draft.name == "20261202成人按摩"


def test_submitted_19_days_before_first_date_is_refused_PLAN_5(plan_draft, org_admin, frozen):
    frozen.move_to(at(plan_draft.first_date - dt.timedelta(days=19)))
    r = call(client_for(org_admin), "post", f"/plans/{plan_draft.pk}/submit")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "rule_violation" and body["rule_id"] == "PLAN-5" and body["citation"]
    assert [v["rule_id"] for v in body["violations"]] == ["PLAN-5"]
    plan_draft.refresh_from_db()
    assert plan_draft.status == PlanStatus.DRAFT


def test_submitted_20_days_before_first_date_is_accepted_PLAN_5(plan_draft, org_admin, frozen):
    frozen.move_to(at(plan_draft.first_date - dt.timedelta(days=20)))
    r = call(client_for(org_admin), "post", f"/plans/{plan_draft.pk}/submit")
    assert r.status_code == 200 and r.json()["status"] == PlanStatus.SUBMITTED


def test_a_level_outside_the_filed_scope_is_refused_PLAN_7(frozen, org_admin):
    r = call(client_for(org_admin), "post", "/plans", plan_body(levels=[{"level": 2, "headcount": 20}]))
    assert r.status_code == 422 and r.json()["rule_id"] in {"PLAN-7", "NAT-12"} and r.json()["field"] == "levels"


def test_another_orgs_site_cannot_be_used_in_a_session_ORG_4(plan_draft, org_admin, site_b):
    r = call(client_for(org_admin), "post", f"/plans/{plan_draft.pk}/sessions", session_body(site_b))
    assert r.status_code == 422 and r.json()["field"] == "site_id"


def test_a_state_error_is_a_409(plan_draft, org_admin):
    r = call(client_for(org_admin), "post", f"/plans/{plan_draft.pk}/confirm")
    assert r.status_code == 409 and r.json()["code"] == "plan_bad_state"


def test_only_the_centre_accepts_a_plan(plan_draft, org_admin):
    org = client_for(org_admin)
    call(org, "post", f"/plans/{plan_draft.pk}/submit")
    r = call(org, "post", f"/plans/{plan_draft.pk}/accept")
    assert r.status_code == 403 and r.json()["code"] == "centre_only"


# -- tenancy (ORG-4) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"contact_phone": "110"}),
        ("post", "/submit", None),
        ("post", "/withdraw", {"reason": "试图撤回别人的计划"}),
        ("get", "/timeline", None),
        ("get", "/filing-form.pdf", None),
        ("get", "/filing-form.xlsx", None),
    ],
)
def test_org_a_gets_404_for_org_b_plan_ORG_4(plan_b, org_admin, method, suffix, body):
    r = call(client_for(org_admin), method, f"/plans/{plan_b.pk}{suffix}", body)
    assert r.status_code == 404
    assert r.json() == {"code": "not_found", "message": "未找到该记录，或您无权查看。"}
    plan_b.refresh_from_db()
    assert plan_b.status == PlanStatus.DRAFT and plan_b.contact_phone == "13800001111"


def test_org_a_gets_404_for_org_b_sessions_and_change_requests_ORG_4(plan_b, plan_draft, org_admin, site_a):
    org = client_for(org_admin)
    other = plan_b.sessions.first()
    # Org B's session through org A's own plan is still not found.
    assert call(org, "delete", f"/plans/{plan_draft.pk}/sessions/{other.pk}").status_code == 404
    assert call(org, "put", f"/plans/{plan_b.pk}/sessions/{other.pk}", session_body(site_a)).status_code == 404
    assert plan_b.sessions.count() == 2


def test_a_missing_plan_and_an_absurd_id_are_404_not_500_ORG_4(plan_draft, org_admin):
    org = client_for(org_admin)
    assert call(org, "get", "/plans/999999").status_code == 404
    assert call(org, "get", f"/plans/{2**70}").status_code in (404, 422)
    assert call(org, "get", "/plans/abc").status_code in (404, 422)


def test_a_district_lists_only_plans_of_its_district_ORG_4(plan_draft, plan_b, district_officer, haidian_officer):
    chaoyang = call(client_for(district_officer), "get", "/plans").json()
    assert [p["id"] for p in chaoyang["items"]] == [plan_draft.pk] and chaoyang["count"] == 1
    haidian = call(client_for(haidian_officer), "get", "/plans").json()
    assert [p["id"] for p in haidian["items"]] == [plan_b.pk]
    assert call(client_for(district_officer), "get", f"/plans/{plan_b.pk}").status_code == 404


def test_a_district_sees_a_plan_held_at_a_site_in_its_district_ORG_4(plan_b, org_b, org_b_admin, district_officer):
    """Org B is registered in Haidian; a session at a Chaoyang site makes Chaoyang see the plan."""
    chaoyang_site = f.site(org_b, "海淀电力朝阳分考点", "朝阳区")
    plan = f.plan(
        actor=org_b_admin,
        org=org_b,
        site=chaoyang_site,
        first_date=T + dt.timedelta(days=5),
        occupation_code="6-31-01-03",
        levels={5: 20},
    )
    ids = [p["id"] for p in call(client_for(district_officer), "get", "/plans").json()["items"]]
    assert ids == [plan.pk]


def test_the_centre_lists_every_plan_and_filters_them(plan_draft, plan_b, centre_admin):
    centre = client_for(centre_admin)
    assert call(centre, "get", "/plans").json()["count"] == 2
    assert [p["id"] for p in call(centre, "get", "/plans?occupation=6-31-01-03").json()["items"]] == [plan_b.pk]
    assert call(centre, "get", "/plans?status=submitted").json()["count"] == 0
    r = call(centre, "get", "/plans?status=nonsense")
    assert r.status_code == 422 and r.json()["field"] == "status"


# -- API tokens --------------------------------------------------------------------------------------------


def _token(org_admin) -> tuple[int, str]:
    r = call(client_for(org_admin), "post", "/tokens", {"name": "报名系统对接"})
    assert r.status_code == 201, r.json()
    return r.json()["id"], r.json()["key"]


def test_an_org_token_works_with_bearer_and_sees_only_its_org_ORG_4(plan_draft, plan_b, org_admin, site_a):
    _, key = _token(org_admin)
    bearer = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")
    listed = call(bearer, "get", "/plans").json()
    assert [p["id"] for p in listed["items"]] == [plan_draft.pk]
    assert call(bearer, "get", f"/plans/{plan_b.pk}").status_code == 404
    # Writes need no CSRF token with a bearer token, and act for the organisation.
    r = call(bearer, "post", "/plans", plan_body())
    assert r.status_code == 201, r.json()
    assert BatchPlan.objects.get(pk=r.json()["id"]).org_id == plan_draft.org_id
    me = call(bearer, "get", "/me").json()
    assert me["via_token"] is True and me["party"]["id"] == plan_draft.org_id


def test_a_revoked_token_gets_401(plan_draft, org_admin):
    token_id, key = _token(org_admin)
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert call(bearer, "get", "/plans").status_code == 200
    assert call(client_for(org_admin), "delete", f"/tokens/{token_id}").status_code == 204
    r = call(bearer, "get", "/plans")
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated" and "令牌" in r.json()["message"]
    assert call(bearer, "post", f"/plans/{plan_draft.pk}/submit").status_code == 401


def test_a_made_up_token_gets_401_and_no_login_gets_401(db):
    assert call(Client(HTTP_AUTHORIZATION="Bearer kw_deadbeef_nothing"), "get", "/plans").status_code == 401
    assert call(Client(HTTP_AUTHORIZATION="Bearer "), "get", "/plans").status_code == 401
    r = call(Client(), "get", "/plans")
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"


def test_a_session_write_needs_the_csrf_token(plan_draft, org_admin):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(org_admin.user)
    assert call(browser, "get", f"/plans/{plan_draft.pk}").status_code == 200
    r = call(browser, "post", f"/plans/{plan_draft.pk}/submit")
    assert r.status_code == 403 and r.json()["code"] == "csrf_failed"
    plan_draft.refresh_from_db()
    assert plan_draft.status == PlanStatus.DRAFT


# -- malformed input: 422 naming the field, never 500 --------------------------------------------------------


def test_a_missing_field_is_a_422_naming_it(frozen, org_admin):
    body = plan_body()
    del body["contact_name"]
    r = call(client_for(org_admin), "post", "/plans", body)
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_input" and r.json()["field"] == "contact_name"
    assert "contact_name" in r.json()["message"]


def test_a_wrong_type_is_a_422_naming_it(frozen, org_admin):
    r = call(client_for(org_admin), "post", "/plans", plan_body(levels=[{"level": 5, "headcount": "很多"}]))
    assert r.status_code == 422 and r.json()["field"] == "levels.0.headcount"
    assert "整数" in r.json()["message"]


def test_a_bad_date_string_is_a_422_naming_it(plan_draft, org_admin, site_a):
    r = call(client_for(org_admin), "post", f"/plans/{plan_draft.pk}/sessions", session_body(site_a, date="2026-13-45"))
    assert r.status_code == 422 and r.json()["field"] == "date"
    assert plan_draft.sessions.count() == 2


def test_a_body_that_is_not_json_is_a_400_and_a_wrong_shape_a_422(frozen, org_admin):
    client = client_for(org_admin)
    r = client.post("/api/v1/plans", data="{not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "body" and r.json()["code"] == "malformed_body"
    assert "JSON" in r.json()["message"]
    r = client.post("/api/v1/plans", data=b"\xff\xfe", content_type="application/json")
    assert r.status_code == 400
    r = client.post("/api/v1/plans", data="[1, 2]", content_type="application/json")
    assert r.status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {},
        None,
        plan_body(levels=[]),
        plan_body(levels=[{"level": 9, "headcount": 1}]),
        plan_body(levels=[{"level": 5, "headcount": 10}, {"level": 5, "headcount": 3}]),
        plan_body(levels=[{"level": 5, "headcount": 10**30}]),
        plan_body(levels="五级20人"),
        plan_body(occupation="9-99-99-99"),
        plan_body(occupation=12),
        plan_body(work_type_id=10**20),
        plan_body(contact_name="李" * 31),
        plan_body(contact_name="李\x00敏"),
        plan_body(colour="red"),
    ],
)
def test_malformed_plan_bodies_are_422_never_500(frozen, org_admin, org_a, body):
    client = client_for(org_admin)
    r = client.post("/api/v1/plans", data=body if body is not None else "", content_type="application/json")
    assert r.status_code == 422, r.content
    assert r.json()["message"] and r.json()["field"]
    assert not org_a.batch_plans.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"site_id": 10**25},
        {"site_id": "朝阳考点"},
        {"subject": "music"},
        {"method": "telepathy"},
        {"start_time": "25:00"},
        {"start_time": "08:30+08:00"},
        {"date": "9999-12-31"},
        {"date": 20261202},
    ],
)
def test_malformed_session_bodies_are_422_never_500(plan_draft, org_admin, site_a, overrides):
    r = call(client_for(org_admin), "post", f"/plans/{plan_draft.pk}/sessions", session_body(site_a, **overrides))
    assert r.status_code == 422, r.content
    assert r.json()["field"]
    assert plan_draft.sessions.count() == 2


ODD_VALUES = [None, "", " ", [], {}, -1, 0, 1.5, True, "x" * 5000, "\x00", 10**30, "2026-02-30", "25:61", {"a": 1}]


def test_every_field_of_every_plan_body_survives_odd_values_without_a_500(plan_draft, org_admin, site_a):
    """A small fuzz in the spirit of schema-driven fuzzing: each field replaced by odd JSON values."""
    client = client_for(org_admin)
    skill = plan_draft.sessions.get(subject="skill")
    bodies = [
        ("post", "/plans", plan_body()),
        (
            "patch",
            f"/plans/{plan_draft.pk}",
            {"contact_phone": "13900002222", "levels": [{"level": 5, "headcount": 20}]},
        ),
        ("post", f"/plans/{plan_draft.pk}/sessions", session_body(site_a, date=(T + dt.timedelta(days=5)).isoformat())),
        (
            "put",
            f"/plans/{plan_draft.pk}/sessions/{skill.pk}",
            session_body(site_a, subject="skill", method="practical"),
        ),
        ("post", f"/plans/{plan_draft.pk}/withdraw", {"reason": "测试"}),
    ]
    for method, path, body in bodies:
        for name in body:
            for value in ODD_VALUES:
                r = call(client, method, path, {**body, name: value})
                assert r.status_code < 500, (method, path, name, value, r.content[:300])
                assert "code" in r.json() or r.status_code in (200, 201)
        for whole in ([], "plan", 1, None):
            r = client.generic(
                method.upper(), f"/api/v1{path}", data=json.dumps(whole), content_type="application/json"
            )
            assert r.status_code < 500, (method, path, whole)


def test_an_end_before_the_start_is_refused_PLAN_9(plan_draft, org_admin, site_a):
    body = session_body(site_a, subject="skill", method="practical", start_time="11:00", end_time="09:00")
    body["date"] = (T + dt.timedelta(days=2)).isoformat()
    r = call(client_for(org_admin), "post", f"/plans/{plan_draft.pk}/sessions", body)
    assert r.status_code == 422 and r.json()["rule_id"] == "PLAN-9"


# -- lists: query counts, OpenAPI ----------------------------------------------------------------------------


def test_listing_plans_costs_the_same_queries_for_one_and_three_plans(plan_draft, org_admin, org_a, site_a):
    client = client_for(org_admin)
    one = queries_of_get(client, "/api/v1" + "/plans")
    for days in (40, 50):
        f.plan(actor=org_admin, org=org_a, site=site_a, first_date=TODAY + dt.timedelta(days=days))
    assert call(client, "get", "/plans").json()["count"] == 3
    assert queries_of_get(client, "/api/v1" + "/plans") == one


def test_listing_change_requests_notices_and_annual_plans_has_fixed_query_counts(plan_draft, org_admin, centre_admin):
    client = client_for(centre_admin)
    for path in ("/change-requests", "/notices", "/annual-plans"):
        first = queries_of_get(client, "/api/v1" + path)
        assert queries_of_get(client, "/api/v1" + path) == first


def test_openapi_lists_the_plan_endpoints(db):
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in ("/api/v1/plans", "/api/v1/plans/{plan_id}", "/api/v1/plans/{plan_id}/submit", "/api/v1/inbox"):
        assert path in paths
    assert "post" in paths["/api/v1/plans"]


# -- filing form, annual plans, notices, inbox ---------------------------------------------------------------


def test_the_filing_form_downloads_for_the_own_plan(plan_draft, org_admin):
    client = client_for(org_admin)
    pdf = call(client, "get", f"/plans/{plan_draft.pk}/filing-form.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    xlsx = call(client, "get", f"/plans/{plan_draft.pk}/filing-form.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_an_annual_plan_is_saved_and_submitted_PLAN_1(frozen, org_admin, org_b_admin, centre_admin):
    org = client_for(org_admin)
    body = {
        "year": 2027,
        "note": "按季度组织。",
        "lines": [{"occupation": "4-10-04-02", "level": 5, "batches": 4, "headcount": 120, "months": "3、6、9、12"}],
    }
    r = call(org, "post", "/annual-plans", body)
    assert r.status_code == 201, r.json()
    plan = r.json()
    assert plan["deadline"] == "2026-11-30" and plan["lines"][0]["occupation"]["code"] == "4-10-04-02"
    r = call(org, "post", f"/annual-plans/{plan['id']}/submit")
    assert r.status_code == 200 and r.json()["status"] == "submitted" and r.json()["late"] is False
    assert call(client_for(org_b_admin), "post", f"/annual-plans/{plan['id']}/submit").status_code == 404
    assert call(client_for(org_b_admin), "get", "/annual-plans").json()["count"] == 0
    assert call(client_for(centre_admin), "get", "/annual-plans").json()["count"] == 1


def test_annual_plan_lines_outside_the_scope_or_repeated_are_refused(frozen, org_admin):
    org = client_for(org_admin)
    line = {"occupation": "4-10-04-02", "level": 1, "batches": 1, "headcount": 20}
    r = call(org, "post", "/annual-plans", {"year": 2027, "lines": [line]})
    assert r.status_code == 422 and r.json()["rule_id"] in {"PLAN-7", "NAT-12"}
    line["level"] = 5
    r = call(org, "post", "/annual-plans", {"year": 2027, "lines": [line, line]})
    assert r.status_code == 422 and r.json()["field"] == "lines"


def test_a_quarterly_announcement_is_published_and_shown_to_the_public(frozen, org_admin, org_b_admin):
    org = client_for(org_admin)
    r = call(
        org, "post", "/notices", {"kind": "quarterly", "year": 2027, "quarter": 1, "title": "2027年第一季度认定公告"}
    )
    assert r.status_code == 201, r.json()
    notice_id = r.json()["id"]
    r = call(
        org, "patch", f"/notices/{notice_id}", {"registration_period": "2027年1月4日至1月15日", "fees": "五级 200元"}
    )
    assert r.status_code == 200 and r.json()["fees"] == "五级 200元" and r.json()["title"] == "2027年第一季度认定公告"
    assert call(client_for(org_b_admin), "patch", f"/notices/{notice_id}", {"fees": "0"}).status_code == 404
    assert call(Client(), "get", "/public/notices").json()["count"] == 0
    r = call(org, "post", f"/notices/{notice_id}/publish")
    assert r.status_code == 200 and r.json()["status"] == "published"
    public = call(Client(), "get", "/public/notices").json()
    assert [n["id"] for n in public["items"]] == [notice_id] and "late" not in public["items"][0]


def test_an_annual_notice_is_submitted_by_the_org_and_published_by_the_centre_PLAN_2(frozen, org_admin, centre_admin):
    org, centre = client_for(org_admin), client_for(centre_admin)
    r = call(org, "post", "/notices", {"kind": "annual", "year": 2027, "title": "2027年度认定通知"})
    notice_id = r.json()["id"]
    assert r.json()["quarter"] is None
    assert call(org, "post", f"/notices/{notice_id}/publish").status_code == 403
    assert call(org, "post", f"/notices/{notice_id}/submit").json()["status"] == "submitted"
    assert [n["id"] for n in call(centre, "get", "/inbox").json()["notices"]] == [notice_id]
    assert call(centre, "post", f"/notices/{notice_id}/publish").json()["status"] == "published"
    assert Notice.objects.get(pk=notice_id).published_at is not None


def test_a_notice_with_an_unknown_kind_is_a_422(frozen, org_admin):
    r = call(client_for(org_admin), "post", "/notices", {"kind": "weekly", "year": 2027, "title": "周公告"})
    assert r.status_code == 422 and r.json()["field"] == "kind"


def test_only_the_centre_has_an_inbox(plan_draft, org_admin, district_officer):
    assert call(client_for(org_admin), "get", "/inbox").status_code == 403
    assert call(client_for(district_officer), "get", "/inbox").status_code == 403


def test_a_change_request_is_rejected_with_a_note(plan_draft, org_admin, centre_admin, site_a):
    org, centre = client_for(org_admin), client_for(centre_admin)
    call(org, "post", f"/plans/{plan_draft.pk}/submit")
    call(centre, "post", f"/plans/{plan_draft.pk}/accept")
    skill = plan_draft.sessions.get(subject="skill")
    body = {
        "new_date": (T + dt.timedelta(days=2)).isoformat(),
        "new_start_time": "09:00",
        "new_end_time": "11:00",
        "new_site_id": site_a.pk,
        "reason": "暴雨红色预警。",
    }
    change_id = call(org, "post", f"/plans/{plan_draft.pk}/sessions/{skill.pk}/change-requests", body).json()["id"]
    assert call(org, "post", f"/change-requests/{change_id}/approve").status_code == 403
    assert call(centre, "post", f"/change-requests/{change_id}/reject", {"note": ""}).status_code == 400
    r = call(centre, "post", f"/change-requests/{change_id}/reject", {"note": "不属于不可抗力。"})
    assert r.status_code == 200 and r.json()["status"] == ChangeStatus.REJECTED
    assert call(org, "get", "/change-requests?status=rejected").json()["count"] == 1
    skill.refresh_from_db()
    assert skill.date == T + dt.timedelta(days=1)
