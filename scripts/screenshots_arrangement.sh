#!/usr/bin/env bash
# Screenshots of the arrangement screens (rooms, staff, the arrangement steps, seat maps, staff assignment,
# tickets and printouts, the district and centre view, the candidate's tickets, a staff member's assignments),
# as a person sees them, into ./screenshots/arrangement/. The same approach as scripts/screenshots.sh: a
# throw-away SQLite database with the demo data (manage.py seed_demo arranges org A's confirmed plan: rooms,
# staff, seats, released tickets), a dev server on 127.0.0.1:8767 for the static files, the signed-in pages
# rendered with Django's test client as each demo user and saved as HTML whose <base> points at the server,
# and headless Chromium (Debian's package) taking one PNG per page. The candidate portal is taken 390 px wide.
set -euo pipefail

source "$(dirname "$0")/screens_common.sh"
screens_start "arrangement" 8767

"$PY" - "$WORK/html" "$PORT" >"$WORK/pages.txt" <<'PY'
import datetime as dt
import sys
import time

import django

django.setup()

from django.conf import settings
from django.core.cache import cache
from django.test import Client

from kaowu.arrangement import rooms, tasks
from kaowu.arrangement.models import Room, Seat, StaffMember
from kaowu.kernel.actors import Actor
from kaowu.parties.models import User
from kaowu.plans.enums import Milestone, PlanStatus
from kaowu.plans.models import BatchPlan
from kaowu.kernel import clock
from kaowu.registration.idcard import check_character

out, port = sys.argv[1], sys.argv[2]
base = f'<base href="http://127.0.0.1:{port}/">'
settings.ALLOWED_HOSTS = ["*"]
PHONE, DESK = 390, 1366

p1 = BatchPlan.objects.get(milestones__key=Milestone.ARRANGED)  # org A's confirmed plan, tickets released
accepted = BatchPlan.objects.filter(org=p1.org, status=PlanStatus.ACCEPTED).order_by("first_date").first()
theory = p1.sessions.get(subject="theory")
skill = p1.sessions.get(subject="skill")
staff = StaffMember.objects.get(org=p1.org, name="周监考")
room1 = Room.objects.get(site=theory.site, number=1)

as_user = [
    ("orga_admin", "a01-org-sites", "/rooms/", DESK, 700),
    ("orga_admin", "a02-org-rooms-theory-site", f"/sites/{theory.site_id}/rooms/", DESK, 1350),
    ("orga_admin", "a03-org-rooms-skill-site", f"/sites/{skill.site_id}/rooms/", DESK, 1200),
    ("orga_admin", "a04-org-room-edit", f"/sites/{theory.site_id}/rooms/{room1.pk}/edit/", DESK, 800),
    ("orga_admin", "a05-org-staff", "/staff/", DESK, 1500),
    ("orga_admin", "a06-org-staff-new", "/staff/new/", DESK, 1100),
    ("orga_admin", "a07-org-staff-conflicts", f"/staff/{staff.pk}/conflicts/?q=李", DESK, 800),
    ("orga_admin", "a08-org-arrangement-released", f"/plans/{p1.pk}/arrangement/", DESK, 2300),
    ("orga_affairs", "a09-org-arrangement-not-started", f"/plans/{accepted.pk}/arrangement/", DESK, 1900),
    ("orga_admin", "a10-org-session-overview", f"/sessions/{theory.pk}/", DESK, 1300),
    ("orga_admin", "a11-org-seat-map-theory", f"/sessions/{theory.pk}/seats/", DESK, 2200),
    ("orga_admin", "a12-org-seat-list-theory", f"/sessions/{theory.pk}/seats/?view=list", DESK, 1500),
    ("orga_admin", "a13-org-seat-map-skill", f"/sessions/{skill.pk}/seats/", DESK, 1300),
    ("orga_admin", "a14-org-assignments-theory", f"/sessions/{theory.pk}/assignments/", DESK, 900),
    ("orga_admin", "a15-org-assignments-skill", f"/sessions/{skill.pk}/", DESK, 1300),
    ("orga_admin", "a16-org-tickets", f"/plans/{p1.pk}/tickets/", DESK, 1500),
    ("orga_admin", "a18-org-arrangements", "/arrangements/", DESK, 700),
    ("orga_admin", "a19-org-report", f"/arrangements/{p1.pk}/", DESK, 1300),
    ("chaoyang", "a30-district-arrangements", "/arrangements/", DESK, 700),
    ("chaoyang", "a31-district-report", f"/arrangements/{p1.pk}/", DESK, 1300),
    ("centre", "a32-centre-arrangements", "/arrangements/", DESK, 700),
    ("orga_invigilator", "a40-staff-my-assignments", "/my/assignments/", DESK, 600),
    ("orga_admin", "a41-admin-my-assignments", "/my/assignments/", DESK, 600),
    ("13900139000", "a50-portal-tickets", "/portal/tickets/", PHONE, 1300),
    ("13800138000", "a51-portal-tickets-none", "/portal/tickets/", PHONE, 700),
]


def save(name, response, width, height):
    assert response.status_code == 200, (name, response.status_code)
    html = response.content.decode().replace("<head>", f"<head>\n  {base}", 1)
    with open(f"{out}/{name}.html", "w", encoding="utf-8") as fh:
        fh.write(html)
    print(f"{name}|file|{out}/{name}.html|{width}|{height}")


clients = {}


def client_for(username):
    client = clients.setdefault(username, Client())
    client.force_login(User.objects.get(username=username))
    return client


# Two more people in the registry (through the service): a credential that expired, and one that lapses before
# the exam, so the list shows its 「已过期」 and 「将过期」 badges (ARR-10).
admin_actor = Actor.of(User.objects.get(username="orga_admin"))
today = clock.today()
for n, (name, until) in enumerate([("钱监考", today - dt.timedelta(days=40)), ("孔监考", today + dt.timedelta(days=10))]):
    first17 = f"11010519850315{n:02d}2"
    rooms.save_staff(actor=admin_actor, org_id=p1.org_id, name=name, doc_number=first17 + check_character(first17),
                     roles=["invigilator"], employer="北京市朝阳区社区卫生服务中心", credential_number=f"京评证20230{n}",
                     credential_valid_from=dt.date(2023, 1, 1), credential_valid_until=until)

for username, name, path, width, height in as_user:
    save(name, client_for(username).get(path), width, height)

# The whole plan's tickets PDF while it is being made: the progress bar the page polls every second.
cache.set(tasks._key(p1.pk), {"status": "running", "done": 17, "total": 44, "percent": 38, "token": "x",
                              "updated": time.time()}, 60)
save("a17-org-tickets-bulk-running", client_for("orga_admin").get(f"/plans/{p1.pk}/tickets/"), DESK, 700)
cache.delete(tasks._key(p1.pk))

admin = client_for("orga_admin")
seats = list(Seat.objects.filter(session=theory, room=room1).order_by("seat_no"))
# Refused actions, to see how an error reads beside its form (the services write nothing):
# a move that leaves a gap in the snake (ARR-4); a swap after release without a reason (DAY-1);
# a room edited after release; a staff member with a wrong check character (NAT-6).
save("a20-org-move-refused-ARR-4", admin.post(f"/sessions/{theory.pk}/seats/move/",
     {"seat": seats[2].pk, "room": room1.pk, "seat_no": 29, "reason": "考生要求靠窗"}), DESK, 2300)
save("a21-org-swap-needs-reason-DAY-1", admin.post(f"/sessions/{theory.pk}/seats/swap/",
     {"first": seats[0].pk, "second": seats[-1].pk, "reason": ""}), DESK, 2300)
save("a22-org-room-edit-refused", admin.post(f"/sites/{theory.site_id}/rooms/{room1.pk}/edit/",
     {"number": 1, "kind": "classroom", "rows": 6, "columns": 6, "door": "front_left", "building": "教学楼",
      "floor": "2", "location": "201", "has_video": "on"}), DESK, 800)
save("a23-org-staff-new-NAT-6", admin.post("/staff/new/",
     {"name": "钱监考", "doc_number": "110105198001010010", "roles": ["invigilator"], "active": "on"}), DESK, 1100)
# Staff shortage (ARR-5): two invigilators leave the registry for a moment; the assignment saves nothing.
StaffMember.objects.filter(org=p1.org, name__in=["梁监考", "宋监考"]).update(active=False)
save("a24-org-assign-shortage-ARR-5", admin.post(f"/plans/{p1.pk}/arrangement/assign/"), DESK, 2400)
StaffMember.objects.filter(org=p1.org, name__in=["梁监考", "宋监考"]).update(active=True)
# A swap after release with a reason: both tickets re-issued (DAY-1), shown after the redirect.
r = admin.post(f"/sessions/{theory.pk}/seats/swap/",
               {"first": seats[0].pk, "second": seats[-1].pk, "reason": "考生腿部受伤，调至门边座位"})
save("a25-org-swap-reissued-DAY-1", admin.get(r.url), DESK, 1200)

# A lecture hall seats every other row (ARR-3), its door at the back on the right: 24 candidates of the
# accepted plan seated there (services; the page's own button seats into all suitable rooms).
from kaowu.arrangement import seating
from tests import factories as f

hall = rooms.save_room(actor=admin_actor, site=theory.site, number=3, rows=8, columns=8, kind="lecture_hall",
                       door="back_right", building="报告厅", floor="1", location="阶梯教室")
f.approved_applications(plan=accepted, actor=admin_actor, count=24, start=600)
hall_theory = accepted.sessions.get(subject="theory")
f.ready_to_seat(accepted, admin_actor)  # the spine's steps before seating (ARR-1, REG-6)
seating.seat_session(actor=admin_actor, session=hall_theory, seed="demo-hall", rooms=[hall])
save("a26-org-seat-map-lecture-hall", admin.get(f"/sessions/{hall_theory.pk}/seats/"), DESK, 1500)
save("a27-org-arrangement-seated", admin.get(f"/plans/{accepted.pk}/arrangement/"), DESK, 1900)
PY

screens_shoot
