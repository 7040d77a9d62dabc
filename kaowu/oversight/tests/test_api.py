"""The oversight API: refusals answer 422 with {code, message, rule_id, citation}; reads are scoped (404 across
organisations and districts)."""

from __future__ import annotations

from kaowu.registration.models import Application


def test_deleting_a_kept_record_answers_422_with_the_rule_ARCH_1(api, apps_a, org_admin, org_b_admin):
    response = api(org_admin).delete(f"/records/registration.application/{apps_a[0].pk}")
    assert response.status_code == 422
    body = response.json()
    assert body["rule_id"] == "ARCH-1" and "第二十九条" in body["citation"] and body["message"]
    assert Application.objects.filter(pk=apps_a[0].pk).exists()
    assert api(org_b_admin).delete(f"/records/registration.application/{apps_a[0].pk}").status_code == 404


def test_correction_applied_without_approval_answers_422_CORR_1(api, apps_a, org_admin, org_a_head, org_b_admin):
    made = api(org_admin).post(
        f"/applications/{apps_a[0].pk}/corrections",
        {"stage": "during", "changes": {"name": "张伟伟"}, "reason": "证件照与登记不一致"},
    )
    assert made.status_code == 200, made.content
    pk = made.json()["id"]
    refused = api(org_admin).post(f"/corrections/{pk}/apply", {})
    assert refused.status_code == 422 and refused.json()["rule_id"] == "CORR-1"
    assert api(org_b_admin).post(f"/corrections/{pk}/approve", {}).status_code == 404
    assert api(org_a_head).post(f"/corrections/{pk}/approve", {"note": "同意"}).status_code == 200
    done = api(org_a_head).post(f"/corrections/{pk}/apply", {})
    assert done.status_code == 200 and done.json()["status"] == "applied"


def test_compliance_and_statistics_are_scoped_SUP_3(api, apps_a, district_officer, haidian_officer, open_plan):
    assert api(district_officer).get(f"/plans/{open_plan.pk}/compliance").status_code == 200
    assert api(haidian_officer).get(f"/plans/{open_plan.pk}/compliance").status_code == 404
    mine = api(district_officer).get("/oversight/statistics").json()
    assert mine["totals"]["candidates"] == 3
    assert api(haidian_officer).get("/oversight/statistics").json()["totals"]["candidates"] == 0


def test_complaints_over_the_api_received_replied_and_closed_SUP_2(
    org_a, district_officer, org_admin, org_b_admin, api
):
    body = {
        "org_id": org_a.pk,
        "kind": "complaint",
        "complainant_name": "王女士",
        "contact": "13900000000",
        "subject": "收费未公示",
        "body": "报名时收取的费用未见公示。",
    }
    made = api(district_officer).post("/oversight/complaints", body)
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert made.json()["complainant_name"] == "王女士" and made.json()["deadline"]
    r = api(district_officer).post(f"/oversight/complaints/{pk}/replies", {"text": "已联系机构核实。"})
    assert r.status_code == 200 and r.json()["replies"][0]["text"] == "已联系机构核实。"
    empty = api(district_officer).post(f"/oversight/complaints/{pk}/close", {"outcome": " "})
    assert empty.status_code in (400, 422) and "办理结果" in empty.json()["message"]
    assert api(district_officer).get(f"/oversight/complaints/{pk}").json()["status"] != "closed"
    done = api(district_officer).post(f"/oversight/complaints/{pk}/close", {"outcome": "机构已补充公示收费标准。"})
    assert done.status_code == 200 and done.json()["status"] == "closed"
    # the organisation complained about reads the case without the complainant's name; another organisation not at all
    seen = api(org_admin).get(f"/oversight/complaints/{pk}").json()
    assert seen["subject"] == "收费未公示" and seen["complainant_name"] == ""
    assert api(org_b_admin).get(f"/oversight/complaints/{pk}").status_code == 404
    assert pk not in [c["id"] for c in api(org_b_admin).get("/oversight/complaints").json()]


def test_a_complaint_without_a_subject_is_refused_and_nothing_saved_SUP_2(org_a, district_officer, api):
    from kaowu.oversight.models import Complaint

    r = api(district_officer).post(
        "/oversight/complaints",
        {"org_id": org_a.pk, "kind": "complaint", "complainant_name": "王", "contact": "1", "subject": "", "body": "x"},
    )
    assert r.status_code in (400, 422) and "事由" in r.json()["message"] and not Complaint.objects.exists()
