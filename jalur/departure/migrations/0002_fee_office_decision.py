"""A worker-paid cost the rules do not name ("Lainnya") waits for the labour office's decision."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("departure", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="feeentry",
            name="forbidden_planned_worker_fee_is_refused",
        ),
        migrations.AddField(
            model_name="feeentry",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="feeentry",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="feeentry",
            name="decision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("pending", "Menunggu keputusan Disnakertrans"),
                    ("allowed", "Dibolehkan Disnakertrans"),
                    ("violation", "Pelanggaran menurut Disnakertrans"),
                ],
                max_length=10,
                verbose_name="keputusan Disnakertrans",
            ),
        ),
        migrations.AddField(
            model_name="feeentry",
            name="decision_reason",
            field=models.TextField(blank=True, verbose_name="alasan keputusan"),
        ),
        migrations.AddConstraint(
            model_name="feeentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("paid_by", "worker"),
                        ("state", "planned"),
                        ("violation", True),
                        _negated=True,
                    ),
                    ("decision", "violation"),
                    _connector="OR",
                ),
                name="forbidden_planned_worker_fee_is_refused",
            ),
        ),
        migrations.AddConstraint(
            model_name="feeentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("decision__in", ["", "pending"]),
                    models.Q(
                        ("decided_at__isnull", False),
                        models.Q(("decision_reason", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="fee_decision_names_who_and_why",
            ),
        ),
    ]
