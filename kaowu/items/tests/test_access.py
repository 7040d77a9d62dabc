"""Confidentiality (DAY-3): item and paper content for the item bank only; a sealed paper for nobody until it is
opened; every view audited. Screens and API answer 404 to invigilators and exam-affairs staff."""

from __future__ import annotations

import pytest
from django.test import Client

from kaowu.items.models import Item
from kaowu.items.services import assembly, sealing
from kaowu.kernel.models import AuditEvent


def screen(actor):
    c = Client()
    c.force_login(actor.user)
    return c


@pytest.fixture
def an_item(banked):
    return Item.objects.filter(blueprint=banked).first()


@pytest.mark.parametrize(
    "who", ["invigilator", "exam_affairs", "org_admin", "district_officer", "centre_admin", "org_b_writer"]
)
def test_item_content_is_404_outside_the_item_bank_on_screen_and_api_DAY_3(request, who, an_item, api):
    actor = request.getfixturevalue(who)
    assert screen(actor).get(f"/items/{an_item.pk}/").status_code == 404
    assert api(actor).get(f"/items/{an_item.pk}").status_code == 404
    assert api(actor).get(f"/blueprints/{an_item.blueprint_id}/items").status_code == 404


def test_item_bank_reads_content_and_each_view_is_audited_DAY_3(writer, an_item, api):
    before = AuditEvent.objects.filter(action="items.item.content_viewed").count()
    assert screen(writer).get(f"/items/{an_item.pk}/").status_code == 200
    r = api(writer).get(f"/items/{an_item.pk}")
    assert r.status_code == 200 and r.json()["current"]["stem"] == an_item.current.stem
    assert AuditEvent.objects.filter(action="items.item.content_viewed").count() == before + 2


def test_sealed_paper_content_is_hidden_from_everyone_until_opened_DAY_3(banked, writer, secret, invigilator, api):
    paper = assembly.assemble(actor=writer, blueprint=banked, versions=1, seed="s").papers.get()
    assert api(writer).get(f"/papers/{paper.pk}/content").status_code == 200
    assert api(invigilator).get(f"/papers/{paper.pk}/content").status_code == 404
    sealing.sign_seal(actor=writer, paper=paper)
    sealing.sign_seal(actor=secret, paper=paper)
    for actor in (writer, secret, invigilator):
        assert api(actor).get(f"/papers/{paper.pk}/content").status_code == 404
        assert screen(actor).get(f"/papers/{paper.pk}/pdf/booklet.pdf").status_code == 404


def test_api_refusals_are_422_with_rule_and_citation_NAT_15_DAY_3(banked, writer, api):
    r = api(writer).post("/assemblies", {"blueprint_id": banked.pk, "judge": 61, "single": 129, "multi": 10})
    assert r.status_code == 422 and r.json()["rule_id"] == "NAT-15" and r.json()["citation"]
    r = api(writer).post("/assemblies", {"blueprint_id": banked.pk, "versions": 2, "seed": "api"})
    assert r.status_code == 201
    body = r.json()
    assert [p["version"] for p in body["papers"]] == ["A", "B"] and body["papers"][0]["coverage"]["ok"]
    pid = body["papers"][0]["id"]
    assert api(writer).post(f"/papers/{pid}/seal").status_code == 200
    r = api(writer).post(f"/papers/{pid}/seal")
    assert r.status_code == 422 and r.json()["rule_id"] == "DAY-3"


def test_blueprint_api_names_bad_rows_NAT_14(writer, org_a, electrician, api):
    r = api(writer).post("/blueprints", {"standard_id": electrician.pk, "level": 4, "subject": "skill"})
    assert r.status_code == 201
    bp = r.json()["id"]
    row = {
        "range_code": "S1",
        "range_name": "继电控制",
        "range_weight": 100,
        "content_code": "S101",
        "content_name": "装调",
        "point_code": "S10101",
        "point_name": "正反转",
        "importance": "X",
        "weight": 90,
    }
    r = api(writer).put(f"/blueprints/{bp}/tree", {"rows": [row]})
    assert r.status_code == 422 and r.json()["rule_id"] == "NAT-14" and r.json()["errors"][0]["row"] == 1
    row["weight"] = 100
    r = api(writer).put(f"/blueprints/{bp}/tree", {"rows": [row]})
    assert r.status_code == 200 and len(r.json()["nodes"]) == 3


def test_screens_of_the_bank_render(banked, writer):
    c = screen(writer)
    assert c.get("/blueprints/").status_code == 200
    assert "比重（%）" in c.get(f"/blueprints/{banked.pk}/").content.decode()
    assert c.get(f"/blueprints/{banked.pk}/items/").status_code == 200
    r = c.post(f"/blueprints/{banked.pk}/assemble/", {"versions": "2", "seed": "screen"})
    assert r.status_code == 302
    page = c.get(r["Location"]).content.decode()
    assert "覆盖证明" in page and "A 卷" in page
