# The pathways eligibility list by name, one stage at a time (issue 20, target 3).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0007_candidate_checkin_state"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(
                condition=models.Q(("stage__in", ["verified", "training", "trained"])),
                fields=["stage", "full_name", "id"],
                name="candidate_stage_name",
            ),
        ),
    ]
