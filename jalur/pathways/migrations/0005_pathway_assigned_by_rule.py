# The waiting list's panel of assignments the rules made lately (issue 20, target 3).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pathways", "0004_sort_order_label"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="pathwayassignment",
            index=models.Index(
                condition=models.Q(("assigned_by__isnull", True), ("is_active", True)),
                fields=["assigned_at"],
                name="pathway_assigned_by_rule",
            ),
        ),
    ]
