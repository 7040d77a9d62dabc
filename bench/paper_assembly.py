"""Paper assembly and answer sheets (NAT-14, NAT-15, DAY-3).

Standalone: a fresh SQLite database under /tmp, the seeded 电工 四级 理论知识 blueprint (39 鉴定点) and a bank of
about 5,000 active items spread over the points by weight (bulk inserts).

paper_assembly: `assemble` of two versions of a 200-item paper, the whole service (thin-point check, the bank
read, apportionment, type spread, seeded draw, overlap and tolerance checks, the coverage proof, the writes of
the assembly, two papers, 400 paper items, the usage counts and the audit event); the median of 5 runs with
different seeds. "ref" is one SELECT of the same bank rows (the values the assembler reads), median of 5.

answer_sheets: 100 personalised answer sheets (ticket digits, bubbles, QR code each) in one PDF through the one
renderer (kernel.pdf.render_inline), data preparation included; "ref" is a bare typst compile of the same
layout with the same data already serialised. The seat rows are given (reading them is two queries).

    python bench/paper_assembly.py

Prints two lines:
    paper_assembly ours=<s> ref=<s> ratio=<ours/ref> goal=<=1 s and <=20x one bank-sized SELECT
    answer_sheets ours=<per second>/s ref=<per second>/s ratio=<ref_rate/our_rate> goal=>=100/s and <=3x ...
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _benchenv import prepare

DB_LABEL, TMP = prepare("items")  # DATABASE_URL's server (default SQLite), a fresh database of its own

import django

django.setup()

import typst
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder

from kaowu.catalog.models import Standard
from kaowu.items import bulk_bank as bank
from kaowu.items import seed_data
from kaowu.items.enums import ItemStatus
from kaowu.items.models import Item
from kaowu.items.printouts import answer_sheet
from kaowu.items.services import assembly, blueprints
from kaowu.kernel import clock, pdf
from kaowu.kernel.actors import Actor
from kaowu.kernel.enums import Role
from kaowu.parties.models import District, EvaluationOrg, User

GOAL_SECONDS, GOAL_SELECT_RATIO = 1.0, 20.0
SHEETS, GOAL_RATE, GOAL_RATIO = 100, 100, 3.0
NOW = dt.datetime(2026, 11, 20, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def setup():
    call_command("migrate", verbosity=0)
    org = EvaluationOrg.objects.create(
        code="J110105001",
        full_name="北京市朝阳区电工职业技能培训学校",
        short_name="朝阳电工",
        district=District.objects.get(name="朝阳区"),
        serial="010001",
    )
    user = User.objects.create(username="writer", role=Role.ITEM_WRITER, org=org, display_name="孙命题")
    writer = Actor.of(user)
    standard = Standard.objects.get(occupation__code="6-31-01-03")
    bp = blueprints.create_blueprint(actor=writer, org_id=org.pk, standard=standard, level=4, subject="theory")
    blueprints.write_tree(actor=writer, blueprint=bp, rows=seed_data.point_rows(seed_data.THEORY_4))
    bp = blueprints.activate_blueprint(actor=writer, blueprint=bp)
    bank.fill(bp, author=user, per_weight_point=50)
    return writer, bp


def bank_select(bp):
    return list(
        Item.objects.filter(blueprint=bp, status=ItemStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", "point_id", "kind", "current_id", "difficulty")
    )


def main() -> None:
    with clock.pinned(NOW):
        writer, bp = setup()
        size = len(bank_select(bp))
        assembly.assemble(actor=writer, blueprint=bp, versions=2, seed="warm")  # imports, rule cache
        runs, refs = [], []
        for n in range(5):
            start = time.perf_counter()
            rows = bank_select(bp)
            refs.append(time.perf_counter() - start)
            start = time.perf_counter()
            made = assembly.assemble(actor=writer, blueprint=bp, versions=2, seed=f"bench{n}")
            runs.append(time.perf_counter() - start)
            assert all(p.coverage["ok"] for p in made.papers.all()) and len(rows) == size
        ours, ref = statistics.median(runs), statistics.median(refs)
        print(
            f"paper_assembly db={DB_LABEL} ours={ours:.3f}s ref={ref:.4f}s ratio={ours / ref:.1f} "
            f"goal=<={GOAL_SECONDS:g} s and <={GOAL_SELECT_RATIO:g}x one bank-sized SELECT "
            f"(2 versions x 200 items, bank {size})"
        )

        seats = [
            {
                "ticket": f"26120201{n // 30 + 1:02d}{n % 30 + 1:02d}",
                "name": f"考生{n:03d}",
                "room": f"第{n // 30 + 1:02d}考场",
                "room_number": n // 30 + 1,
                "seat": f"{n % 30 + 1:02d}",
            }
            for n in range(SHEETS)
        ]
        answer_sheet.answer_sheets_data(made, rows=seats[:2])  # warm up: the QR layouts
        pdf.render_inline(answer_sheet.LAYOUT, "answer-sheets", answer_sheet.answer_sheets_data(made, rows=seats[:2]))
        start = time.perf_counter()
        body = pdf.render_inline(
            answer_sheet.LAYOUT, "answer-sheets", answer_sheet.answer_sheets_data(made, rows=seats)
        )
        ours = time.perf_counter() - start
        assert body.startswith(b"%PDF")

        start = time.perf_counter()
        data = answer_sheet.answer_sheets_data(made, rows=seats)
        if os.environ.get("KAOWU_BENCH_DETAIL"):
            print(f"  answer_sheets data {time.perf_counter() - start:.3f}s")
        literal = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder).replace("\\", "\\\\").replace('"', '\\"')
        source = (
            f'#import "/items/printouts/answer_sheet.typ": answer-sheets\n#answer-sheets(json(bytes("{literal}")))\n'
        )

        def bare() -> bytes:
            return typst.compile(
                source.encode(), root=str(pdf.ROOT), font_paths=pdf._FONTS, ignore_system_fonts=True, format="pdf"
            )

        assert bare().startswith(b"%PDF")
        start = time.perf_counter()
        bare()
        ref = time.perf_counter() - start
    our_rate, ref_rate = SHEETS / ours, SHEETS / ref
    print(
        f"answer_sheets db={DB_LABEL} ours={our_rate:.0f}/s ref={ref_rate:.0f}/s ratio={ref_rate / our_rate:.2f} "
        f"goal=>={GOAL_RATE}/s and <={GOAL_RATIO:g}x a bare Typst compile"
    )


if __name__ == "__main__":
    main()
