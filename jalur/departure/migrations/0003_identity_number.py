"""A passport, E-PMI or ID PMI number belongs to one person: a register with a unique (kind,
number) pair, filled from the checklist items already recorded."""

import re

import django.db.models.deletion
from django.db import migrations, models

ONE_PER_PERSON = {"passport": ("number",), "e_pmi": ("id_pmi", "e_pmi")}


def register_recorded_numbers(apps, schema_editor):
    """The first worker recorded with a number keeps it; a later worker recorded with the same one
    keeps their item as it is and is refused the next time it is saved."""
    ChecklistItem = apps.get_model("departure", "ChecklistItem")
    IdentityNumber = apps.get_model("departure", "IdentityNumber")
    seen = set()
    rows = []
    items = ChecklistItem.objects.filter(code__in=ONE_PER_PERSON).order_by("id")
    for code, data, candidate_id in items.values_list("code", "data", "case__candidate_id"):
        for name in ONE_PER_PERSON[code]:
            number = re.sub(r"[^0-9A-Z]", "", str((data or {}).get(name) or "").upper())
            key = (f"{code}.{name}", number)
            if number and key not in seen:
                seen.add(key)
                rows.append(IdentityNumber(kind=key[0], number=number, candidate_id=candidate_id))
    IdentityNumber.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0003_only_indexes_queries_use"),
        ("departure", "0002_fee_office_decision"),
    ]

    operations = [
        migrations.CreateModel(
            name="IdentityNumber",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=40)),
                ("number", models.CharField(max_length=100)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "candidate",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="identity_numbers",
                        to="candidates.candidate",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "number"), name="identity_number_one_person"
                    )
                ],
            },
        ),
        migrations.RunPython(register_recorded_numbers, migrations.RunPython.noop),
    ]
