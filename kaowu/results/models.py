"""Marking, subject scores, results, publicity, review requests and the municipal upload (SCORE-1 … SCORE-5)."""

from __future__ import annotations

from django.db import models

from kaowu.kernel.tenancy import Tenancy
from kaowu.results.enums import Outcome


class Result(models.Model):
    """认定结果: one per application of a batch plan, computed from the subject scores (SCORE-1, SCORE-3)."""

    application = models.OneToOneField("registration.Application", on_delete=models.PROTECT, related_name="result")
    plan = models.ForeignKey("plans.BatchPlan", on_delete=models.PROTECT, related_name="results")
    outcome = models.CharField("认定结果", max_length=10, choices=Outcome.choices)
    computed_at = models.DateTimeField("计算时间")
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("考生确认时间", null=True, blank=True)
    uploaded_at = models.DateTimeField("上传市级系统时间", null=True, blank=True)

    tenancy = Tenancy(
        org="plan__org",
        districts=("plan__org__district", "plan__sessions__site__district"),
        through_many=True,
        candidate="application__candidate__user",
        kind="candidate_data",
    )

    class Meta:
        ordering = ["plan", "application"]
        verbose_name = verbose_name_plural = "认定结果"
        indexes = [models.Index(fields=["plan", "outcome"])]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_outcome_display()}"
