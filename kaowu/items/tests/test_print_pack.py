"""印制包 (DAY-3, BJ Annex 5): booklets per version, answer sheets per room, the packing list with spares, made by
the job runner with progress; the item bank's only, before sealing, each download audited; stale after a change."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.test import Client
from openpyxl import load_workbook

from kaowu.items import tasks
from kaowu.items.services import sealing
from kaowu.kernel.errors import StateError
from kaowu.kernel.models import AuditEvent, Job, JobStatus
from kaowu.policy.engine import rule


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_print_pack_holds_booklets_sheets_per_room_and_the_packing_list_DAY_3(seated_assembly, writer):
    steps = []
    state = tasks.start_print_pack(assembly=seated_assembly, actor=writer)
    assert state["status"] == "done"  # no broker in the tests: the job ran eagerly, in this process
    job = Job.objects.get(kind=tasks.KIND)
    assert job.status == JobStatus.DONE and job.done == job.total == 2 + 1 + 1  # two booklets, one room, the list
    steps.append(job.done)
    with zipfile.ZipFile(tasks.print_pack_file(seated_assembly)) as z:
        names = sorted(z.namelist())
        assert names == ["答题卡-第01考场.pdf", "装袋清单.xlsx", "试卷-A卷.pdf", "试卷-B卷.pdf"]
        assert pages(z.read("答题卡-第01考场.pdf")) == 20  # one sheet per seated candidate
        assert z.read("试卷-A卷.pdf").startswith(b"%PDF")
        ws = load_workbook(io.BytesIO(z.read("装袋清单.xlsx"))).active
    spares = rule("DAY-3")["spare_papers_per_room"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1] == ("考场", "考生数", "备用试卷", "试卷合计", "A卷", "B卷", "答题卡")
    room = rows[2]
    assert room[:4] == ("第01考场", 20, spares, 20 + spares) and room[4] + room[5] == 20 + spares and room[6] == 20
    assert rows[-1][0] == "合计" and rows[-1][3] == 20 + spares


def test_print_pack_refused_once_a_version_is_being_sealed_DAY_3(seated_assembly, writer):
    paper = seated_assembly.papers.get(version="A")
    sealing.sign_seal(actor=writer, paper=paper)  # the first of two signatures: content is closed from here on
    with pytest.raises(StateError) as exc:
        tasks.start_print_pack(assembly=seated_assembly, actor=writer)
    assert exc.value.code == "pack_after_seal" and "签封前" in exc.value.message
    assert not Job.objects.filter(kind=tasks.KIND).exists()


def test_print_pack_is_stale_after_the_seats_change(seated_assembly, writer, org_admin):
    from kaowu.arrangement import seating

    tasks.start_print_pack(assembly=seated_assembly, actor=writer)
    assert tasks.print_pack_state(seated_assembly)["status"] == "done"
    seating.seat_session(actor=org_admin, session=seated_assembly.session, seed="again")
    assert tasks.print_pack_state(seated_assembly)["status"] == "stale"
    assert tasks.print_pack_file(seated_assembly) is None


def test_the_screen_makes_the_pack_with_progress_and_audits_the_download_DAY_3(seated_assembly, writer):
    client = Client()
    client.force_login(writer.user)
    page = client.get(f"/assemblies/{seated_assembly.pk}/").content.decode()
    assert "生成印制包" in page and "第01考场" in page
    r = client.post(f"/assemblies/{seated_assembly.pk}/pack/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "下载印制包 ZIP" in r.content.decode()
    progress = client.get(f"/assemblies/{seated_assembly.pk}/pack/progress/", HTTP_HX_REQUEST="true")
    assert "下载印制包 ZIP" in progress.content.decode()
    before = AuditEvent.objects.filter(action="items.print_pack.content_viewed").count()
    r = client.get(f"/assemblies/{seated_assembly.pk}/pack.zip")
    assert r.status_code == 200 and b"".join(r.streaming_content)[:2] == b"PK"
    assert AuditEvent.objects.filter(action="items.print_pack.content_viewed").count() == before + 1


def test_exam_affairs_and_invigilators_get_404_for_the_pack_on_screen_and_api_DAY_3(
    seated_assembly, writer, exam_affairs, invigilator, org_b_writer, api
):
    tasks.start_print_pack(assembly=seated_assembly, actor=writer)
    pk = seated_assembly.pk
    for actor in (exam_affairs, invigilator, org_b_writer):
        client = Client()
        client.force_login(actor.user)
        for path in (f"/assemblies/{pk}/", f"/assemblies/{pk}/pack.zip", f"/assemblies/{pk}/pack/progress/"):
            assert client.get(path).status_code == 404, (actor, path)
        assert client.post(f"/assemblies/{pk}/pack/").status_code == 404
        for path in (f"/assemblies/{pk}/print-pack", f"/assemblies/{pk}/print-pack.zip", f"/assemblies/{pk}/envelopes"):
            assert api(actor).get(path).status_code == 404, (actor, path)
        assert api(actor).post(f"/assemblies/{pk}/print-pack").status_code == 404
    assert Job.objects.filter(kind=tasks.KIND).count() == 1


def test_the_api_reports_progress_and_the_packing_list(seated_assembly, writer, api):
    pk = seated_assembly.pk
    assert api(writer).get(f"/assemblies/{pk}/print-pack").json() == {
        "status": "none",
        "done": 0,
        "total": 0,
        "percent": 0,
        "size": None,
        "message": "",
    }
    r = api(writer).post(f"/assemblies/{pk}/print-pack")
    assert r.status_code == 202 and r.json()["status"] == "done"
    [room] = api(writer).get(f"/assemblies/{pk}/envelopes").json()
    assert room["candidates"] == 20 and room["sheets"] == 20
    r = api(writer).get(f"/assemblies/{pk}/print-pack.zip")
    assert r.status_code == 200 and r.content[:2] == b"PK"
