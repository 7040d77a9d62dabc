"""Verify the audit chain; exit non-zero naming the first bad event."""

from django.core.management.base import BaseCommand, CommandError

from kaowu.kernel.audit import verify_chain
from kaowu.kernel.models import AuditEvent


class Command(BaseCommand):
    help = "校验审计日志哈希链：有记录被改动、删除或重排时以非零状态退出，并指出第一条有问题的记录。"

    def handle(self, *args, **options):
        problem = verify_chain()
        if problem is not None:
            raise CommandError(f"审计链校验失败：{problem.message}")
        self.stdout.write(f"审计链完整：共 {AuditEvent.objects.count()} 条记录，逐条校验通过。")
