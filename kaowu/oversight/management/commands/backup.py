"""manage.py backup PATH: the whole database and the uploaded files in one .tar.gz (kaowu.oversight.backup)."""

import pathlib

from django.core.management.base import BaseCommand

from kaowu.oversight import backup


class Command(BaseCommand):
    help = "备份整个数据库和上传的文件到一个 .tar.gz 文件（含每张表和每个文件的校验值）。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件路径，例如 var/backup-20261202.tar.gz")

    def handle(self, *args, **options):
        path = pathlib.Path(options["path"])
        path.parent.mkdir(parents=True, exist_ok=True)
        manifest = backup.backup(path)
        self.stdout.write(f"已备份 {len(manifest['tables'])} 张表、{len(manifest['files'])} 个文件到 {path}。")
