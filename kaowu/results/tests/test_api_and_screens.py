"""API and screens: tenancy (another organisation gets 404), refusals as 422 JSON with the rule, the public
publicity page (no login, masked, nothing of another plan), the candidate's own scores in the portal."""

from __future__ import annotations

import pytest
from django.test import Client

from kaowu.results.models import Result
from kaowu.results.services import publicity as pub
from kaowu.results.services.compute import compute_results
from kaowu.results.tests.conftest import marked


@pytest.fixture
def published(exam_done, apps_a, org_admin):
    a, b, c = apps_a
    marked(
        exam_done,
        org_admin,
        {a: {"theory": "80", "skill": "70"}, b: {"theory": "59.99", "skill": "90"}, c: {"theory": None, "skill": None}},
    )
    compute_results(actor=org_admin, plan=exam_done)
    pub.publish_results(actor=org_admin, plan=exam_done)
    return exam_done


def client_of(actor) -> Client:
    c = Client()
    c.force_login(actor.user)
    return c


def test_the_organisation_reads_its_results_by_api_SCORE_3(api, published, org_admin):
    r = api(org_admin).get(f"/plans/{published.pk}/results")
    assert r.status_code == 200
    body = r.json()
    assert [x["outcome"] for x in body] == ["passed", "failed", "absent"]
    assert body[1]["scores"] == {"theory": "59.99", "skill": "90.00"}


def test_another_organisation_gets_404_by_api_and_screen_SCORE_4(api, published, org_b_admin):
    assert api(org_b_admin).get(f"/plans/{published.pk}/results").status_code == 404
    assert api(org_b_admin).get(f"/plans/{published.pk}/results/statistics").status_code == 404
    assert api(org_b_admin).post(f"/plans/{published.pk}/results/compute").status_code == 404
    result = Result.objects.filter(plan=published).first()
    assert api(org_b_admin).post(f"/results/{result.pk}/confirm").status_code == 404
    assert client_of(org_b_admin).get(f"/results/plans/{published.pk}/").status_code == 404
    assert client_of(org_b_admin).get(f"/results/plans/{published.pk}/roster.pdf").status_code == 404


def test_publishing_before_marking_answers_422_with_the_rule_SCORE_4(api, exam_done, org_admin):
    r = api(org_admin).post(f"/plans/{exam_done.pk}/results/publicity", {"days": 7})
    assert r.status_code == 422
    body = r.json()
    assert body["rule_id"] == "SCORE-2" and body["citation"] and body["code"]


def test_a_score_of_101_by_api_answers_422_SCORE_1(api, exam_done, apps_a, org_admin):
    from kaowu.results.tests.conftest import file_rules

    file_rules(exam_done, org_admin)
    r = api(org_admin).post(
        f"/plans/{exam_done.pk}/scores/entries", {"application_id": apps_a[0].pk, "subject": "theory", "value": "101"}
    )
    assert r.status_code == 422 and r.json()["rule_id"] == "SCORE-1"


def test_the_public_page_masks_names_and_ids_and_shows_nothing_of_another_plan_SCORE_4(
    plan_b, org_b_admin, published, apps_a
):
    from kaowu.kernel import clock
    from kaowu.registration.models import Application
    from kaowu.results.models import Publicity
    from tests import factories as f

    other = Application.objects.create(
        candidate=f.candidate(50, name="欧阳明远"),
        plan=plan_b,
        level=5,
        standard=plan_b.standard,
        status="approved",
        created_at=clock.now(),
    )
    Result.objects.create(
        application=other, plan=plan_b, outcome="passed", computed_at=clock.now(), published_at=clock.now()
    )
    Publicity.objects.create(plan=plan_b, starts_at=clock.now(), ends_at=clock.now(), published_by=org_b_admin.user)
    page = Client().get(f"/results/public/{published.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    for app in apps_a:
        c = app.candidate
        assert c.doc_number not in html and c.name not in html
        assert c.doc_number[:3] + "*" * 11 + c.doc_number[-4:] in html
        assert c.name[0] + "*" * (len(c.name) - 2) + c.name[-1] in html
    assert other.candidate.doc_number[-4:] not in html
    assert other.candidate.name[0] + "*" * (len(other.candidate.name) - 2) + other.candidate.name[-1] not in html
    assert "59.99" in html and "合格" in html
    api_page = Client().get(f"/api/v1/public/results/{published.pk}")
    assert api_page.status_code == 200 and len(api_page.json()["rows"]) == 3
    assert Client().get("/results/public/999999/").status_code == 404


def test_the_public_page_costs_the_same_queries_for_3_and_5_rows_SCORE_4(published, count_queries):
    from kaowu.kernel import clock
    from kaowu.registration.models import Application
    from tests import factories as f

    three = count_queries(Client(), f"/results/public/{published.pk}/")
    for n in (60, 61):  # results are kept (ARCH-1): rows are added, never deleted
        app = Application.objects.create(
            candidate=f.candidate(n),
            plan=published,
            level=5,
            standard=published.standard,
            status="approved",
            created_at=clock.now(),
        )
        Result.objects.create(application=app, plan=published, outcome="failed", computed_at=clock.now())
    assert count_queries(Client(), f"/results/public/{published.pk}/") == three


def test_the_candidate_sees_their_own_scores_in_the_portal_SCORE_4(published, apps_a, candidate_actor):
    from kaowu.registration.models import Application, Candidate

    Application.objects.filter(pk=apps_a[1].pk).update(candidate=Candidate.objects.get(user=candidate_actor.user))
    page = client_of(candidate_actor).get("/portal/results/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "59.99" in html and "不合格" in html
    assert "80.00" not in html  # another candidate's score
    mine = Client()
    mine.force_login(candidate_actor.user)
    r = mine.get("/api/v1/portal/results")
    assert r.status_code == 200 and [x["application_id"] for x in r.json()] == [apps_a[1].pk]


def test_the_candidate_requests_a_review_in_the_portal_SCORE_4(published, apps_a, candidate_actor):
    from kaowu.registration.models import Application, Candidate
    from kaowu.results.models import ReviewRequest

    Application.objects.filter(pk=apps_a[1].pk).update(candidate=Candidate.objects.get(user=candidate_actor.user))
    result = Result.objects.get(application=apps_a[1])
    client_of(candidate_actor).post(
        "/portal/results/", {"result": result.pk, "action": "review", "subject": "theory", "reason": "理论成绩偏低"}
    )
    assert ReviewRequest.objects.filter(application=apps_a[1], subject="theory").count() == 1
    other = Result.objects.get(application=apps_a[0])
    client_of(candidate_actor).post(
        "/portal/results/", {"result": other.pk, "action": "review", "subject": "theory", "reason": "别人的"}
    )
    assert not ReviewRequest.objects.filter(application=apps_a[0]).exists()


def test_the_organisation_screen_shows_results_and_statistics_SCORE_3(published, org_admin):
    page = client_of(org_admin).get(f"/results/plans/{published.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "合格率" in html and "59.99" in html and "缺考" in html


def test_two_markers_enter_a_score_on_the_marking_screen_SCORE_2(frozen, arranged_plan, org_admin, markers):
    from kaowu.arrangement.models import AdmissionTicket
    from kaowu.results.models import Score
    from kaowu.results.tests.conftest import after_exam, file_rules, spine_to_exam

    spine_to_exam(arranged_plan)
    after_exam(frozen, arranged_plan)
    file_rules(arranged_plan, org_admin)
    ticket = AdmissionTicket.objects.filter(plan=arranged_plan).first()
    url = f"/results/plans/{arranged_plan.pk}/marking/"
    assert client_of(markers[0][0]).get(url).status_code == 200
    body = {"ticket": ticket.number, "subject": "theory", "value": "66.5"}
    page = client_of(markers[0][0]).post(url, body, follow=True)
    assert (
        "等待另一人" in page.content.decode() and "66.5" not in page.content.decode().split("录入</button>")[0][-200:]
    )
    client_of(markers[1][0]).post(url, body)
    assert Score.objects.get(application=ticket.application, subject="theory").value == 66.5
    page = client_of(markers[2][0]).post(url, {**body, "value": "101"}, follow=True)
    assert "0–100" in page.content.decode() or "超出" in page.content.decode()
    assert Score.objects.filter(application=ticket.application).count() == 1


def test_a_review_answered_and_its_correction_approved_by_api_with_the_history_SCORE_4(
    api, published, apps_a, org_admin, exam_affairs, markers
):
    from kaowu.results.models import Score
    from kaowu.results.services import reviews

    b = apps_a[1]
    review = reviews.request_review(actor=org_admin, application=b, subject="theory", reason="漏判")
    r = api(exam_affairs).post(
        f"/reviews/{review.pk}/answer",
        {"rechecked_by": markers[1][0].user.pk, "outcome": "changed", "note": "第5题漏判", "new_value": "60"},
    )
    assert r.status_code == 200, r.content
    correction_id = r.json()["correction_id"]
    assert api(exam_affairs).post(f"/score-corrections/{correction_id}/approve").status_code == 403
    ok = api(org_admin).post(f"/score-corrections/{correction_id}/approve")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert Result.objects.get(application=b).outcome == "passed"
    history = api(org_admin).get(f"/plans/{published.pk}/scores/history").json()
    assert [(h["version"], h["value"], h["current"]) for h in history] == [(1, "59.99", False), (2, "60.00", True)]
    assert Score.objects.filter(application=b, subject="theory").count() == 2
    page = client_of(org_admin).get(f"/results/plans/{published.pk}/")
    assert "成绩版本历史" in page.content.decode()
    printed = client_of(org_admin).get(f"/results/plans/{published.pk}/history.pdf")
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF")


def test_another_organisation_cannot_approve_a_correction_SCORE_4(api, published, apps_a, exam_affairs, org_b_admin):
    from kaowu.results.models import Score
    from kaowu.results.services import scores

    s = Score.objects.get(application=apps_a[1], subject="theory")
    c = scores.request_correction(actor=exam_affairs, score=s, value="61", reason="合分有误，复核")
    assert api(org_b_admin).post(f"/score-corrections/{c.pk}/approve").status_code == 404


def test_the_candidate_registers_a_complaint_by_api_SCORE_4(api, published, apps_a, candidate_actor):
    from kaowu.registration.models import Application, Candidate
    from kaowu.results.models import Complaint

    Application.objects.filter(pk=apps_a[1].pk).update(candidate=Candidate.objects.get(user=candidate_actor.user))
    mine = Result.objects.get(application=apps_a[1])
    r = api(candidate_actor).post(f"/results/{mine.pk}/complaints", {"text": "对理论成绩有异议，要求说明"})
    assert r.status_code == 200 and Complaint.objects.count() == 1
    other = Result.objects.get(application=apps_a[0])
    assert api(candidate_actor).post(f"/results/{other.pk}/complaints", {"text": "别人的结果"}).status_code == 404


def test_the_district_reads_its_organisations_results_and_another_district_does_not_SCORE_3(
    api, published, district_officer, haidian_officer
):
    r = api(district_officer).get(f"/plans/{published.pk}/results")
    assert r.status_code == 200 and len(r.json()) == 3
    assert api(district_officer).get(f"/plans/{published.pk}/results/statistics").json()["total"] == 3
    assert api(haidian_officer).get(f"/plans/{published.pk}/results").status_code == 404
    assert api(district_officer).post(f"/plans/{published.pk}/results/compute").status_code == 403
