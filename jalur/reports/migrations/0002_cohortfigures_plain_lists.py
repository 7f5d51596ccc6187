from django.db import migrations, models


def forget_cohort_figures(apps, schema_editor):
    # The rows are computed figures: the next refresh computes them again in the new form.
    apps.get_model("reports", "CohortFigures").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.RunPython(forget_cohort_figures, migrations.RunPython.noop),
        migrations.RemoveField(model_name="cohortfigures", name="countries"),
        migrations.RemoveField(model_name="cohortfigures", name="job_type_ids"),
        migrations.AddField(
            model_name="cohortfigures",
            name="countries",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name="cohortfigures",
            name="job_type_ids",
            field=models.CharField(blank=True, max_length=400),
        ),
    ]
