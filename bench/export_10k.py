"""The 33-column export of a 10,000-candidate plan (the audited `export_for`, as the screen and the API call it),
against openpyxl writing the same 10,001 rows of values already in memory (write-only workbook, no database).

    python bench/export_10k.py

The plan is filled through the real import (bench/import_10k.py's sheet and service calls). Prints one line;
goal: ours ≤ 5 s (linear in rows).
"""

from __future__ import annotations

import io
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import import_10k as imp  # prepares the database (DATABASE_URL's server, a fresh database) and Django
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

GOAL_SECONDS = 5.0


def main() -> None:
    from kaowu.kernel import clock
    from kaowu.kernel.models import AuditEvent
    from kaowu.registration.exports import export_for

    call_command("migrate", verbosity=0)
    with clock.pinned(imp.NOW):
        admin, plan = imp.setup_plan()
        imp.ours(admin, plan, imp.sheet())
        started = time.perf_counter()
        content = export_for(actor=admin, plan=plan)
        ours = time.perf_counter() - started
    assert AuditEvent.objects.filter(action="registration.export.downloaded").count() == 1
    rows = list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == imp.ROWS + 1 and len(rows[0]) == 33, (len(rows), len(rows[0]))

    started = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    for row in rows:
        ws.append(row)
    wb.save(io.BytesIO())
    ref = time.perf_counter() - started
    print(
        f"export_10k db={imp.DB_LABEL} ours={ours:.2f}s ref={ref:.2f}s ratio={ours / ref:.2f} "
        f"goal=<={GOAL_SECONDS:g}s (audited, linear in rows)"
    )


if __name__ == "__main__":
    main()
