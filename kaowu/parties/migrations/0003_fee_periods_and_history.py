"""Fee standard lines get their period and history (ORG-3): an effective date range, who published, withdrawal.

Existing lines start on the day they were published."""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def from_published(apps, schema_editor):
    FeeItem = apps.get_model("parties", "FeeItem")
    for fee in FeeItem.objects.all():
        fee.effective_from = fee.published_at.date()
        fee.save(update_fields=["effective_from"])


class Migration(migrations.Migration):
    dependencies = [("parties", "0002_reference_data")]

    operations = [
        migrations.RemoveConstraint(model_name="feeitem", name="fee_item_unique"),
        migrations.AddField(
            model_name="feeitem",
            name="effective_from",
            field=models.DateField(default=datetime.date(2020, 1, 1), verbose_name="执行起始日期"),
            preserve_default=False,
        ),
        migrations.RunPython(from_published, migrations.RunPython.noop),
        migrations.AddField(
            model_name="feeitem",
            name="effective_until",
            field=models.DateField(blank=True, null=True, verbose_name="执行截止日期"),
        ),
        migrations.AddField(
            model_name="feeitem",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="feeitem",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="撤销时间"),
        ),
        migrations.AddField(
            model_name="feeitem",
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="feeitem",
            name="withdraw_reason",
            field=models.CharField(blank=True, max_length=200, verbose_name="撤销原因"),
        ),
        migrations.AlterModelOptions(
            name="feeitem",
            options={
                "ordering": ["org", "occupation__code", "-level", "subject", "-effective_from"],
                "verbose_name": "收费标准",
                "verbose_name_plural": "收费标准",
            },
        ),
        migrations.AddConstraint(
            model_name="feeitem",
            constraint=models.CheckConstraint(condition=models.Q(amount_yuan__gt=0), name="fee_item_amount_positive"),
        ),
        migrations.AddConstraint(
            model_name="feeitem",
            constraint=models.CheckConstraint(
                condition=models.Q(effective_until__isnull=True)
                | models.Q(effective_until__gte=models.F("effective_from")),
                name="fee_item_period_ordered",
            ),
        ),
    ]
