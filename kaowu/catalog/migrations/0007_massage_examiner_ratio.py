from django.db import migrations


def forwards(apps, schema_editor):
    # 1:3 in the seed was the examiners-per-candidate panel of EV §一(四)1, not the standard's ratio;
    # the standard's examiner ratio is stored as candidates per examiner (1:5, to be checked: docs/decisions.md).
    Standard = apps.get_model("catalog", "Standard")
    Standard.objects.filter(occupation__code="4-10-04-02", kind="national").update(skill_candidates_per_examiner=5)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_eligibility_templates")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
