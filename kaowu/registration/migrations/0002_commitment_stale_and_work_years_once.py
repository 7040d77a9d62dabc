"""Commitment.stale_at, and work years entered once: the figure of any 工作经历 rows is folded into the
application's own 工作年限 (the larger of the two, so no judgement changes), the rows stay as history."""

from decimal import Decimal

from django.db import migrations, models


def fold_work_rows(apps, schema_editor):
    Application = apps.get_model("registration", "Application")
    Qualification = apps.get_model("registration", "Qualification")
    totals: dict[int, Decimal] = {}
    for app_id, years in Qualification.objects.filter(kind="work", related=True).values_list(
        "application_id", "years"
    ):
        totals[app_id] = totals.get(app_id, Decimal(0)) + (years or Decimal(0))
    for app in Application.objects.filter(pk__in=list(totals)):
        if totals[app.pk] > app.work_years:
            app.work_years = min(totals[app.pk], Decimal(60))
            app.save(update_fields=["work_years"])


class Migration(migrations.Migration):
    dependencies = [("registration", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="stale_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="失效时间"),
        ),
        migrations.RunPython(fold_work_rows, migrations.RunPython.noop),
    ]
