"""manage.py restore PATH: a backup back into a freshly migrated, empty database; the audit chain verified."""

import pathlib

from django.core.management.base import BaseCommand, CommandError

from kaowu.kernel.errors import KaowuError
from kaowu.oversight import backup


class Command(BaseCommand):
    help = "将备份恢复到新建并已迁移的空数据库（不会覆盖已有记录），恢复后校验审计链。"

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        try:
            result = backup.restore(pathlib.Path(options["path"]))
        except KaowuError as exc:
            raise CommandError(exc.message) from exc
        rows = sum(result["tables"].values())
        if result["audit_problem"] is not None:
            raise CommandError(f"已恢复 {rows} 行，但审计链校验失败：{result['audit_problem'].message}")
        self.stdout.write(f"已恢复 {len(result['tables'])} 张表 {rows} 行、{result['files']} 个文件；审计链校验通过。")
