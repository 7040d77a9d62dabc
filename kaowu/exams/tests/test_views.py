"""The exam-day screens answer the chief and the room's invigilator, and 404 to an outsider."""

from django.test import Client


def client_of(actor):
    c = Client()
    c.force_login(actor.user)
    return c


def test_the_chief_sees_the_live_sheet_and_it_polls_DAY_2(opened, theory, chief):
    r = client_of(chief).get(f"/exam-days/sessions/{theory.pk}/")
    assert r.status_code == 200 and "考务时间表" in r.content.decode() and "hx-trigger" in r.content.decode()
    partial = client_of(chief).get(f"/exam-days/sessions/{theory.pk}/", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()


def test_an_unopened_day_lists_what_is_missing_REG_7(released_plan, theory, chief):
    r = client_of(chief).get(f"/exam-days/sessions/{theory.pk}/")
    assert r.status_code == 200 and "REG-7" in r.content.decode()


def test_the_door_page_is_for_the_rooms_invigilator_DAY_1(opened, theory, theory_room, phones, outsider):
    assert client_of(phones[0]).get(f"/exam-days/sessions/{theory.pk}/rooms/{theory_room.pk}/door/").status_code == 200
    assert client_of(outsider).get(f"/exam-days/sessions/{theory.pk}/rooms/{theory_room.pk}/door/").status_code == 404
    assert client_of(phones[0]).get("/exam-days/").status_code == 200


def test_the_run_sheet_shows_a_page_of_rooms_and_counts_the_missing_staff(opened, theory, chief, monkeypatch):
    from django.test import Client

    from kaowu.exams import queries
    from kaowu.exams.views import day

    monkeypatch.setattr(day, "MISSING_SHOWN", 1)
    client = Client()
    client.force_login(chief.user)
    response = client.get(f"/exam-days/sessions/{theory.pk}/")
    page, context = response.content.decode(), response.context
    assert context["rooms_page"].paginator.count == len(queries.session_rooms(theory))
    assert len(context["rooms_page"].object_list) <= day.LIVE_ROOMS
    missing = len(context["sheet"].missing_staff)
    assert missing > 1 and len(context["missing_shown"]) == 1
    assert f"另有 {missing - 1} 人未到岗" in page  # the rest of the missing staff counted, not listed
