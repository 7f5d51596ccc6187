from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0004_candidate_phone_abroad"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="cycle",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="siklus"),
        ),
    ]
