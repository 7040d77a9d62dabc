"""Write the audit chain's head, MAC'd, to a checkpoint file outside the database (run daily, keep the copies)."""

from django.core.management.base import BaseCommand

from kaowu.kernel.audit import checkpoint


class Command(BaseCommand):
    help = "把审计链当前链头（序号和哈希，带 HMAC 签名）写入数据库之外的检查点文件；请每日运行并由市中心留存副本。"

    def handle(self, *args, **options):
        path = checkpoint()
        self.stdout.write(f"已写入审计链检查点：{path}")
