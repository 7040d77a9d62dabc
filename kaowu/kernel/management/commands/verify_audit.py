"""Verify the audit chain (HMAC-keyed) and that it still reaches the latest checkpoint; exit non-zero naming the
first bad event."""

from django.core.management.base import BaseCommand, CommandError

from kaowu.kernel.audit import checkpoint_events, latest_checkpoint, verify_chain
from kaowu.kernel.models import AuditEvent


class Command(BaseCommand):
    help = (
        "校验审计日志链（HMAC 密钥不在数据库中）：有记录被改动、删除或重排，或链尾短于最近的检查点时，"
        "以非零状态退出，并指出第一条有问题的记录。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-checkpoint", action="store_true", help="不与检查点文件比对（仅校验链本身）")

    def handle(self, *args, **options):
        point = None if options["no_checkpoint"] else latest_checkpoint()
        problem = verify_chain(checkpoint=point)
        if problem is not None:
            raise CommandError(f"审计链校验失败：{problem.message}")
        reached = (
            f"，与检查点一致（{len(point['heads'])} 条链、{checkpoint_events(point)} 条记录）"
            if point
            else "（未找到检查点文件）"
        )
        chains = AuditEvent.objects.values("chain").distinct().count()
        pending = AuditEvent.objects.filter(seq__isnull=True).count()
        waiting = f"；另有 {pending} 条待封存的记录，逐条签名校验通过" if pending else ""
        self.stdout.write(
            f"审计链完整：{chains} 条链共 {AuditEvent.objects.count()} 条记录，逐条校验通过{reached}{waiting}。"
        )
