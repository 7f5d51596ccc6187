"""Whether each person has an active pathway onto their row (Candidate.has_pathway): the value
`pathways.assignment_state` keeps from now on, counted from the assignments so far."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def backfill(apps, schema_editor):
    Candidate = apps.get_model("candidates", "Candidate")
    PathwayAssignment = apps.get_model("pathways", "PathwayAssignment")
    active = PathwayAssignment.objects.filter(candidate=OuterRef("pk"), is_active=True)
    Candidate.objects.filter(Exists(active)).update(has_pathway=True)


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0010_candidate_has_pathway"),
        ("pathways", "0005_pathway_assigned_by_rule"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
