"""The candidate's player (机考考生端): one page per room, opened on the room's shared exam machines. No login —
the candidate signs in on the page with the ticket number and the ID's last digits, and the page talks to the
seat's API with the exam token it gets (kaowu.cbt.api)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from kaowu.exams import queries
from kaowu.plans.models import Session


@never_cache
def player(request, session_id: int, room_id: int):
    session = get_object_or_404(Session.objects.select_related("plan__occupation"), pk=session_id)
    room = queries.room_of(session, room_id)
    return render(request, "cbt/player.html", {"session": session, "room": room})
