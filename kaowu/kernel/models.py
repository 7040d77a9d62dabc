"""The kernel's own rows: the audit trail (append-only, hash-chained) and its head."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kaowu.kernel.tenancy import Tenancy


class AuditEvent(models.Model):
    """Append-only, hash-chained record of every service write (design §5).

    Written without a lock: the writer inserts the event with `mac`, an HMAC over its own content (the chain's
    name and a random `nonce` included), and `seq` empty. A sealer after commit (`audit.seal`) appends the pending
    events of a chain in id order: it gives each the next gap-free `seq`, the previous event's `hash` as
    `prev_hash`, and `hash` = HMAC(chain, seq, mac, prev_hash). One chain per organisation ("org:<id>", events
    without an organisation in "shared"). The row id orders events across chains in time."""

    chain = models.CharField("审计链", max_length=40, default="shared")
    seq = models.PositiveBigIntegerField("序号", null=True, blank=True)  # empty until sealed
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField("操作人", max_length=100)
    role = models.CharField("角色", max_length=30, blank=True)
    party = models.CharField("所属单位", max_length=100, blank=True)
    org = models.ForeignKey("parties.EvaluationOrg", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("操作代码", max_length=80)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=40)
    object_label = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更内容", default=dict)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    nonce = models.CharField(max_length=32, default="")
    mac = models.CharField(max_length=64, default="")  # HMAC of the event's own content, set by the writer
    prev_hash = models.CharField(max_length=64, blank=True)  # set by the sealer
    hash = models.CharField(max_length=64, blank=True)  # set by the sealer: links the event into its chain

    tenancy = Tenancy(org="org", districts=("org__district",), kind="office_records")

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "审计日志"
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["org", "seq"]),
            models.Index(fields=["chain", "id"], condition=models.Q(seq__isnull=True), name="audit_event_pending"),
        ]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq")]

    def __str__(self) -> str:
        return f"{self.chain} #{self.seq} {self.action} {self.object_label}"


class AuditHead(models.Model):
    """One chain's last sealed sequence number and hash: locked by the sealer of that chain only (writers never
    touch it), so a deleted tail is noticed and no write waits for another."""

    chain = models.CharField("审计链", max_length=40, unique=True, default="shared")
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"审计链头 {self.chain} #{self.last_seq}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    """A background job run by a Celery worker (kernel.jobs): what, for which object, its progress and result.

    Progress lives in the database, so the web process that shows the bar and the worker that advances it need
    share nothing else. One job of a kind per key is live at a time."""

    kind = models.CharField("任务类型", max_length=60)
    key = models.CharField("对象", max_length=120)
    params = models.JSONField("参数", default=dict)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    result_file = models.CharField("结果文件", max_length=200, blank=True)
    result_size = models.PositiveBigIntegerField("文件大小", default=0)
    version = models.JSONField("数据版本", null=True, blank=True)
    org = models.ForeignKey("parties.EvaluationOrg", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    tenancy = Tenancy(org="org", districts=("org__district",), kind="office_records")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "后台任务"
        indexes = [models.Index(fields=["kind", "key", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0
