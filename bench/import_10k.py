"""Import of a 10,000-row 33-column sheet: ours (preview + commit) against openpyxl's read-only parse alone.

    python bench/import_10k.py

Uses a fresh database on DATABASE_URL's server (default SQLite; bench/_benchenv.py), migrated from scratch, a plan of a fresh organisation opened for
entry with the clock pinned, and a deterministic sheet of valid rows. Prints one line; goal: ours ≤ 5 s and
≤ 3× the openpyxl read-only parse of the same file.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import time
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(__file__))
from _benchenv import prepare

DB_LABEL, TMP = prepare("import")  # DATABASE_URL's server (default SQLite), a fresh database of its own

import django

django.setup()

from django.core.management import call_command
from openpyxl import Workbook, load_workbook

ROWS = 10_000
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def setup_plan():
    """Org, filed scope, site and a plan accepted by the centre: open for entry until T−10."""
    from kaowu.kernel.actors import Actor
    from kaowu.kernel.enums import Role
    from kaowu.plans import services
    from tests import factories as f

    org = f.org(
        code="J110105001",
        full_name="北京市朝阳区成人按摩职业技能培训学校",
        short_name="成人按摩",
        district_name="朝阳区",
        serial="010001",
    )
    f.scope(org, "4-10-04-02", [5, 4, 3])
    site = f.site(org, "朝阳考点", "朝阳区")
    admin = Actor.of(f.user("bench_admin", Role.ORG_ADMIN, org=org, display_name="王立新"))
    centre = Actor.of(f.user("bench_centre", Role.CENTRE_OFFICER, display_name="赵中心"))
    plan = f.plan(
        actor=admin, org=org, site=site, first_date=NOW.date() + dt.timedelta(days=30), levels={5: 6000, 4: 4000}
    )
    services.submit_batch_plan(actor=admin, plan=plan)
    services.accept_batch_plan(actor=centre, plan=plan)
    plan.refresh_from_db()
    return admin, plan


def sheet() -> bytes:
    """10,000 valid rows; every 10th declares a 22-character certificate."""
    from kaowu.registration.idcard import check_character
    from kaowu.registration.imports import COLUMNS

    wb = Workbook()
    ws = wb.active
    ws.append(list(COLUMNS))
    for i in range(ROWS):
        birth = dt.date(1970, 1, 1) + dt.timedelta(days=(i * 37) % 12000)
        first17 = f"110105{birth:%Y%m%d}{i % 1000:03d}"  # birth dates differ for every i: 37 and 12000 coprime
        number = first17 + check_character(first17)
        male = int(number[16]) % 2 == 1
        level = "四级" if i % 5 == 0 else "五级"
        certificate = i % 10 == 0
        ws.append(
            [
                i + 1,
                "保健按摩师",
                level,
                f"{level} 条件（1）",  # the template's drop-down value
                "居民身份证",
                number,
                SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[(i // 3) % len(GIVEN)],
                "男" if male else "女",
                f"{birth:%Y-%m-%d}",
                f"13{i % 10}{i:08d}",
                "是" if certificate else "否",
                "五级" if certificate else "",
                f"S0000110100012650{i:05d}" if certificate else "",
                "高中",
                "北京市",
                "社会考生",
                "北京康体按摩有限公司",
                "北京市朝阳区成人按摩职业技能培训学校",
                "晋级认定" if certificate else "初次认定",
                "",
                "正考",
                "汉族",
                "2015-03-01",
                f"k{i}@example.com",
                "3",
                "北京市朝阳区",
                "群众",
                "",
                "2015年起在按摩店从事保健按摩工作。",
                "北京市朝阳区望京街1号",
                "自取",
                "100102",
                "",
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def reference(content: bytes) -> float:
    """openpyxl read-only parse of the same file, iterating all rows."""
    started = time.perf_counter()
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    rows = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    elapsed = time.perf_counter() - started
    assert rows == ROWS + 1, rows
    return elapsed


def ours(admin, plan, content: bytes) -> float:
    from kaowu.registration.enums import ImportStatus
    from kaowu.registration.imports import commit_import, preview_import
    from kaowu.registration.models import Application

    started = time.perf_counter()
    batch = preview_import(actor=admin, plan=plan, filename="考生10000.xlsx", content=content)
    if batch.status != ImportStatus.PREVIEW:
        raise SystemExit(f"preview refused: {batch.errors[:5]}")
    batch = commit_import(actor=admin, batch=batch)
    elapsed = time.perf_counter() - started
    if batch.status != ImportStatus.COMMITTED:
        raise SystemExit(f"commit refused: {batch.errors[:5]}")
    assert Application.objects.filter(import_batch=batch).count() == ROWS
    return elapsed


def main() -> None:
    from kaowu.kernel import clock

    call_command("migrate", verbosity=0)
    with clock.pinned(NOW):
        admin, plan = setup_plan()
        content = sheet()
        ref = reference(content)
        mine = ours(admin, plan, content)
    print(
        f"import_10k_rows db={DB_LABEL} ours={mine:.2f}s ref={ref:.2f}s ratio={mine / ref:.2f} "
        "goal=<=5s and <=3x openpyxl read-only parse"
    )


if __name__ == "__main__":
    main()
