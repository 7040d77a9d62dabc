"""The item editor on screen: new item, a new version on edit, review steps by another person, spreadsheet
uploads that write all rows or none; the screens are for the item bank only (DAY-3, NAT-14)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kaowu.items import sheets
from kaowu.items.enums import ItemStatus
from kaowu.items.models import Item


def screen(actor):
    c = Client()
    c.force_login(actor.user)
    return c


GOOD = {
    "kind": "single",
    "difficulty": "3",
    "stem": "熔断器在电路中主要起（  ）保护作用。",
    "options": "A. 短路\nB. 过载\nC. 欠压\nD. 失压",
    "answer": "A",
}


@pytest.fixture
def point(blueprint):
    from kaowu.items.models import BlueprintNode

    return BlueprintNode.objects.filter(blueprint=blueprint, kind="point").order_by("ordinal").first()


def test_a_writer_makes_an_item_on_screen_and_a_bad_one_is_refused_beside_its_field_NAT_15(blueprint, writer, point):
    c = screen(writer)
    assert "新建试题" in c.get(f"/blueprints/{blueprint.pk}/items/").content.decode()
    r = c.post(f"/blueprints/{blueprint.pk}/items/new/", {**GOOD, "point": point.pk, "answer": "AB"})
    html = r.content.decode()
    assert r.status_code == 200 and "单项选择题须有且只有一个正确选项" in html and not Item.objects.exists()
    r = c.post(f"/blueprints/{blueprint.pk}/items/new/", {**GOOD, "point": point.pk})
    item = Item.objects.get()
    assert r.status_code == 302 and r.url == f"/items/{item.pk}/"
    assert item.status == ItemStatus.DRAFT and item.point == point
    assert [o["key"] for o in item.current.options] == ["A", "B", "C", "D"] and item.current.options[1][
        "text"
    ] == "过载"


def test_an_edit_on_screen_makes_a_new_version_and_sends_the_item_back_to_review(blueprint, writer, reviewer, point):
    c = screen(writer)
    c.post(f"/blueprints/{blueprint.pk}/items/new/", {**GOOD, "point": point.pk})
    item = Item.objects.get()
    assert "熔断器在电路中" in c.get(f"/items/{item.pk}/edit/").content.decode()  # the form shows version 1
    r = screen(reviewer).post(f"/items/{item.pk}/status/reviewed/")
    item.refresh_from_db()
    assert r.status_code == 302 and item.status == ItemStatus.REVIEWED
    r = c.post(f"/items/{item.pk}/edit/", {**GOOD, "point": point.pk, "stem": "熔断器主要用于（  ）保护。"})
    item.refresh_from_db()
    assert r.status_code == 302 and item.current.number == 2 and item.status == ItemStatus.DRAFT
    assert item.versions.get(number=1).stem == GOOD["stem"]  # the old version is kept as it was


def test_a_writer_cannot_review_their_own_item_and_the_screen_says_so(blueprint, writer, point):
    c = screen(writer)
    c.post(f"/blueprints/{blueprint.pk}/items/new/", {**GOOD, "point": point.pk})
    item = Item.objects.get()
    r = c.post(f"/items/{item.pk}/status/reviewed/", follow=True)
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT
    assert "审题" in r.content.decode()


@pytest.mark.parametrize("who", ["invigilator", "exam_affairs", "org_admin", "org_b_writer"])
def test_the_editor_is_404_outside_the_item_bank_DAY_3(request, who, blueprint, writer, point):
    screen(writer).post(f"/blueprints/{blueprint.pk}/items/new/", {**GOOD, "point": point.pk})
    item = Item.objects.get()
    c = screen(request.getfixturevalue(who))
    assert c.get(f"/items/{item.pk}/edit/").status_code == 404
    assert c.post(f"/items/{item.pk}/edit/", {**GOOD, "point": point.pk, "stem": "改"}).status_code == 404
    assert c.post(f"/items/{item.pk}/status/retired/").status_code == 404
    assert c.get(f"/blueprints/{blueprint.pk}/items/new/").status_code == 404
    item.refresh_from_db()
    assert item.current.number == 1 and item.status == ItemStatus.DRAFT


def test_an_items_sheet_with_bad_rows_is_refused_on_screen_row_by_row_and_writes_nothing_NAT_14(
    banked, writer, blueprint
):
    some = list(Item.objects.filter(blueprint=banked).select_related("current", "point")[:3])
    good = sheets.items_workbook(some)
    before = Item.objects.count()
    # The same items again: every stem is a duplicate of one in the bank.
    r = screen(writer).post(f"/blueprints/{banked.pk}/upload/items/", {"file": SimpleUploadedFile("试题.xlsx", good)})
    html = r.content.decode()
    assert r.status_code == 422 and "未写入任何数据" in html and "题干" in html
    assert Item.objects.count() == before


def _png(size=(120, 80)) -> bytes:
    import io

    from PIL import Image, ImageDraw

    im = Image.new("RGB", size, "white")
    ImageDraw.Draw(im).line((10, 40, 110, 40), fill="black", width=3)  # a wire
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


def test_a_stem_figure_is_stored_with_its_version_shown_to_the_bank_only_and_printed_DAY_3(
    blueprint, writer, point, invigilator
):
    from kaowu.items.printouts.booklet import image_svg
    from kaowu.kernel.models import AuditEvent

    c = screen(writer)
    figure = SimpleUploadedFile("接线图.png", _png(), content_type="image/png")
    r = c.post(f"/blueprints/{blueprint.pk}/items/new/", {**GOOD, "point": point.pk, "stem_image": figure})
    item = Item.objects.get()
    assert r.status_code == 302 and item.current.stem_image
    assert f"/items/{item.pk}/versions/1/image" in c.get(f"/items/{item.pk}/").content.decode()
    shown = AuditEvent.objects.count()
    r = c.get(f"/items/{item.pk}/versions/1/image")
    assert r.status_code == 200 and r["Content-Type"] == "image/png" and r.content == _png()
    assert AuditEvent.objects.count() == shown + 1  # a view of content is audited
    assert screen(invigilator).get(f"/items/{item.pk}/versions/1/image").status_code == 404
    assert image_svg(item.current.stem_image).startswith("<svg") and 'viewBox="0 0 120 80"' in image_svg(
        item.current.stem_image
    )
    # An edit without a new figure keeps it; removing it is explicit.
    c.post(f"/items/{item.pk}/edit/", {**GOOD, "point": point.pk, "stem": "熔断器主要用于（  ）保护。"})
    item.refresh_from_db()
    assert item.current.number == 2 and item.current.stem_image.name == item.versions.get(number=1).stem_image.name
    c.post(
        f"/items/{item.pk}/edit/", {**GOOD, "point": point.pk, "stem": "熔断器的作用是（  ）。", "remove_image": "on"}
    )
    item.refresh_from_db()
    assert item.current.number == 3 and not item.current.stem_image and item.versions.get(number=1).stem_image


def test_a_figure_that_is_not_an_image_is_refused_and_nothing_is_written(blueprint, writer, point):
    fake = SimpleUploadedFile("图.png", b"%PDF-1.7 not an image", content_type="image/png")
    r = screen(writer).post(f"/blueprints/{blueprint.pk}/items/new/", {**GOOD, "point": point.pk, "stem_image": fake})
    assert r.status_code == 200 and "题干图片须为 PNG 或 JPEG 图片" in r.content.decode()
    assert not Item.objects.exists()


def test_the_bank_list_is_paged_and_filtered_in_the_same_queries_at_any_size(banked, writer, count_queries):
    from django.test import Client

    from kaowu.items.models import Item

    client = Client()
    client.force_login(writer.user)
    url = f"/blueprints/{banked.pk}/items/"
    first = client.get(url)
    assert first.status_code == 200 and "第 1/" in first.content.decode()
    total = Item.objects.filter(blueprint=banked).count()
    last_page = -(-total // 50)
    assert f"共 {total} 条，第 {last_page}/{last_page} 页" in client.get(url, {"page": last_page}).content.decode()
    page = client.get(url, {"point": "B0101", "status": "active"}).content.decode()
    assert "B0102" not in page.split("<tbody>")[1] and "point=B0101&amp;" not in page  # one page only: no pager
    small = count_queries(client, f"{url}?point=A0101")  # a point of ten items: one page
    large = count_queries(client, url)  # the whole bank of about a thousand
    assert large == small  # the page, not the bank, decides the work
