#!/usr/bin/env bash
# Screenshots of the screens, as a person sees them, into ./screenshots/ (make screenshots).
#
# A throw-away SQLite database gets the demo data (manage.py seed_demo); a dev server on 127.0.0.1:8765
# serves the static files and the public pages; the signed-in pages are rendered with Django's test
# client as each demo user and saved as HTML whose <base> points at the server; headless Chromium
# (Debian's package, installed if missing) takes one PNG per page.
set -euo pipefail

source "$(dirname "$0")/screens_common.sh"
screens_start "" 8765

"$PY" - "$WORK/html" "$PORT" >"$WORK/pages.txt" <<'PY'
import datetime as dt
import sys

import django

django.setup()

from django.test import Client

from kaowu.parties.models import User
from kaowu.plans.enums import PlanStatus
from kaowu.plans.models import AnnualPlan, BatchPlan, Notice

out, port = sys.argv[1], sys.argv[2]
base = f'<base href="http://127.0.0.1:{port}/">'


def plan(org_short, status, **extra):
    return BatchPlan.objects.filter(org__short_name=org_short, status=status, **extra).order_by("first_date").first()


confirmed = plan("成人按摩", PlanStatus.CONFIRMED)
accepted = plan("成人按摩", PlanStatus.ACCEPTED)
submitted = plan("成人按摩", PlanStatus.SUBMITTED)
returned = plan("成人按摩", PlanStatus.RETURNED)
drafts = list(BatchPlan.objects.filter(org__short_name="成人按摩", status=PlanStatus.DRAFT).order_by("first_date"))
stopped, draft = drafts[0], drafts[-1]
b_confirmed = plan("海淀电力", PlanStatus.CONFIRMED)
annual_a = AnnualPlan.objects.filter(org__short_name="成人按摩").first()
notice_a = Notice.objects.filter(org__short_name="成人按摩", kind="quarterly").first()
skill = accepted.sessions.get(subject="skill")
theory = draft.sessions.get(subject="theory")

live = [
    ("01-landing", "/", 900),
    ("02-login", "/login/", 700),
    ("03-public-notices", "/public/notices/", 1500),
]
as_user = [
    ("centre", "10-centre-home", "/", 900),
    ("centre", "11-centre-inbox", "/inbox/", 1700),
    ("centre", "12-centre-plans", "/plans/", 1000),
    ("centre", "13-centre-plan-submitted", f"/plans/{submitted.pk}/", 1750),
    ("centre", "14-centre-notices", "/notices/", 800),
    ("centre", "15-centre-scope", "/scope/", 1100),
    ("chaoyang", "20-district-home", "/", 900),
    ("chaoyang", "21-district-plans", "/district/plans/", 900),
    ("chaoyang", "22-district-plan-confirmed", f"/plans/{confirmed.pk}/", 1750),
    ("orga_admin", "30-org-home", "/", 1100),
    ("orga_admin", "31-org-plans", "/plans/", 1000),
    ("orga_admin", "32-org-plan-new", "/plans/new/", 1000),
    ("orga_admin", "33-org-plan-draft", f"/plans/{draft.pk}/", 1850),
    ("orga_admin", "34-org-plan-returned", f"/plans/{returned.pk}/", 1850),
    ("orga_admin", "35-org-plan-accepted", f"/plans/{accepted.pk}/", 1750),
    ("orga_admin", "36-org-plan-stopped-timeline", f"/plans/{stopped.pk}/timeline/", 900),
    ("orga_admin", "37-org-change-form", f"/plans/{accepted.pk}/sessions/{skill.pk}/change/", 900),
    ("orga_admin", "38-org-session-edit", f"/plans/{draft.pk}/sessions/{theory.pk}/edit/", 700),
    ("orga_admin", "39-org-annual-list", "/annual-plans/", 700),
    ("orga_admin", "40-org-annual-detail", f"/annual-plans/{annual_a.pk}/", 800),
    ("orga_admin", "41-org-annual-new", "/annual-plans/new/", 1000),
    ("orga_admin", "42-org-notices", "/notices/", 700),
    ("orga_admin", "43-org-notice-detail", f"/notices/{notice_a.pk}/", 1100),
    ("orga_admin", "44-org-notice-new", "/notices/new/?kind=quarterly", 1400),
    ("orga_admin", "45-org-scope", "/scope/", 1000),
    ("orga_invigilator", "50-staff-home", "/", 800),
    ("orgb_admin", "60-orgb-plan-change-pending", f"/plans/{b_confirmed.pk}/", 1900),
]
# Refused actions, to see how an error reads beside its form (the services write nothing):
# theory moved after skill, and a skill session added before theory (both PLAN-9).
skill_d = draft.sessions.get(subject="skill")
refused = [
    (
        "orga_admin",
        "70-org-session-edit-PLAN-9",
        f"/plans/{draft.pk}/sessions/{theory.pk}/edit/",
        {"site": theory.site_id, "method": "written", "date": f"{skill_d.date:%Y-%m-%d}",
         "start_time": "14:00", "end_time": "15:30"},
        800,
    ),
    (
        "orga_admin",
        "71-org-session-add-PLAN-9",
        f"/plans/{draft.pk}/sessions/new/",
        {"subject": "skill", "site": theory.site_id, "method": "practical",
         "date": f"{theory.date - dt.timedelta(days=1):%Y-%m-%d}", "start_time": "09:00", "end_time": "11:00"},
        1500,
    ),
]

for name, path, height in live:
    print(f"{name}|live|http://127.0.0.1:{port}{path}|{height}")


def save(name, response, height):
    assert response.status_code == 200, (name, response.status_code)
    html = response.content.decode().replace("<head>", f"<head>\n  {base}", 1)
    with open(f"{out}/{name}.html", "w", encoding="utf-8") as fh:
        fh.write(html)
    print(f"{name}|file|{out}/{name}.html|{height}")


clients = {}
for username, name, path, height in as_user:
    client = clients.setdefault(username, Client())
    client.force_login(User.objects.get(username=username))
    save(name, client.get(path), height)
for username, name, path, data, height in refused:
    client = clients.setdefault(username, Client())
    client.force_login(User.objects.get(username=username))
    save(name, client.post(path, data), height)
PY

screens_shoot
