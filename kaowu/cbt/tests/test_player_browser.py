"""The candidate's player in headless Chromium (Debian's): sign in on the page, answer with the mouse and the
keyboard, reload mid-exam (the answers are still there), lose the network (the changes show 未保存 and are kept),
get it back (all 已保存), lose a save with the page closing (the next page of the machine sends it), hand in —
refused before S+30 with DAY-2's message, accepted after. On the server every answer given is stored once with
the value chosen, the attempt is handed in, the paste and the focus loss are recorded.

All database work happens before Playwright starts and after the page is closed (tests/test_phone_layout.py says
why); only the frozen clock is moved while the page is open, which touches no database."""

from __future__ import annotations

import pathlib

import pytest

from tests.browser import CHROMIUM
from tests.test_phone_layout import OUT

pytestmark = [
    pytest.mark.skipif(not pathlib.Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def started(live_server, cbt, chief, phones, clock_at):
    from kaowu.cbt.models import Attempt
    from kaowu.cbt.services import attempts
    from kaowu.cbt.tests.conftest import ticket_of
    from kaowu.items.models import PaperItem

    attempts.build_attempts(actor=chief, exam_day=cbt["day"])
    attempts.open_room(actor=phones[0], exam_day=cbt["day"], room=cbt["room"])
    clock_at(cbt["session"], "08:30")
    attempts.start_room(actor=phones[0], exam_day=cbt["day"], room=cbt["room"])
    seat = cbt["seats"][0]
    attempt = Attempt.objects.get(seat=seat)
    kinds = dict(PaperItem.objects.filter(pk__in=attempt.order).values_list("pk", "kind"))
    number = {kind: [n for n, pk in enumerate(attempt.order, 1) if kinds[pk] == kind] for kind in set(kinds.values())}
    return {
        "path": f"/cbt/sessions/{cbt['session'].pk}/rooms/{cbt['room'].pk}/",
        "number": ticket_of(seat).number,
        "digits": seat.application.candidate.doc_number[-4:],
        "attempt": attempt.pk,
        "single": number["single"][0],
        "multi": number["multi"][:2],  # two 多选 side by side
    }


# The candidate switches to another window: the page becomes hidden.
HIDE = """() => {
    Object.defineProperty(document, "visibilityState", {value: "hidden", configurable: true});
    document.dispatchEvent(new Event("visibilitychange"));
    Object.defineProperty(document, "visibilityState", {value: "visible", configurable: true});
}"""


def _shown(page) -> tuple[int, str]:
    """The question on screen and the answer it shows (the keys of its chosen options)."""
    item = int(page.get_attribute("#question", "data-item"))
    keys = page.eval_on_selector_all(".cbt-option.chosen", "(bs) => bs.map((b) => b.dataset.key)")
    return item, "".join(sorted(keys))


def _answer(page, given, *, key=None, option=None):
    if key:
        page.keyboard.press(key)
    else:
        page.locator(".cbt-option").nth(option).click()
    item, value = _shown(page)
    assert value, item
    given[item] = value


def test_the_player_keeps_every_answer_through_a_reload_and_a_lost_network_and_hands_in_DAY_2(
    started,
    cbt,
    clock_at,
    live_server,
    browser,
):
    given: dict[int, str] = {}
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    try:
        assert page.goto(live_server.url + started["path"]).status == 200
        page.wait_for_selector("#sign-in-form")
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / "cbt-player-sign-in-1366.png"))
        page.fill("#ticket", started["number"])
        page.fill("#digits", started["digits"])
        page.click("#sign-in-form button")
        page.wait_for_selector("#exam:not([hidden])")
        assert page.text_content("#q-kind") == "判断题" and page.text_content("#q-total") == "200"

        _answer(page, given, key="1")  # 判断 by keyboard: 正确
        page.keyboard.press("ArrowRight")
        _answer(page, given, option=1)  # by the mouse: 错误
        page.click(f"#palette button:nth-child({started['single']})")  # a 单选 from the answer card
        _answer(page, given, key="B")
        page.click("#mark")
        size = page.eval_on_selector("#q-stem", "(e) => parseFloat(getComputedStyle(e).fontSize)")
        page.click("#font-up")
        assert page.eval_on_selector("#q-stem", "(e) => parseFloat(getComputedStyle(e).fontSize)") > size
        page.wait_for_selector("#sync[data-pending='0']")
        assert page.text_content("#save-state") == "已保存"

        page.reload()  # mid-exam: the seat stays signed in, back at its question, and its answers are shown
        page.wait_for_selector("#exam:not([hidden])")
        assert "已答 3 / 200" in page.text_content("#progress")
        assert page.text_content("#q-number") == str(started["single"])
        item, value = _shown(page)
        assert given[item] == value
        page.click("#palette button:nth-child(1)")
        item, value = _shown(page)
        assert given[item] == value == "T"
        assert page.locator("#palette button.marked").count() == 1

        context.set_offline(True)
        first, second = started["multi"]
        page.click(f"#palette button:nth-child({second})")  # a 多选: two options, by the keyboard
        page.keyboard.press("1")
        _answer(page, given, key="3")
        assert len(given[int(page.get_attribute("#question", "data-item"))]) == 2
        assert first == second - 1
        page.keyboard.press("ArrowLeft")
        _answer(page, given, key="D")
        page.wait_for_function("() => document.getElementById('save-state').textContent === '未保存'")
        assert page.get_attribute("#sync", "data-pending") == "2"
        assert page.locator("#palette button[data-state='unsaved']").count() == 2
        page.evaluate("() => document.dispatchEvent(new Event('paste'))")  # lost offline: best effort
        page.screenshot(path=str(OUT / "cbt-player-offline-1366.png"))
        assert page.evaluate("() => document.documentElement.scrollHeight") <= 768  # one screen at a desk

        context.set_offline(False)
        page.wait_for_selector("#sync[data-pending='0']", timeout=15_000)
        assert page.locator("#palette button[data-state='unsaved'], #palette button[data-state='saving']").count() == 0
        assert page.text_content("#save-state") == "已保存"
        page.evaluate("() => document.dispatchEvent(new Event('paste'))")
        page.evaluate(HIDE)

        # the server unreachable, then the page crashes: the next page of the machine sends what is kept
        context.route("**/api/v1/cbt/attempt/answers/**", lambda route: route.abort())
        page.click(f"#palette button:nth-child({started['single'] + 1})")
        _answer(page, given, key="A")
        page.wait_for_function("() => document.getElementById('save-state').textContent === '未保存'")
        page.close()
        context.unroute("**/api/v1/cbt/attempt/answers/**")
        page = context.new_page()
        page.on("dialog", lambda d: d.accept())
        page.goto(live_server.url + started["path"])
        page.wait_for_selector("#exam:not([hidden])")
        page.wait_for_selector("#sync[data-pending='0']", timeout=15_000)
        assert "已答 6 / 200" in page.text_content("#progress")
        page.set_viewport_size({"width": 768, "height": 1024})
        page.screenshot(path=str(OUT / "cbt-player-768.png"), full_page=True)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 768

        page.click("#hand-in")  # 08:30, before S+30: refused with DAY-2's message
        page.wait_for_selector("#notice:not([hidden])")
        assert "方可交卷" in page.text_content("#notice")
        page.screenshot(path=str(OUT / "cbt-player-early-768.png"))
        clock_at(cbt["session"], "09:01")
        page.click("#hand-in")
        page.wait_for_selector("#player[data-status='handed_in']")
        assert page.text_content("#waiting-title") == "已交卷" and page.is_hidden("#exam")
        page.screenshot(path=str(OUT / "cbt-player-handed-in-768.png"))
    finally:
        context.close()

    from kaowu.cbt.enums import AttemptStatus, EventKind
    from kaowu.cbt.models import Answer, Attempt, AttemptEvent

    attempt = Attempt.objects.get(pk=started["attempt"])
    stored = list(Answer.objects.filter(attempt=attempt).values_list("paper_item_id", "value"))
    assert len(given) == 6 and sorted(stored) == sorted(given.items())  # each once, with the value chosen
    assert attempt.status == AttemptStatus.HANDED_IN
    assert AttemptEvent.objects.filter(attempt=attempt, kind=EventKind.PASTE).count() == 1
    # the page switched away from, and the page closed (hidden as it goes, reported if the request got out)
    assert AttemptEvent.objects.filter(attempt=attempt, kind=EventKind.FOCUS_LOST).count() in (1, 2)
