"""Backup and restore: a round trip compares every table and every uploaded file, and the audit chain verifies
after the restore; a restore never overwrites a database that already holds records."""

from __future__ import annotations

import hashlib
import pathlib

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection

from kaowu.kernel import audit
from kaowu.oversight import backup
from kaowu.oversight.services import complaints


def _files() -> dict[str, str]:
    root = pathlib.Path(settings.MEDIA_ROOT)
    return {rel: hashlib.sha256(p.read_bytes()).hexdigest() for rel, p in backup.media_files(root).items()}


def _wipe() -> None:
    """What a new, empty database looks like to the restore (inside this test's transaction)."""
    tables = [m._meta.db_table for m in backup.table_models()]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # the roster's kept-forever triggers would refuse the DELETE
            for t in ("certificates_roster", "certificates_rosterrow", "results_scoreroster"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {t}_no_delete")
        if connection.vendor == "postgresql":  # check this test's deferred foreign keys before TRUNCATE
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in connection.ops.sql_flush(no_style(), tables):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_round_trip_restores_every_table_and_file_and_the_audit_chain_verifies(issued_plan, org_a, tmp_path):
    complaints.submit_complaint(
        actor=complaints.PUBLIC,
        org=org_a,
        kind="complaint",
        complainant_name="刘",
        contact="1",
        subject="s",
        body="b",
        attachments=[("a.pdf", b"%PDF-1.4 test")],
    )
    audit.seal()
    audit.checkpoint()
    before = {m._meta.label_lower: backup.dump_table(m) for m in backup.table_models()}
    files = _files()
    assert files and sum(len(r) for r in before.values()) > 100
    path = tmp_path / "backup.tar.gz"
    call_command("backup", str(path))
    _wipe()
    for p in pathlib.Path(settings.MEDIA_ROOT).rglob("*"):
        if p.is_file():
            p.unlink()
    assert not backup.dump_table(backup.apps.get_model("registration.application"))
    result = backup.restore(path)
    assert result["audit_problem"] is None
    after = {m._meta.label_lower: backup.dump_table(m) for m in backup.table_models()}
    assert after == before
    assert _files() == files


def test_restore_refuses_a_database_that_holds_records(apps_a, tmp_path):
    path = tmp_path / "b.tar.gz"
    backup.backup(path)
    with pytest.raises(CommandError, match="空数据库"):
        call_command("restore", str(path))
    assert apps_a[0].__class__.objects.count() == 3
