"""The seat's API with its exam token, and the proctor's: sign in, read the paper (no key in it), save with
acknowledgement, hand in; a token of one seat cannot touch another's attempt; the room's view for the proctor."""

from __future__ import annotations

from django.test import Client

from kaowu.cbt.models import Answer, Attempt
from kaowu.cbt.services import attempts
from kaowu.cbt.tests.conftest import ticket_of


def seat_client(cbt, seat, device="browser-seat-0001"):
    c = Client()
    r = c.post(
        "/api/v1/cbt/sign-in",
        {
            "session_id": cbt["session"].pk,
            "room_id": cbt["room"].pk,
            "ticket_number": ticket_of(seat).number,
            "doc_last_digits": seat.application.candidate.doc_number[-4:],
            "device": device,
        },
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    return c, {"HTTP_X_EXAM_TOKEN": r.json()["token"]}


def test_a_seat_takes_the_exam_over_the_api_DAY_2(cbt, chief, phones, clock_at, api):
    assert api(chief).post(f"/sessions/{cbt['session'].pk}/cbt/attempts").json() == {"count": len(cbt["seats"])}
    assert api(phones[0]).post(f"/sessions/{cbt['session'].pk}/cbt/rooms/{cbt['room'].pk}/open").status_code == 200
    c, token = seat_client(cbt, cbt["seats"][0])
    before = c.get("/api/v1/cbt/attempt", **token).json()
    assert before["status"] == "built" and before["questions"] == []  # no content before the start
    clock_at(cbt["session"], "08:30")
    r = api(phones[0]).post(f"/sessions/{cbt['session'].pk}/cbt/rooms/{cbt['room'].pk}/start")
    assert r.json() == {"count": len(cbt["seats"])}
    state = c.get("/api/v1/cbt/attempt", **token).json()
    assert state["status"] == "running" and len(state["questions"]) == 200 and state["remaining_seconds"] == 5400
    attempt = Attempt.objects.get(pk=state["attempt_id"])
    q = next(q for q in state["questions"] if q["kind"] == "single")
    assert "".join(o["key"] for o in q["options"]) == attempt.option_order[str(q["paper_item_id"])]
    assert q["answer"] == "" and "item_version" not in str(state)  # the key is never sent
    url = f"/api/v1/cbt/attempt/answers/{q['paper_item_id']}"
    r = c.put(url, {"value": "B", "seq": 1, "nonce": "x1"}, content_type="application/json", **token)
    assert r.status_code == 200 and r.json() == {
        "paper_item_id": q["paper_item_id"],
        "seq": 1,
        "value": "B",
        "applied": True,
    }
    assert Answer.objects.get(attempt=attempt, paper_item_id=q["paper_item_id"]).value == "B"  # acknowledged = stored
    early = c.post("/api/v1/cbt/attempt/hand-in", **token)
    assert early.status_code == 422 and early.json()["rule_id"] == "DAY-2"
    clock_at(cbt["session"], "09:00")
    done = c.post("/api/v1/cbt/attempt/hand-in", **token)
    assert done.status_code == 200 and done.json()["status"] == "handed_in"
    late = c.put(url, {"value": "C", "seq": 2, "nonce": "x2"}, content_type="application/json", **token)
    assert (
        late.status_code == 409 and Answer.objects.get(attempt=attempt, paper_item_id=q["paper_item_id"]).value == "B"
    )


def test_one_seats_token_cannot_reach_another_attempt_and_no_token_is_401(cbt, chief, phones, clock_at):
    attempts.build_attempts(actor=chief, exam_day=cbt["day"])
    attempts.open_room(actor=phones[0], exam_day=cbt["day"], room=cbt["room"])
    clock_at(cbt["session"], "08:30")
    attempts.start_room(actor=phones[0], exam_day=cbt["day"], room=cbt["room"])
    c, token = seat_client(cbt, cbt["seats"][0])
    mine = Attempt.objects.get(seat=cbt["seats"][0])
    theirs = Attempt.objects.exclude(paper=mine.paper).get(seat=cbt["seats"][1])
    r = c.put(
        f"/api/v1/cbt/attempt/answers/{theirs.order[0]}",
        {"value": "A", "seq": 1},
        content_type="application/json",
        **token,
    )
    assert r.status_code == 400 and r.json()["code"] == "not_in_paper"
    assert not Answer.objects.filter(attempt=theirs).exists()
    assert Client().get("/api/v1/cbt/attempt").status_code == 401
    assert (
        Client().get("/api/v1/cbt/attempt", HTTP_X_EXAM_TOKEN=token["HTTP_X_EXAM_TOKEN"][:-2] + "xx").status_code == 401
    )


def test_the_proctor_sees_the_room_and_another_organisation_gets_404(cbt, chief, phones, clock_at, api, org_b_admin):
    attempts.build_attempts(actor=chief, exam_day=cbt["day"])
    path = f"/sessions/{cbt['session'].pk}/cbt/rooms/{cbt['room'].pk}"
    rows = api(phones[0]).get(path).json()
    assert len(rows) == len(cbt["seats"]) and rows[0]["status"] == "built" and "doc_number" not in str(rows)
    assert api(org_b_admin).get(path).status_code == 404
    assert api(org_b_admin).post(f"/sessions/{cbt['session'].pk}/cbt/attempts").status_code == 404


def test_guessing_a_tickets_digits_is_braked_but_a_whole_room_signs_in_from_one_address(cbt, chief, phones):
    attempts.build_attempts(actor=chief, exam_day=cbt["day"])
    attempts.open_room(actor=phones[0], exam_day=cbt["day"], room=cbt["room"])
    for n, seat in enumerate(cbt["seats"]):  # the room's machines behind one address: every seat gets in
        seat_client(cbt, seat, device=f"machine-{n:04d}-x")
    target = cbt["seats"][0]
    guess = {
        "session_id": cbt["session"].pk,
        "room_id": cbt["room"].pk,
        "ticket_number": ticket_of(target).number,
        "doc_last_digits": "0000",
        "device": "machine-0000-x",
    }
    answers = [
        Client().post("/api/v1/cbt/sign-in", guess, content_type="application/json").status_code for _ in range(10)
    ]
    assert answers.count(429) >= 1 and answers[0] == 400  # the ticket's own brake, after its tenth try at most


def test_the_paper_read_without_ninjas_validation_is_what_the_schema_renders_DAY_2(cbt, chief, phones, clock_at, api):
    """The seat's paper skips ninja's second validation (kernel.api.prebuilt_json): its bytes must be exactly what
    AttemptOut would have rendered, so the OpenAPI document stays the truth."""
    import json

    from ninja.responses import NinjaJSONEncoder

    from kaowu.cbt.api import AttemptOut

    api(chief).post(f"/sessions/{cbt['session'].pk}/cbt/attempts")
    api(phones[0]).post(f"/sessions/{cbt['session'].pk}/cbt/rooms/{cbt['room'].pk}/open")
    c, token = seat_client(cbt, cbt["seats"][0])
    clock_at(cbt["session"], "08:30")
    api(phones[0]).post(f"/sessions/{cbt['session'].pk}/cbt/rooms/{cbt['room'].pk}/start")
    r = c.get("/api/v1/cbt/attempt", **token)
    got = r.json()
    assert r["Content-Type"].startswith("application/json") and len(got["questions"]) == 200
    through_schema = json.loads(json.dumps(AttemptOut.model_validate(got).model_dump(), cls=NinjaJSONEncoder))
    assert got == through_schema
