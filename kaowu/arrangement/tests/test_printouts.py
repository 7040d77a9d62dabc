"""Arrangement printouts: admission tickets (ARR-2, DAY-1), the site's signs and forms (ARR-4, ARR-12, ARR-13,
ARR-14, DAY-2, DAY-4) and the arrangement report (ARR-2). Every PDF compiles without a Typst warning (the suite
turns warnings into errors); the data maps hold what the forms need, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io
import random
import string

import openpyxl
import pytest
import segno
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image, ImageDraw

from kaowu.arrangement import rooms as room_services
from kaowu.arrangement import seating, staffing, tickets
from kaowu.arrangement.enums import FacilityKind, TicketStatus
from kaowu.arrangement.models import AdmissionTicket, Facility, Room, Seat
from kaowu.arrangement.printouts import (
    arrangement_report_data,
    arrangement_report_pdf,
    arrangement_report_xlsx,
    badges_data,
    badges_pdf,
    blackboard_data,
    blackboard_pdf,
    door_sheet_data,
    door_sheets_pdf,
    envelope_data,
    envelope_pdf,
    plan_tickets_pdf,
    preparation_notice_data,
    preparation_notice_pdf,
    qr,
    room_tickets_pdf,
    run_sheet,
    run_sheet_data,
    run_sheet_pdf,
    seat_labels_data,
    seat_labels_pdf,
    site_schedule_data,
    site_schedule_pdf,
    site_sign_data,
    site_sign_pdf,
    ticket_data,
    ticket_pdf,
    tickets_data,
    tickets_pdf,
)
from kaowu.arrangement.printouts.seat_labels import TEMPLATE as SEAT_LABELS_TEMPLATE
from kaowu.arrangement.printouts.ticket import TEMPLATE as TICKET_TEMPLATE
from kaowu.kernel import pdf
from kaowu.kernel.masking import mask_id_number
from kaowu.plans import services as plans
from kaowu.policy.engine import rule
from kaowu.registration import candidates
from kaowu.registration.models import Application
from tests import factories as f

ANNEX_5_TIMES = ["7:30", "7:35", "7:40", "7:50", "8:05", "8:20", "8:25", "8:30", "9:00", "9:45", "10:00", "10:05"]


def portrait(n: int) -> bytes:
    """A 1-inch portrait JPEG (295 × 413) that passes the photo checks of REG-3."""
    image = Image.new("RGB", (295, 413), (90 + n % 60, 160, 225))
    draw = ImageDraw.Draw(image)
    draw.ellipse((92, 70, 202, 200), fill=(236, 200, 170))
    draw.rectangle((40, 260, 255, 413), fill=(40, 40, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


@pytest.fixture
def arranged(open_plan, org_admin, org_a, site_a):
    """Org A's plan, arranged: 20 candidates (16 with photos, 4 at level 4) in theory room 01 and skill
    workshop 02 with four work stations, facilities recorded, staff assigned, tickets issued."""
    plans.confirm_batch_plan(actor=org_admin, plan=open_plan)
    f.rooms(actor=org_admin, site=site_a, count=1)
    workshop = f.rooms(actor=org_admin, site=site_a, count=1, kind="workshop", start=2)
    for code in [f"A{n:02d}" for n in range(1, 21)]:  # one work station per candidate (ARR-13)
        room_services.add_station(actor=org_admin, room=workshop[0], code=code, equipment="按摩床、治疗巾、消毒用品")
    f.facilities(actor=org_admin, site=site_a)
    f.staff_pool(actor=org_admin, org=org_a, invigilators=2, examiners=5)
    apps = f.approved_applications(plan=open_plan, actor=org_admin, count=20)
    for app in apps[:16]:
        candidates.set_photo(actor=org_admin, candidate=app.candidate, name="photo.jpg", content=portrait(app.pk))
    # Level 4 needs work years the factory does not declare; the level only shows on the printouts here.
    Application.objects.filter(pk__in=[a.pk for a in apps[-4:]]).update(level=4)
    f.ready_to_seat(open_plan)
    for session in open_plan.sessions.all():
        rooms = workshop if session.subject == "skill" else None
        seating.seat_session(actor=org_admin, session=session, seed="s", rooms=rooms)
    staffing.assign_staff(actor=org_admin, plan=open_plan)
    tickets.issue_tickets(actor=org_admin, plan=open_plan)
    return open_plan


@pytest.fixture
def theory(arranged):
    return arranged.sessions.get(subject="theory")


@pytest.fixture
def skill(arranged):
    return arranged.sessions.get(subject="skill")


def first_ticket() -> AdmissionTicket:
    return AdmissionTicket.objects.order_by("number").first()


# ---- admission tickets (ARR-2, DAY-1) -------------------------------------------------------------------------


def test_the_ticket_data_map_holds_every_field_masked_with_a_valid_qr_token_DAY_1(arranged, theory):
    ticket = first_ticket()
    data = ticket_data(ticket)
    t = data["tickets"][0]
    candidate = ticket.application.candidate
    form = t["form"]

    assert form["org_name"] == "北京市朝阳区成人按摩职业技能培训学校"
    assert form["plan_name"] == "20261202成人按摩"
    assert form["occupation_code"] == "4-10-04-02" and form["occupation"]
    assert "work_type" in form
    assert t["number"] == ticket.number and t["name"] == candidate.name
    assert t["sex"] in ("男", "女") and t["doc_type"] == "居民身份证"
    assert t["doc_number"] == mask_id_number(candidate.doc_number) != candidate.doc_number
    assert "*" in t["doc_number"] and candidate.doc_number not in str(data)
    assert t["level"] == "五级/初级工"
    assert t["photo"].startswith("<svg") and "data:image/jpeg;base64," in t["photo"]
    assert [s["subject"] for s in form["subjects"]] == ["理论知识", "操作技能"]
    assert form["subjects"][0]["date"] == "2026年12月2日" and form["subjects"][0]["time"] == "08:30–10:00"
    seat = Seat.objects.get(session=theory, application=ticket.application)
    assert t["seats"][0]["room"] == "第01考场" and t["seats"][0]["seat"] == f"{seat.seat_no:02d}号"
    assert t["seats"][0]["place"] == "教学楼1层101"
    assert form["sites"] == [{"name": "朝阳考点", "address": "北京市朝阳区朝阳考点路1号"}]
    assert any("准考证和有效身份证件" in r for r in data["rules"])
    assert any("开考30分钟后" in r and "结束前15分钟" in r for r in data["rules"])
    # The QR code carries the signed token; the door check accepts it (DAY-1).
    assert tickets.ticket_for_token(t["token"]) == ticket
    assert t["qr"] == qr.svg(t["token"])


def test_a_ticket_without_a_photo_prints_the_photo_box_ARR_2(arranged):
    ticket = AdmissionTicket.objects.filter(application__candidate__photo="").first()
    assert ticket_data(ticket)["tickets"][0]["photo"] == ""
    assert ticket_pdf(ticket).startswith(b"%PDF")


def test_ticket_pdfs_compile_alone_and_in_bulk_ARR_2(arranged, theory):
    ticket = first_ticket()
    assert ticket_pdf(ticket).startswith(b"%PDF")
    room = Room.objects.get(site=theory.site, number=1)
    assert room_tickets_pdf(theory, room).startswith(b"%PDF")
    steps = []
    assert plan_tickets_pdf(arranged, progress=lambda done, total: steps.append((done, total))).startswith(b"%PDF")
    assert steps[0] == (1, 140) and steps[19] == (20, 140) and steps[-1] == (140, 140) and len(steps) == 21
    assert [d for d, _ in steps] == sorted(d for d, _ in steps)


def test_the_standard_renderer_sets_the_same_ticket_layout_ARR_2(arranged):
    """ticket.typ (data in sys.inputs) and ticket_pdf (data in the source) share ticket_layout.typ."""
    data = tickets_data(AdmissionTicket.objects.order_by("number"))
    assert pdf.render(TICKET_TEMPLATE, data).startswith(b"%PDF")
    numbers = pdf.query(TICKET_TEMPLATE, data, "<ticket-numbers>")[0]
    assert numbers == list(AdmissionTicket.objects.order_by("number").values_list("number", flat=True))


def test_room_tickets_follow_the_seats_and_skip_voided_ones_ARR_2(arranged, theory, org_admin):
    room = Room.objects.get(site=theory.site, number=1)
    seats = list(Seat.objects.filter(session=theory, room=room).order_by("seat_no"))
    data = tickets_data([t for t in AdmissionTicket.objects.filter(application__in=[s.application for s in seats])])
    assert len(data["tickets"]) == len(seats)
    old = AdmissionTicket.objects.get(application=seats[0].application)
    new = tickets.reissue_ticket(actor=org_admin, ticket=old, reason="考生姓名更正")
    assert tickets_data([old])["tickets"][0]["void"] is True
    assert ticket_data(new)["tickets"][0]["version"] == 2
    assert ticket_pdf(old).startswith(b"%PDF")  # stamped 已作废
    assert room_tickets_pdf(theory, room).startswith(b"%PDF")
    assert AdmissionTicket.objects.filter(status=TicketStatus.VOID).count() == 1


def test_quotes_and_backslashes_in_the_data_reach_typst_intact_DAY_1(arranged):
    ticket = first_ticket()
    candidate = ticket.application.candidate
    candidate.name = '张"三\\四'
    candidate.save(update_fields=["name"])
    assert ticket_data(ticket)["tickets"][0]["name"] == '张"三\\四'
    assert ticket_pdf(ticket).startswith(b"%PDF")


def test_the_qr_code_matches_segno_module_for_module_DAY_1():
    """qr.matrix builds each version from segno's own layout; it pads like ISO/IEC 18004 (segno adds an extra
    zero codeword after a byte-aligned terminator), so full symbols, which need no padding, are compared."""
    rng = random.Random(7)
    for n in (14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251):  # bytes that fill versions 1–11 at level M
        text = "".join(rng.choice(string.ascii_letters + string.digits + ":-_") for _ in range(n))
        version, rows = qr.matrix(text)
        ref = segno.make(text, error="m", mask=0, micro=False, boost_error=False, mode="byte", version=version)
        assert version == ref.version
        assert rows == [bytes(r) for r in ref.matrix], n


def test_qr_data_codewords_are_padded_as_the_standard_says_DAY_1():
    """「abc」 in version 1-M: 0100 mode, count 3, the bytes, 0000 terminator, then EC 11 EC 11 … (16 words)."""
    words = qr.data_codewords(b"abc", 1)
    assert words.hex() == "4036162630" + "ec11" * 5 + "ec"
    assert len(words) == 16


def test_a_signed_token_gives_a_version_6_symbol_with_its_quiet_zone_DAY_1(arranged):
    token = tickets.token_for(first_ticket())
    version, rows = qr.matrix(token)
    assert len(rows) == 17 + 4 * version
    png = qr.png(token)
    image = Image.open(io.BytesIO(png))
    assert image.size == (len(rows) + 2 * qr.BORDER,) * 2
    assert image.getpixel((0, 0)) == 255 and image.getpixel((qr.BORDER, qr.BORDER)) == 0  # finder corner


# ---- the site's printouts (ARR-4, ARR-12, ARR-13, ARR-14, DAY-2, DAY-4) -------------------------------------------


def test_every_site_printout_is_a_pdf_without_typst_warnings_ARR_12_ARR_13_ARR_14_DAY_2(arranged, theory, skill):
    site = theory.site
    for body in (
        site_sign_pdf(theory),
        door_sheets_pdf(theory),
        door_sheets_pdf(skill),
        seat_labels_pdf(theory),
        blackboard_pdf(theory),
        site_schedule_pdf(arranged, site),
        badges_pdf(arranged),
        envelope_pdf(theory),
        run_sheet_pdf(theory),
        run_sheet_pdf(skill),
        preparation_notice_pdf(skill),
        arrangement_report_pdf(arranged),
    ):
        assert body.startswith(b"%PDF")


def test_the_site_sign_reads_org_occupation_level_then_the_fixed_words_ARR_12(arranged, theory):
    data = site_sign_data(theory)
    assert data["title"] == "北京市朝阳区成人按摩职业技能培训学校保健按摩师五级、四级职业技能等级认定考场"
    assert [r["name"] for r in data["rooms"]] == ["第01考场"] and data["storage"] == "物品统一存放处"


def test_the_run_sheet_for_8_30_to_10_00_has_the_times_of_annex_5_DAY_2(arranged, theory):
    sheet = run_sheet(theory)
    assert [f"{t.hour}:{t.minute:02d}" for t, _, _ in sheet] == ANNEX_5_TIMES
    assert [item for _, item, _ in sheet][:2] == ["报到", "安排工作"] and sheet[-1][1] == "送还试卷"
    assert sheet[4][2].startswith("副监考")  # ID check at the door
    data = run_sheet_data(theory)
    assert [s["time"] for s in data["steps"]] == [f"{t:%H:%M}" for t, _, _ in sheet]
    assert "开考30分钟后" in data["steps"][8]["what"] and "15分钟" in data["steps"][9]["what"]
    assert {r["role"] for r in data["site_staff"]} >= {"主考", "副主考", "保密员"}


def test_the_run_sheet_follows_the_session_and_the_profile_DAY_2(arranged, theory):
    theory.start_time, theory.end_time = dt.time(13, 30), dt.time(15, 30)
    theory.save(update_fields=["start_time", "end_time"])
    times = [f"{t:%H:%M}" for t, _, _ in run_sheet(theory)]
    assert times[0] == "12:30" and times[7] == "13:30" and times[9] == "15:15" and times[-1] == "15:35"


def test_seat_labels_run_in_the_snake_order_from_the_door_ARR_4(arranged, theory):
    data = seat_labels_data(theory)
    room = Room.objects.get(site=theory.site, number=1)
    labels = data["rooms"][0]["labels"]
    snake = seating.desks(room)[: len(labels)]
    assert [(lb["seat_no"], lb["row"], lb["column"]) for lb in labels] == [(d.seat_no, d.row, d.column) for d in snake]
    assert [lb["seat"] for lb in labels[:3]] == ["01", "02", "03"]
    numbers = dict(AdmissionTicket.objects.values_list("application__candidate__name", "number"))
    assert all(lb["number"] == numbers[lb["name"]] for lb in labels)
    assert pdf.query(SEAT_LABELS_TEMPLATE, data, "<seat-labels>")[0][0]["seats"] == [lb["seat_no"] for lb in labels]


def test_the_door_sheet_lists_every_seated_candidate_with_a_signature_column_ARR_12(arranged, theory):
    data = door_sheet_data(theory)
    room = data["rooms"][0]
    seated = Seat.objects.filter(session=theory).select_related("application__candidate").order_by("seat_no")
    assert [c["name"] for c in room["candidates"]] == [s.application.candidate.name for s in seated]
    assert "考生签名" in data["columns"] and "备注" in data["columns"] and "照片" in data["columns"]
    assert all("*" in c["doc_number"] and c["number"] for c in room["candidates"])
    assert sum(1 for c in room["candidates"] if c["photo"]) == 16
    assert room["name"] == "第01考场" and room["count"] == 20 and data["subject"] == "理论知识"


def test_the_blackboard_has_the_annex_lines_left_and_the_rules_right_ARR_12(arranged, theory):
    data = blackboard_data(theory)
    board = data["rooms"][0]["board"]
    assert [k for k, _ in board] == ["职业", "等级", "科目", "考试时间"]
    assert dict(board)["考试时间"] == "08:30-10:00" and dict(board)["科目"] == "理论知识"
    assert data["phones"] == "关闭手机！" and len(data["rules"]) >= 6


def test_the_site_schedule_lists_rooms_staff_and_the_facilities_of_ARR_14(arranged, theory, org_admin):
    site = theory.site
    Facility.objects.filter(site=site, kind=FacilityKind.MEDICAL_ROOM).delete()
    data = site_schedule_data(arranged, site)
    assert [(r["room"], r["subject"], r["count"]) for r in data["schedule"]] == [
        ("第01考场", "理论知识", 20),
        ("第02考场", "操作技能", 20),
    ]
    assert data["schedule"][0]["staff"] == "监考1、监考2" and data["schedule"][0]["staff_role"] == "监考员"
    assert [x["kind"] for x in data["facilities"]] == [k.label for k in FacilityKind]
    assert [x["kind"] for x in data["facilities"] if x["missing"]] == ["医务室"]
    assert data["map"][0]["building"] == "教学楼" and data["map"][0]["floors"][0]["floor"] == "1层"
    assert data["site_staff"]["rows"][0]["role"] == "认定场所负责人"
    assert site_schedule_pdf(arranged, site).startswith(b"%PDF")


def test_the_preparation_notice_lists_stations_equipment_and_what_to_bring_ARR_13(arranged, skill):
    data = preparation_notice_data(skill, bring=["工作服", "按摩巾两条"])
    assert [s["code"] for s in data["rooms"][0]["stations"]] == [f"A{n:02d}" for n in range(1, 21)]
    assert data["equipment"] == ["按摩床", "治疗巾", "消毒用品"]
    assert data["bring"][0] == "准考证" and data["bring"][-2:] == ["工作服", "按摩巾两条"]
    assert data["arrive"] == "08:30" and data["bring_blank_lines"] == 0
    assert preparation_notice_data(skill)["bring_blank_lines"] == 3


def test_the_envelope_carries_the_room_record_sheet_with_the_expected_count_DAY_4(arranged, theory):
    data = envelope_data(theory)
    assert data["record_title"] == "考场情况记录单"
    assert [(r["name"], r["count"]) for r in data["rooms"]] == [("第01考场", 20)]
    assert data["chief"] == "王主任" and data["rooms"][0]["staff"] == "监考1、监考2"


def test_badges_cover_everyone_assigned_with_role_and_credential_ARR_12(arranged):
    data = badges_data(arranged)
    names = [b["name"] for b in data["badges"]]
    assert names[0] == "王主任" and len(names) == len(set(names)) == 15
    lead = data["badges"][0]
    assert lead["roles"] == ["认定场所负责人", "主考"] and lead["credential_number"] == "ZK00001"
    assert lead["valid_until"] == "2027年12月31日"
    invigilator = next(b for b in data["badges"] if b["name"] == "监考1")
    assert invigilator["roles"] == ["监考员"] and invigilator["rooms"] == "第01考场"


# ---- the arrangement report (ARR-2) -----------------------------------------------------------------------------


def test_the_arrangement_report_has_each_site_room_and_totals_ARR_2(arranged):
    data = arrangement_report_data(arranged)
    assert data["deadline"] == "2026年11月29日"  # T−3
    site = data["sites"][0]
    assert site["name"] == "朝阳考点" and site["rooms"] == 2 and site["seats"] == 40
    theory_room = site["sessions"][0]["rooms"][0]
    assert theory_room == {
        "room": "第01考场",
        "place": "教学楼1层101",
        "count": 20,
        "staff": {"监考员": "监考1、监考2", "考评员": "", "评审专家": ""},
    }
    totals = data["totals"]
    assert (totals["sessions"], totals["rooms"], totals["seats"], totals["candidates"]) == (2, 2, 40, 20)
    assert totals["staff"] == 15 and {"role": "主考", "count": 2} in totals["by_role"]


def test_the_arrangement_workbook_has_a_summary_and_a_sheet_per_site_ARR_2(arranged):
    wb = openpyxl.load_workbook(io.BytesIO(arrangement_report_xlsx(arranged)))
    assert wb.sheetnames == ["汇总", "朝阳考点"]
    summary = [[c for c in row if c is not None] for row in wb["汇总"].iter_rows(values_only=True)]
    assert ["计划名称", "20261202成人按摩"] in summary and [1, 2, 2, 40, 20, 15] in summary
    rows = list(wb["朝阳考点"].iter_rows(values_only=True))
    assert rows[1][:7] == ("科目", "评价方式", "日期", "时间", "考场号", "位置", "考生人数")
    assert rows[2][:7] == ("理论知识", "笔试", "2026年12月2日", "08:30–10:00", "第01考场", "教学楼1层101", 20)


# ---- query counts do not grow with the rooms (ARR-12) ----------------------------------------------------------


@pytest.fixture(params=[1, 3], ids=["1-room", "3-rooms"])
def spread(request, open_plan, org_admin, site_a):
    """20 candidates in one room of 30 desks, or in three rooms of 8; tickets issued."""
    plans.confirm_batch_plan(actor=org_admin, plan=open_plan)
    if request.param == 1:
        f.rooms(actor=org_admin, site=site_a, count=1)
    else:
        f.rooms(actor=org_admin, site=site_a, count=3, rows=2, columns=4)
    f.facilities(actor=org_admin, site=site_a)
    f.approved_applications(plan=open_plan, actor=org_admin, count=20)
    f.ready_to_seat(open_plan)
    for session in open_plan.sessions.all():
        seating.seat_session(actor=org_admin, session=session, seed="q")
    tickets.issue_tickets(actor=org_admin, plan=open_plan)
    theory = open_plan.sessions.get(subject="theory")
    assert Seat.objects.filter(session=theory).values("room").distinct().count() == request.param
    return open_plan


@pytest.mark.parametrize(
    ("build", "queries"),
    [
        (site_sign_data, 4),
        (door_sheet_data, 4),
        (seat_labels_data, 4),
        (blackboard_data, 4),
        (envelope_data, 4),
        (run_sheet_data, 4),
        (preparation_notice_data, 6),
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_session_data_maps_take_a_fixed_number_of_queries_ARR_12(spread, build, queries, django_assert_num_queries):
    session = spread.sessions.get(subject="theory")
    rule("DAY-2")  # the rule profile is cached per process; load it before counting
    with django_assert_num_queries(queries):
        data = build(session)
    assert sum(len(r.get("candidates", r.get("labels", []))) for r in data["rooms"]) in (0, 20)


def test_plan_data_maps_take_a_fixed_number_of_queries_ARR_2_ARR_14(spread, django_assert_num_queries):
    site = spread.sessions.first().site
    rule("ARR-2")
    with django_assert_num_queries(6):
        site_schedule_data(spread, site)
    with django_assert_num_queries(2):
        badges_data(spread)
    with django_assert_num_queries(8):
        arrangement_report_data(spread)


def test_ticket_data_maps_take_two_queries_for_one_ticket_or_all_DAY_1(spread):
    rule("DAY-2")
    ticket = first_ticket()
    with CaptureQueriesContext(connection) as one:
        ticket_data(ticket)
    with CaptureQueriesContext(connection) as every:
        data = tickets_data(AdmissionTicket.objects.filter(plan=spread))
    assert len(one) == len(every) == 2 and len(data["tickets"]) == 20


def test_tickets_pdf_reports_progress_per_ticket_then_the_compile_ARR_2(spread):
    seen = []
    body = tickets_pdf(AdmissionTicket.objects.filter(plan=spread)[:3], progress=lambda *a: seen.append(a))
    assert body.startswith(b"%PDF") and seen == [(1, 21), (2, 21), (3, 21), (21, 21)]
