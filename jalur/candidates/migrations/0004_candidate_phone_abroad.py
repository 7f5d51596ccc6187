from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0003_only_indexes_queries_use"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="phone_abroad",
            field=models.CharField(
                blank=True, max_length=16, verbose_name="nomor HP di negara penempatan"
            ),
        ),
        migrations.AddConstraint(
            model_name="candidate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("phone_abroad", ""), _negated=True),
                fields=("phone_abroad",),
                name="candidate_phone_abroad_unique",
            ),
        ),
    ]
