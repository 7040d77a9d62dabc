"""The proctor's screen: the room's commands in order (build, open, start from S), refusals shown with their
article and nothing changed, the seats live; another organisation gets 404."""

from __future__ import annotations

from django.test import Client

from kaowu.cbt.enums import AttemptStatus
from kaowu.cbt.models import Attempt


def screen(actor):
    c = Client()
    c.force_login(actor.user)
    return c


def test_the_proctor_runs_the_room_from_the_screen_DAY_2(cbt, chief, phones, clock_at):
    base = f"/exam-days/sessions/{cbt['session'].pk}/rooms/{cbt['room'].pk}/cbt/"
    boss, door = screen(chief), screen(phones[0])
    assert "尚未生成作答" in door.get(base).content.decode()
    boss.post(base + "build/")
    door.post(base + "open/")
    page = door.post(base + "start/", follow=True).content.decode()  # 08:25: before S
    assert "未到开考时间" in page and not Attempt.objects.exclude(status=AttemptStatus.BUILT).exists()
    clock_at(cbt["session"], "08:30")
    page = door.post(base + "start/", follow=True).content.decode()
    assert f"已开考：{len(cbt['seats'])}名考生开始作答" in page
    assert Attempt.objects.filter(status=AttemptStatus.RUNNING).count() == len(cbt["seats"])
    page = door.post(base + "pause/", {"reason": "考场停电"}, follow=True).content.decode()
    assert "已暂停" in page and Attempt.objects.filter(status=AttemptStatus.PAUSED).count() == len(cbt["seats"])
    door.post(base + "resume/")
    assert Attempt.objects.filter(status=AttemptStatus.RUNNING).count() == len(cbt["seats"])
    seats = door.get(base, HTTP_HX_REQUEST="true").content.decode()
    assert "作答中" in seats and "<html" not in seats
    live = boss.get(f"/exam-days/sessions/{cbt['session'].pk}/").content.decode()
    assert base in live  # the chief's run sheet links each room's proctor screen


def test_the_proctor_screen_is_404_to_another_organisation(cbt, org_b_admin):
    base = f"/exam-days/sessions/{cbt['session'].pk}/rooms/{cbt['room'].pk}/cbt/"
    other = screen(org_b_admin)
    assert other.get(base).status_code == 404
    assert other.post(base + "build/").status_code == 404
    assert not Attempt.objects.exists()
