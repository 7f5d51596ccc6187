# Whether each person has an active pathway, kept by pathways (issue 20, target 3): the list of
# trained people waiting for a pathway pages over the partial index below. pathways 0006 fills it.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0009_candidate_departed_since"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="has_pathway",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="punya skema aktif"
            ),
        ),
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(
                condition=models.Q(("has_pathway", False), ("stage", "trained")),
                fields=["stage_changed_at", "id"],
                name="candidate_waiting_pathway",
            ),
        ),
    ]
