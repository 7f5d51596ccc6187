"""An accepted offer that was worked keeps its status; the day the worker came home frees the person
for a next cycle (issue 15). Offers of workers already home get the day they were moved to 'returned'."""

from django.db import migrations, models


def returned_offers_mark(apps, schema_editor):
    Application = apps.get_model("placement", "Application")
    for application in Application.objects.filter(
        status="accepted", candidate__stage="returned", returned_on__isnull=True
    ).select_related("candidate"):
        application.returned_on = application.candidate.stage_changed_at.date()
        application.save(update_fields=["returned_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0003_only_indexes_queries_use"),
        ("placement", "0007_matching_runs"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="returned_on",
            field=models.DateField(blank=True, null=True, verbose_name="pekerja pulang pada"),
        ),
        migrations.RemoveConstraint(
            model_name="application",
            name="one_accepted_offer_per_candidate",
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                condition=models.Q(("returned_on__isnull", True), ("status", "accepted")),
                fields=("candidate",),
                name="one_accepted_offer_per_candidate",
                violation_error_message="Pencari kerja ini sudah menerima tawaran kerja lain. Ia harus mundur dari tawaran itu dulu.",
            ),
        ),
        migrations.RunPython(returned_offers_mark, migrations.RunPython.noop),
    ]
