"""The seat screens of a 10,000-candidate session in 334 rooms, through the real views (Django's test client,
logged in as the organisation's admin): the seat map of one room, a page of the seat list, and the move/swap
pickers' search. Each page is fetched once to warm up, then 5 times; the median counts.

Prints two lines: seat_map_10k ours=<slowest page's median ms> map_ms= list_ms= search_ms= goal=<=300 ms per page;
list_screens_10k, the same for the first page of the other lists of that plan (applications, filtered too, staff,
and the API's applications, seats and candidates), the exam day's screens of that session (the chief's run sheet,
the oversight overview and report, the API's overview) and a 10,000-item bank's list (screen and API).
There is no reference (no other path draws the same page): ref=none.

    python bench/seat_map_10k.py
"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import arrange_10k as arr  # prepares the database (DATABASE_URL's server, a fresh database) and Django
from django.test import Client

GOAL_MS = 300


def timed(client: Client, url: str, **params) -> float:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get(url, params)
        runs.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(runs)


def main():
    from kaowu.arrangement import seating, staffing
    from kaowu.arrangement.models import Room, Seat
    from kaowu.exams.models import ExamDay
    from kaowu.kernel import clock
    from kaowu.plans import milestones
    from kaowu.plans.enums import Milestone

    actor, plan, session = arr.setup()
    with clock.pinned(arr.NOW):
        steps = (Milestone.FILED, Milestone.CONFIRMED, Milestone.CANDIDATES_CONFIRMED, Milestone.ENTRY_CLOSED)
        for key in (*steps, Milestone.ROOMS_IMPORTED):
            milestones.mark(plan, key, actor)
        seating.seat_session(actor=actor, session=session, seed="bench")
        staffing.assign_staff(actor=actor, plan=plan)
        assert Seat.objects.filter(session=session).count() == arr.N
        client = Client()
        client.force_login(actor.user)
        url = f"/sessions/{session.pk}/seats/"
        room = Room.objects.filter(seats__session=session).order_by("number").distinct()[arr.ROOMS // 2]
        name = Seat.objects.filter(session=session, room=room).first().application.candidate.name
        figures = {
            "map_ms": timed(client, url, room=room.pk),
            "list_ms": timed(client, url, view="list", page=50),
            "search_ms": timed(client, f"{url}search/", q=name),
        }
        size = len(client.get(url, {"room": room.pk}).content)
        # The other lists a user opens on a 10,000-candidate plan: the first page of each, screen and API.
        lists = {
            "applications_ms": timed(client, f"/plans/{plan.pk}/applications/"),
            "applications_filtered_ms": timed(client, f"/plans/{plan.pk}/applications/", status="approved", level=4),
            "staff_ms": timed(client, "/staff/"),
            "api_applications_ms": timed(client, f"/api/v1/plans/{plan.pk}/applications"),
            "api_seats_ms": timed(client, f"/api/v1/sessions/{session.pk}/seats"),
            "api_candidates_ms": timed(client, "/api/v1/candidates"),
        }
        # The exam day of that session, open: the chief's run sheet, the oversight overview and report (334 rooms).
        ExamDay.objects.create(session=session, opened_at=arr.NOW, opened_by=actor.user)
        sid = session.pk
        lists |= {
            "day_live_ms": timed(client, f"/exam-days/sessions/{sid}/"),
            "day_overview_ms": timed(client, f"/exam-days/sessions/{sid}/overview/"),
            "day_report_ms": timed(client, f"/exam-days/sessions/{sid}/report/"),
            "api_day_overview_ms": timed(client, f"/api/v1/sessions/{sid}/exam-day/overview"),
        }
        # The item bank of 10,000 items (电工 四级 理论知识), as its writer sees it: the list and the API's first page.
        bp, writer = item_bank(plan.org)
        bank = Client()
        bank.force_login(writer)
        lists |= {
            "items_ms": timed(bank, f"/blueprints/{bp.pk}/items/"),
            "api_items_ms": timed(bank, f"/api/v1/blueprints/{bp.pk}/items"),
        }
    report("seat_map_10k", figures, f"map_kb={size // 1024}", "10,000 candidates, 334 rooms")
    report("list_screens_10k", lists, "", "first page of each list, 10,000 candidates")


def item_bank(org):
    from kaowu.catalog.models import Standard
    from kaowu.items import bulk_bank, seed_data
    from kaowu.items.services import blueprints
    from kaowu.kernel.actors import Actor
    from kaowu.kernel.enums import Role
    from kaowu.parties.models import User

    user = User.objects.create(username="bench_writer", role=Role.ITEM_WRITER, org=org, display_name="孙命题")
    writer = Actor.of(user)
    standard = Standard.objects.get(occupation__code="6-31-01-03")
    bp = blueprints.create_blueprint(actor=writer, org_id=org.pk, standard=standard, level=4, subject="theory")
    blueprints.write_tree(actor=writer, blueprint=bp, rows=seed_data.point_rows(seed_data.THEORY_4))
    bp = blueprints.activate_blueprint(actor=writer, blueprint=bp)
    made = bulk_bank.fill(bp, author=user, per_weight_point=100)
    assert made >= 10_000, made
    return bp, user


def report(name: str, figures: dict, extra: str, what: str) -> None:
    """One bench line: the slowest page's median as ours, each page's figure after it."""
    details = " ".join(f"{k}={v:.0f}" for k, v in figures.items())
    print(
        f"{name} db={arr.DB_LABEL} ours={max(figures.values()):.0f}ms ref=none ratio=n/a {details} {extra} "
        f"goal=<={GOAL_MS}ms per page ({what})".replace("  ", " "),
        flush=True,
    )


if __name__ == "__main__":
    main()
