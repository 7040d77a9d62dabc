"""Seal pending audit events into their chains (writers seal after commit, rate-limited; this catches the rest)."""

import time

from django.core.management.base import BaseCommand

from kaowu.kernel.audit import seal


class Command(BaseCommand):
    help = (
        "把已提交、尚未封存的审计事件按顺序封存进各自的审计链。写入进程在提交后自行封存（每条链至多每 0.5 秒一次），"
        "生产环境另以 --every 1 常驻运行，封存空闲进程留下的事件。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="每隔多少秒封存一次（缺省：封存一次即退出）")

    def handle(self, *args, **options):
        every = options["every"]
        while True:
            sealed = seal()
            if not every:
                self.stdout.write(f"已封存 {sealed} 条审计事件。")
                return
            time.sleep(every)
