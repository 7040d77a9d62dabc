"""Backup and restore of the whole database with the uploaded files (`manage.py backup` / `restore`).

A backup is one .tar.gz: manifest.json (when, the migration state, per table its row count and SHA-256, per file
its SHA-256), tables/<app.model>.json (every row of every concrete table, in primary-key order, the values as the
ORM reads them) and media/<path> (every file under MEDIA_ROOT), plus the audit checkpoint files. Vendor-neutral:
a SQLite backup restores into PostgreSQL and back.

Restore goes into a freshly migrated database and never overwrites records: it refuses when a kept table
(applications, certificates, rosters, the audit trail …) already holds rows. It empties the rows that migrations
seed (the rule profile, content types …), inserts every table inside one transaction with the foreign keys
checked at the end, resets the sequences, writes the files back, and verifies the audit chain (kernel.audit)."""

from __future__ import annotations

import hashlib
import io
import json
import pathlib
import tarfile

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from kaowu.kernel import audit
from kaowu.kernel.errors import KaowuError

KEPT = ("registration.application", "certificates.certificate", "certificates.roster", "kernel.auditevent")


def table_models() -> list[type[models.Model]]:
    return sorted(
        (
            m
            for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy and not m._meta.swapped
        ),
        key=lambda m: m._meta.label_lower,
    )


def _fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def dump_table(model) -> list[list]:
    """Every row of one table as JSON-ready lists, in primary-key order."""
    rows = model._base_manager.order_by("pk").values_list(*_fields(model))
    return json.loads(json.dumps([list(r) for r in rows], cls=DjangoJSONEncoder, ensure_ascii=False))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def media_files(root: pathlib.Path) -> dict[str, pathlib.Path]:
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def backup(path: pathlib.Path) -> dict:
    """Write the backup to `path`; returns the manifest. Reads in one transaction (a consistent snapshot on
    PostgreSQL with REPEATABLE READ semantics of a single read-only transaction)."""
    media_root = pathlib.Path(settings.MEDIA_ROOT)
    checkpoints = pathlib.Path(settings.AUDIT_CHECKPOINT_DIR)
    manifest = {"made_at": timezone.now().isoformat(), "vendor": connection.vendor, "tables": {}, "files": {}}
    with tarfile.open(path, "w:gz") as tar, transaction.atomic():
        manifest["migrations"] = sorted(MigrationRecorder(connection).applied_migrations())
        for model in table_models():
            body = json.dumps(
                {"fields": _fields(model), "rows": dump_table(model)}, ensure_ascii=False, separators=(",", ":")
            ).encode()
            label = model._meta.label_lower
            _add(tar, f"tables/{label}.json", body)
            manifest["tables"][label] = {"sha256": _digest(body)}
        for rel, file in media_files(media_root).items():
            data = file.read_bytes()
            _add(tar, f"media/{rel}", data)
            manifest["files"][rel] = _digest(data)
        for rel, file in media_files(checkpoints).items():
            _add(tar, f"checkpoints/{rel}", file.read_bytes())
        manifest["migrations"] = [list(m) for m in manifest["migrations"]]
        _add(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    return manifest


def restore(path: pathlib.Path) -> dict:
    """Restore the backup at `path` into this (freshly migrated) database and MEDIA_ROOT."""
    media_root = pathlib.Path(settings.MEDIA_ROOT)
    with tarfile.open(path, "r:gz") as tar:
        members = {m.name: m for m in tar.getmembers() if m.isfile()}

        def read(name: str) -> bytes:
            return tar.extractfile(members[name]).read()

        manifest = json.loads(read("manifest.json"))
        applied = sorted(tuple(m) for m in MigrationRecorder(connection).applied_migrations())
        if sorted(tuple(m) for m in manifest["migrations"]) != applied:
            raise KaowuError(
                "备份的数据库结构版本与当前不同，请先将本系统迁移到与备份相同的版本（manage.py migrate）后再恢复。",
                code="restore_version",
            )
        for label in KEPT:
            if apps.get_model(label)._base_manager.exists():
                raise KaowuError(
                    f"目标数据库已有「{apps.get_model(label)._meta.verbose_name}」记录，恢复只能在新建的空数据库中进行，"
                    "不会覆盖任何已有记录。",
                    code="restore_not_empty",
                )
        by_label = {m._meta.label_lower: m for m in table_models()}
        with transaction.atomic():
            with connection.cursor() as cursor:
                for sql in connection.ops.sql_flush(no_style(), [m._meta.db_table for m in by_label.values()]):
                    cursor.execute(sql)
            counts = {}
            for label, entry in manifest["tables"].items():
                body = read(f"tables/{label}.json")
                if _digest(body) != entry["sha256"]:
                    raise KaowuError(
                        f"备份文件中的表「{label}」已损坏（校验值不符），恢复中止。", code="restore_corrupt"
                    )
                data = json.loads(body)
                model = by_label[label]
                objs = [model(**dict(zip(data["fields"], row, strict=True))) for row in data["rows"]]
                model._base_manager.bulk_create(objs, batch_size=500)
                counts[label] = len(objs)
            connection.check_constraints()
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(by_label.values())):
                    cursor.execute(sql)
        for name in members:
            if name.startswith("media/"):
                rel = name.removeprefix("media/")
                data = read(name)
                if _digest(data) != manifest["files"].get(rel):
                    raise KaowuError(f"备份文件中的上传文件「{rel}」已损坏（校验值不符）。", code="restore_corrupt")
                target = media_root / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            elif name.startswith("checkpoints/"):
                target = pathlib.Path(settings.AUDIT_CHECKPOINT_DIR) / name.removeprefix("checkpoints/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(read(name))
    problem = audit.verify_chain(checkpoint=audit.latest_checkpoint())
    return {"tables": counts, "files": sum(1 for n in members if n.startswith("media/")), "audit_problem": problem}
