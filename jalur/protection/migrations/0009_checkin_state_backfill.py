"""Each candidate's latest check-in onto their row (Candidate.checkin_last_at, checkin_class): the
values `protection.services.checkin_state` keeps from now on, counted from the check-ins so far."""

from django.db import migrations
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When

URGENT, PROBLEM, OTHER = 0, 1, 2


def backfill(apps, schema_editor):
    Candidate = apps.get_model("candidates", "Candidate")
    CheckIn = apps.get_model("protection", "CheckIn")
    latest = CheckIn.objects.filter(candidate=OuterRef("pk")).order_by("-created_at", "-pk")
    kind = Case(
        When(Q(need_help=True) | Q(passport_held=False), then=Value(URGENT)),
        When(status="masalah", then=Value(PROBLEM)),
        default=Value(OTHER),
        output_field=IntegerField(),
    )
    Candidate.objects.filter(Exists(CheckIn.objects.filter(candidate=OuterRef("pk")))).update(
        checkin_last_at=Subquery(latest.values("created_at")[:1]),
        checkin_class=Subquery(latest.annotate(kind=kind).values("kind")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0007_candidate_checkin_state"),
        ("protection", "0008_checkin_agency_late_told"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
