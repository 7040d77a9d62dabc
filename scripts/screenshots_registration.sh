#!/usr/bin/env bash
# Screenshots of the registration screens (portal, review, fees, imports, spot checks), as a person sees them,
# into ./screenshots/registration/. The same approach as scripts/screenshots.sh: a throw-away SQLite database
# with the demo data (manage.py seed_demo), a dev server on 127.0.0.1:8766 for the static files and the public
# pages, the signed-in pages rendered with Django's test client as each demo user and saved as HTML whose
# <base> points at the server, and headless Chromium (Debian's package) taking one PNG per page. The staff
# screens are taken 1366 px wide, the candidate portal 390 px wide (a phone).
set -euo pipefail

source "$(dirname "$0")/screens_common.sh"
screens_start "registration" 8766

"$PY" - "$WORK/html" "$PORT" >"$WORK/pages.txt" <<'PY'
import io
import sys

import django

django.setup()

from django.conf import settings
from django.test import Client
from openpyxl import Workbook

from kaowu.kernel.actors import Actor
from kaowu.parties.models import User
from kaowu.plans import services as plan_services
from kaowu.plans.models import BatchPlan
from kaowu.registration import services as reg
from kaowu.registration.idcard import check_character
from kaowu.registration.imports import COLUMNS
from kaowu.registration.models import Application, ImportBatch, SpotCheck
from tests import factories as f

out, port = sys.argv[1], sys.argv[2]
base = f'<base href="http://127.0.0.1:{port}/">'
settings.ALLOWED_HOSTS = ["*"]
PHONE, DESK = 390, 1366

p1 = BatchPlan.objects.get(spot_check__isnull=False)  # confirmed, 22 approved, drawn by chaoyang
zhang = Application.objects.get(candidate__name="张伟")  # submitted to the accepted plan
li = Application.objects.get(candidate__name="李娜")  # approved in p1
trainee = Application.objects.filter(plan=p1, candidate__user__isnull=True).order_by("id").first()
p2 = zhang.plan

live = [
    ("80-portal-register", "/portal/register/", PHONE, 1400),
    ("80b-login-phone", "/login/", PHONE, 800),
]
as_user = [
    ("13800138000", "81-portal-home", "/portal/", PHONE, 1500),
    ("13800138000", "82-portal-plans", "/portal/plans/", PHONE, 1500),
    ("13800138000", "83-portal-application", f"/portal/applications/{zhang.pk}/", PHONE, 3200),
    ("13800138000", "84-portal-commitment", f"/portal/applications/{zhang.pk}/commitments/work/", PHONE, 1100),
    ("13800138000", "85-portal-apply", f"/portal/plans/{p1.pk}/apply/", PHONE, 1700),
    ("13900139000", "86-portal-home-approved", "/portal/", PHONE, 1300),
    ("13900139000", "87-portal-application-approved", f"/portal/applications/{li.pk}/", PHONE, 2800),
    ("13900139000", "88-portal-home-desktop", "/portal/", DESK, 900),
    ("orga_admin", "90-org-registration-home", "/applications/", DESK, 700),
    ("orga_admin", "91-org-plan-applications", f"/plans/{p1.pk}/applications/", DESK, 1700),
    ("orga_admin", "92-org-plan-applications-accepted", f"/plans/{p2.pk}/applications/?status=submitted", DESK, 800),
    ("orga_affairs", "93-org-review-submitted", f"/applications/{zhang.pk}/", DESK, 1900),
    ("orga_admin", "94-org-review-approved", f"/applications/{li.pk}/", DESK, 1800),
    ("orga_admin", "95-org-review-trainee", f"/applications/{trainee.pk}/?show_id=1", DESK, 1700),
    ("orga_affairs", "96-org-staff-entry", f"/plans/{p2.pk}/applications/new/", DESK, 1100),
    ("orga_affairs", "97-org-import", f"/plans/{p2.pk}/import/", DESK, 900),
    ("orga_admin", "98-org-spot-check", f"/plans/{p1.pk}/spot-check/", DESK, 1200),
    ("chaoyang", "100-district-spot-checks", "/district/spot-checks/", DESK, 700),
    ("chaoyang", "101-district-spot-check-drawn", f"/district/spot-checks/{p1.pk}/", DESK, 2100),
    ("chaoyang", "102-district-spot-check-reproduced", f"/district/spot-checks/{p1.pk}/?reproduce=1", DESK, 900),
    ("centre", "110-centre-spot-checks", "/centre/spot-checks/", DESK, 700),
]


def sheet(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(list(COLUMNS))
    for n, number, level in rows:
        values = dict.fromkeys(COLUMNS, "")
        values.update({"序号": n, "职业工种名称": "保健按摩师", "认定等级": level, "申报条件": "年满16周岁",
                       "证件类型": "居民身份证", "证件号码": number, "姓名": f"导入考生{n}",
                       "手机号码": f"1370000{n:04d}", "认定分类": "初次认定", "考试类型": "正考"})
        ws.append([values[c] for c in COLUMNS])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "十二月批次考生信息.xlsx"
    return buffer


def good(n):
    first17 = f"11010519920415{n:03d}"
    return first17 + check_character(first17)


# Refused actions, to see how an error reads beside its form (the services write nothing, except the import
# batch, which records what was refused): a fee before approval (REG-5), a wrong check character at
# registration and in staff entry (REG-1 / NAT-6), an upload that is not a PDF (REG-3), a bad sheet.
bad_pdf = io.BytesIO(b"MZ not a pdf")
bad_pdf.name = "工作证明.pdf"
refused = [
    ("orga_affairs", "120-org-fee-before-approval-REG-5", f"/applications/{zhang.pk}/payments/new/",
     {"paid_on": "2026-11-20", "method": "微信支付", "invoice_number": "11002699001", "invoice_date": "2026-11-20",
      "payer": "张伟"}, DESK, 1900),
    ("orga_affairs", "121-org-staff-entry-NAT-6", f"/plans/{p2.pk}/applications/new/",
     {"doc_type": "id_card", "doc_number": "110105199204150011", "name": "孙丽", "phone": "13700001111",
      "level": 5, "category": "initial", "exam_type": "regular"}, DESK, 1100),
    ("13800138000", "122-portal-upload-REG-3", f"/applications/{zhang.pk}/evidence/new/",
     {"kind": "social_insurance", "file": bad_pdf}, PHONE, 3300),
    ("13800138000", "123-portal-chsi-NAT-8", f"/applications/{zhang.pk}/chsi/new/",
     {"code": "AB12", "expires_on": "2027-12-31"}, PHONE, 3300),
]

for name, path, width, height in live:
    print(f"{name}|live|http://127.0.0.1:{port}{path}|{width}|{height}")


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


for username, name, path, width, height in as_user:
    save(name, client_for(username).get(path), width, height)
for username, name, path, data, width, height in refused:
    save(name, client_for(username).post(path, data), width, height)
# Registration refused: a wrong check character (no login).
save("124-portal-register-NAT-6", Client().post("/portal/register/", {
    "doc_type": "id_card", "doc_number": "110105199204150011", "name": "孙丽", "phone": "13700001111",
    "password": "kaowu-2026-pass", "password2": "kaowu-2026-pass"}), PHONE, 1500)

# A sheet with errors: the preview lists row, column and message; nothing is written.
c = client_for("orga_affairs")
r = c.post(f"/plans/{p2.pk}/import/", {"file": sheet([(1, good(1), "五级"), (2, good(2)[:-1] + "0", "五级"),
                                                      (3, good(3), "三级"), (4, "11010519921315004X", "五级")])})
save("125-org-import-refused", c.get(r.url), DESK, 1000)
# A good sheet: the preview with counts and the confirm button.
r = c.post(f"/plans/{p2.pk}/import/", {"file": sheet([(n, good(n), "五级" if n % 3 else "四级") for n in range(10, 40)])})
save("126-org-import-preview", c.get(r.url), DESK, 2000)

# Findings on the drawn list: one ineligible, one needing a fix; the organisation's side then shows its actions.
from kaowu.registration import spotcheck

chaoyang = Actor.of(User.objects.get(username="chaoyang"))
items = list(SpotCheck.objects.get(plan=p1).items.all())
spotcheck.record_finding(actor=chaoyang, item=items[0], finding="ineligible", note="社保记录显示在本职业工作不足1年，与申报不符")
spotcheck.record_finding(actor=chaoyang, item=items[1], finding="needs_fix", note="身份证复印件不清晰，请补交")
for item in items[2:5]:
    spotcheck.record_finding(actor=chaoyang, item=item, finding="eligible")
save("99-org-spot-check-findings", client_for("orga_admin").get(f"/plans/{p1.pk}/spot-check/"), DESK, 1100)
save("105-district-spot-check-findings", client_for("chaoyang").get(f"/district/spot-checks/{p1.pk}/"), DESK, 2000)

# The draw page before a draw: confirm the accepted plan, approve 21 trainees, confirm its list (services).
admin = Actor.of(User.objects.get(username="orga_admin"))
if not p2.district_opinion:  # the site district's opinion comes before confirmation (附件1)
    f.district_opinion(p2)
plan_services.confirm_batch_plan(actor=admin, plan=p2)
reg.approve_application(actor=admin, application=zhang)
f.approved_applications(plan=p2, actor=admin, count=21, start=500)
reg.confirm_candidates(actor=admin, plan=p2)
save("103-district-spot-check-draw", client_for("chaoyang").get(f"/district/spot-checks/{p2.pk}/"), DESK, 900)
save("104-district-spot-checks-two", client_for("chaoyang").get("/district/spot-checks/"), DESK, 700)
PY

screens_shoot
