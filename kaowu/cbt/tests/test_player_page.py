"""The player's page is served without a login on the room's exam machines, for a room of the session only."""

from __future__ import annotations

from django.test import Client


def test_the_player_page_needs_no_login_and_names_the_room(cbt):
    r = Client().get(f"/cbt/sessions/{cbt['session'].pk}/rooms/{cbt['room'].pk}/")
    assert r.status_code == 200 and "考生登录" in r.text and cbt["room"].label in r.text
    assert "js/cbt-player.js" in r.text and "no-cache" in r["Cache-Control"]


def test_a_room_outside_the_session_is_404(cbt):
    assert Client().get(f"/cbt/sessions/{cbt['session'].pk}/rooms/999999/").status_code == 404
    assert Client().get(f"/cbt/sessions/999999/rooms/{cbt['room'].pk}/").status_code == 404
