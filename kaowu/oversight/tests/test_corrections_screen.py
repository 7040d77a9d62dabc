"""CORR-1 on the screens: asked from the trace, approved by another admin, applied; ID numbers masked in the list;
another organisation's correction is 404; the requester's own approval refused, nothing changed."""

from __future__ import annotations

from django.test import Client

from kaowu.oversight.enums import CorrectionStatus
from kaowu.oversight.models import Correction


def _client(actor) -> Client:
    c = Client()
    c.force_login(actor.user)
    return c


def test_correction_asked_approved_and_applied_on_the_screens_CORR_1(apps_a, org_admin, org_a_head):
    app = apps_a[0]
    trace = _client(org_admin).get("/oversight/trace/", {"candidate": app.candidate_id}).content.decode()
    assert "申请更正该考生信息" in trace
    r = _client(org_admin).post(
        "/oversight/corrections/",
        {
            "application": app.pk,
            "stage": "before",
            "field": "name",
            "value": "张伟伟",
            "reason": "身份证复印件为张伟伟",
        },
        follow=True,
    )
    assert "已提交更正申请" in r.content.decode()
    c = Correction.objects.get(application=app)
    own = _client(org_admin).post(f"/oversight/corrections/{c.pk}/approve/", follow=True)
    assert "申请人以外" in own.content.decode()  # CORR-1: another person approves
    c.refresh_from_db()
    assert c.status == CorrectionStatus.REQUESTED
    _client(org_a_head).post(f"/oversight/corrections/{c.pk}/approve/")
    done = _client(org_a_head).post(f"/oversight/corrections/{c.pk}/apply/", follow=True).content.decode()
    assert "已完成" in done and "显示旧信息的打印件" in done
    app.candidate.refresh_from_db()
    assert app.candidate.name == "张伟伟"


def test_a_correction_without_a_reason_is_refused_on_the_screen_CORR_1(apps_a, org_admin):
    r = _client(org_admin).post(
        "/oversight/corrections/",
        {"application": apps_a[0].pk, "stage": "before", "field": "name", "value": "张伟伟", "reason": ""},
        follow=True,
    )
    assert "理由" in r.content.decode() and not Correction.objects.exists()


def test_doc_numbers_are_masked_in_the_list_CORR_1(apps_a, org_admin):
    app = apps_a[0]
    old = app.candidate.doc_number
    new = "11010519491231002X"
    _client(org_admin).post(
        "/oversight/corrections/",
        {"application": app.pk, "stage": "after", "field": "doc_number", "value": new, "reason": "号码录错"},
    )
    page = _client(org_admin).get("/oversight/corrections/").content.decode()
    assert Correction.objects.count() == 1 and old not in page and new not in page and "*" in page


def test_another_organisations_correction_is_404_CORR_1(apps_a, org_admin, org_b_admin):
    _client(org_admin).post(
        "/oversight/corrections/",
        {"application": apps_a[0].pk, "stage": "before", "field": "name", "value": "张伟伟", "reason": "复印件"},
    )
    c = Correction.objects.get()
    assert _client(org_b_admin).post(f"/oversight/corrections/{c.pk}/approve/").status_code == 404
    assert "张伟伟" not in _client(org_b_admin).get("/oversight/corrections/").content.decode()
    # nor can org B ask a correction of org A's application
    r = _client(org_b_admin).post(
        "/oversight/corrections/",
        {"application": apps_a[0].pk, "stage": "before", "field": "name", "value": "李四", "reason": "x"},
    )
    assert r.status_code == 404 and Correction.objects.count() == 1
