"""Writing a checked import batch: candidates, applications and declared certificates, one INSERT statement
per table and chunk (commit_import() in imports.py calls write inside its transaction, after the re-check).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import connections, router

from kaowu.kernel import clock
from kaowu.kernel.actors import Actor
from kaowu.plans.models import BatchPlan
from kaowu.registration.enums import ApplicationStatus
from kaowu.registration.enums import QualificationKind as QK
from kaowu.registration.import_rows import APPLICATION_FIELDS, CANDIDATE_FIELDS, existing_candidates
from kaowu.registration.models import Application, Candidate, ImportBatch, Qualification

PREPARED_TYPES = frozenset({"DateField", "DateTimeField", "DecimalField", "JSONField", "TimeField", "UUIDField"})


def _insert_rows(model, rows: list[dict], constants: dict) -> None:
    """INSERT `rows` (attname -> value) of `model`, with `constants` and the model's defaults for the rest.

    What bulk_create does, without its per-row, per-field cost: every value is prepared by its field
    (get_db_prep_save), but constants and defaults once per column, repeated values once, and plain text and
    integers not at all. bench/import_10k.py: 10,000 candidates and applications take ~0.4 s this way against
    ~3 s through bulk_create, which alone would break the 5 s goal. No signals are sent, as with bulk_create.

    On PostgreSQL the rows go through COPY FROM STDIN: psycopg's executemany sends one INSERT per row (pipelined),
    ~21,000 statements for a 10,000-row sheet, which alone took longer than the 5 s goal (issue 10).
    """
    if not rows:
        return
    conn = connections[router.db_for_write(model)]
    varying, fixed = [], []
    for f in model._meta.concrete_fields:
        if f.attname in rows[0]:
            varying.append((f, _preparer(f, conn) if f.get_internal_type() in PREPARED_TYPES else None))
        elif not f.primary_key:
            value = constants[f.attname] if f.attname in constants else f.get_default()
            fixed.append((f, f.get_db_prep_save(value, conn)))
    columns = ", ".join(conn.ops.quote_name(f.column) for f, _ in varying + fixed)
    table = conn.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * (len(varying) + len(fixed)))})"
    tail = tuple(value for _, value in fixed)
    names = [(f.attname, prepare) for f, prepare in varying]
    params = [tuple(r[a] if prepare is None else prepare(r[a]) for a, prepare in names) + tail for r in rows]
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
            return
        for i in range(0, len(params), 2000):
            cursor.executemany(sql, params[i : i + 2000])


def _preparer(f, conn) -> Callable:
    seen: dict = {}

    def prepare(value):
        try:
            return seen[value]
        except KeyError:
            seen[value] = prepared = f.get_db_prep_save(value, conn)
            return prepared
        except TypeError:  # unhashable (a JSON value)
            return f.get_db_prep_save(value, conn)

    return prepare


def write(*, actor: Actor, plan: BatchPlan, batch: ImportBatch, existing: dict) -> dict:
    """Candidates, applications and certificates of a checked batch; one INSERT statement per table and chunk."""
    rows, now, user = batch.rows, clock.now(), actor.acting_user
    ids = {key: pk for key, (pk, _) in existing.items()}
    new = [r for r in rows if (r["doc_type"], r["doc_number"]) not in ids]
    people = [{k: r[k] for k in CANDIDATE_FIELDS} for r in new]
    for person in people:
        person["birth_date"] = _date(person["birth_date"])
        person["work_start_date"] = _date(person["work_start_date"])
    _insert_rows(Candidate, people, {"created_at": now})
    ids.update(
        {key: pk for key, (pk, _) in existing_candidates({(r["doc_type"], r["doc_number"]) for r in new}).items()}
    )
    apps = []
    for r in rows:
        app = {k: r[k] for k in APPLICATION_FIELDS}
        app["years_in_specialty"] = Decimal(r["years_in_specialty"]) if r["years_in_specialty"] else None
        app["candidate_id"] = ids[(r["doc_type"], r["doc_number"])]
        apps.append(app)
    _insert_rows(
        Application,
        apps,
        {
            "plan_id": plan.pk,
            "standard_id": plan.standard_id,
            "status": ApplicationStatus.SUBMITTED,
            "submitted_at": now,
            "created_at": now,
            "created_by_id": user.pk if user else None,
            "import_batch_id": batch.pk,
        },
    )
    app_ids = dict(Application.objects.filter(import_batch=batch).values_list("candidate_id", "id"))
    certificates = [
        {
            "application_id": app_ids[app["candidate_id"]],
            "level": r["certificate_level"],
            "number": r["certificate_number"],
            "number_format": r["certificate_format"],
        }
        for app, r in zip(apps, rows, strict=True)
        if r["certificate_number"]
    ]
    _insert_rows(Qualification, certificates, {"kind": QK.CERTIFICATE})
    return {
        "applications": len(apps),
        "candidates_created": len(new),
        "candidates_reused": len(rows) - len(new),
        "certificates": len(certificates),
    }


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
