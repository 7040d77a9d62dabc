"""The screens: the statistics dashboard (SUP-3) with its charts, filters, XLSX and a query count independent of
the data; the numbers agree with the rosters; the public complaint page (SUP-2); the supervisor's form (NAT-17);
the compliance report's JSON and PDF; the trace (ARCH-1)."""

from __future__ import annotations

import io

from django.test import Client

from kaowu.certificates.models import RosterRow
from kaowu.oversight.services import supervision as sup


def _client(actor):
    c = Client()
    c.force_login(actor.user)
    return c


def test_dashboard_shows_charts_and_numbers_that_agree_with_the_roster_SUP_3(issued_plan, district_officer):
    response = _client(district_officer).get("/oversight/dashboard/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<svg") >= 4 and "各机构合格率" in body
    data = response.context["data"]
    org = data["groups"]["org"][0]
    assert org["passed"] == RosterRow.objects.filter(roster__plan=issued_plan).count() == 2
    assert org["candidates"] == 3 and org["pass_rate"] == round(200 / 3, 1)


def test_dashboard_query_count_does_not_grow_with_the_data_SUP_3(
    apps_b, issued_plan, centre_admin, org_a, count_queries
):
    from kaowu.kernel import clock
    from kaowu.registration.models import Application
    from kaowu.results.models import Result
    from tests import factories as f

    client = _client(centre_admin)
    few = count_queries(client, f"/oversight/dashboard/?org={org_a.pk}")  # one organisation, one plan, 3 rows
    for n in range(200, 210):  # ten more candidates with results, and org B's plan in view
        app = Application.objects.create(
            candidate=f.candidate(n),
            plan=issued_plan,
            level=5,
            standard=issued_plan.standard,
            status="approved",
            created_at=clock.now(),
        )
        Result.objects.create(application=app, plan=issued_plan, outcome="passed", computed_at=clock.now())
    many = count_queries(client, "/oversight/dashboard/")
    assert many == few
    assert "海淀电力" in client.get("/oversight/dashboard/").content.decode()


def test_dashboard_of_a_district_leaves_out_other_districts_SUP_3(apps_a, apps_b, district_officer, haidian_officer):
    chaoyang = _client(district_officer).get("/oversight/dashboard/").context["data"]["groups"]["org"]
    haidian = _client(haidian_officer).get("/oversight/dashboard/").context["data"]["groups"]["org"]
    assert [r["label"] for r in chaoyang] == ["成人按摩"]
    assert [r["label"] for r in haidian] == ["海淀电力"]


def test_dashboard_filters_and_xlsx_export_SUP_3(issued_plan, centre_admin, org_a):
    from openpyxl import load_workbook

    client = _client(centre_admin)
    response = client.get(f"/oversight/dashboard.xlsx?org={org_a.pk}&level=5")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb["汇总"]["A2"].value == 3 and "按机构" in wb.sheetnames
    empty = client.get("/oversight/dashboard/?level=1").context["data"]["totals"]
    assert empty["candidates"] == 0
    assert client.get("/oversight/dashboard/?from=bad").status_code == 302  # refused with what to do


def test_site_staff_and_candidates_do_not_see_the_dashboard_SUP_3(examiner, candidate_actor):
    for actor in (examiner, candidate_actor):
        assert _client(actor).get("/oversight/dashboard/").status_code == 403


def test_compliance_json_and_pdf_and_the_overview_for_the_centre_SUP_3(issued_plan, centre_admin, org_b_admin):
    client = _client(centre_admin)
    data = client.get(f"/oversight/plans/{issued_plan.pk}/compliance.json").json()
    assert data["checks"] and data["digest"]
    pdf = client.get(f"/oversight/plans/{issued_plan.pk}/compliance.pdf")
    assert pdf.content.startswith(b"%PDF")
    overview = client.get("/oversight/compliance/")
    assert overview.status_code == 200 and str(issued_plan) in overview.content.decode()
    assert _client(org_b_admin).get(f"/oversight/plans/{issued_plan.pk}/compliance.json").status_code == 404


def test_public_complaint_page_refuses_a_wrong_attachment_and_keeps_the_text_SUP_2(org_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kaowu.oversight.models import Complaint

    client = Client()
    form = {
        "kind": "report",
        "org": org_a.pk,
        "complainant_name": "匿名",
        "contact": "x@example.com",
        "subject": "代考",
        "body": "有人代考",
    }
    bad = client.post("/complaints/", {**form, "attachments": SimpleUploadedFile("a.docx", b"PK\x03\x04")})
    assert bad.status_code == 422 and "PDF" in bad.content.decode() and "有人代考" in bad.content.decode()
    assert not Complaint.objects.exists()
    ok = client.post("/complaints/", {**form, "attachments": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")})
    case = Complaint.objects.get()
    assert case.number in ok.content.decode()
    found = client.get(f"/complaints/lookup/?number={case.number}&code={case.access_code}")
    assert "代考" in found.content.decode()


def test_supervisor_form_saves_checklist_and_signs_NAT_17(confirmed_plan, district_officer):
    from kaowu.oversight.models import SupervisionRecord

    supervisor = sup.register_supervisor(
        actor=district_officer, kind="external", name="韩督导", card_number="DD-1", doc_number=""
    )
    record = sup.assign_supervisor(
        actor=district_officer, session=confirmed_plan.sessions.first(), supervisor=supervisor
    )
    client = _client(district_officer)
    assert client.get(f"/oversight/supervision/{record.pk}/").status_code == 200
    form = {f"c_{k}": "yes" for k in sup.CHECK_KEYS}
    form.update(on_site_at="2026-12-02T08:00", off_site_at="2026-12-02T11:30", signature="韩督导", action="sign")
    client.post(f"/oversight/supervision/{record.pk}/", form)
    record = SupervisionRecord.objects.get(pk=record.pk)
    assert record.status == "signed" and len(record.checklist) == len(sup.CHECK_KEYS)


def test_trace_screen_from_a_certificate_number_ARCH_1(cert_a, org_admin, org_b_admin):
    assert "成人按摩" in _client(org_admin).get(f"/oversight/trace/?certificate={cert_a.number}").content.decode()
    assert _client(org_b_admin).get(f"/oversight/trace/?certificate={cert_a.number}").status_code == 404


def test_supervision_list_costs_the_same_queries_for_one_and_three_records_NAT_17(
    confirmed_plan, district_officer, count_queries
):
    client = _client(district_officer)
    people = [
        sup.register_supervisor(
            actor=district_officer, kind="external", name=f"督导{n}", card_number=f"D{n}", doc_number=""
        )
        for n in range(3)
    ]
    session = confirmed_plan.sessions.first()
    sup.assign_supervisor(actor=district_officer, session=session, supervisor=people[0])
    one = count_queries(client, "/oversight/supervision/")
    for p in people[1:]:
        sup.assign_supervisor(actor=district_officer, session=session, supervisor=p)
    assert count_queries(client, "/oversight/supervision/") == one
    assert "督导2" in client.get("/oversight/supervision/").content.decode()


def test_complaint_register_costs_the_same_queries_for_one_and_three_cases_SUP_2(
    org_a, district_officer, count_queries
):
    from kaowu.oversight.services import complaints

    def case():
        complaints.submit_complaint(
            actor=complaints.PUBLIC,
            org=org_a,
            kind="consultation",
            complainant_name="x",
            contact="x",
            subject="s",
            body="b",
        )

    client = _client(district_officer)
    case()
    one = count_queries(client, "/oversight/complaints/")
    case()
    case()
    assert count_queries(client, "/oversight/complaints/") == one


def test_archive_screen_files_at_a_fixed_place_and_prepares_a_list_ARCH_1(org_admin, org_b_admin, count_queries):
    from kaowu.oversight.models import ArchiveEntry, DisposalList, RecordKind

    client = _client(org_admin)
    kind = RecordKind.objects.get(label="exams.roomrecord")
    refused = client.post(
        "/oversight/archives/", {"action": "file", "kind": kind.pk, "description": "记录单", "location": ""}
    )
    assert refused.status_code == 302 and not ArchiveEntry.objects.exists()
    client.post(
        "/oversight/archives/", {"action": "file", "kind": kind.pk, "description": "记录单", "location": "档案室"}
    )
    one = count_queries(client, "/oversight/archives/")
    for n in range(2):
        client.post(
            "/oversight/archives/",
            {"action": "file", "kind": kind.pk, "description": f"记录单{n}", "location": "档案室"},
        )
    assert count_queries(client, "/oversight/archives/") == one
    client.get("/oversight/archives/?prepare=1")
    assert DisposalList.objects.filter(org_id=org_admin.org_id).exists()
    assert "档案室" not in _client(org_b_admin).get("/oversight/archives/").content.decode()
