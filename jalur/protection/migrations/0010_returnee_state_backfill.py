"""Each returnee's first return and next follow-up onto their row (Candidate.returned_first_on,
follow_up_due_on): the values `protection.services.returnee_state` keeps from now on, counted from
the returns and follow-ups so far."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Subquery


def backfill(apps, schema_editor):
    Candidate = apps.get_model("candidates", "Candidate")
    ReturnRecord = apps.get_model("protection", "ReturnRecord")
    FollowUp = apps.get_model("protection", "ReintegrationFollowUp")
    returns = ReturnRecord.objects.filter(candidate=OuterRef("pk"))
    pending = FollowUp.objects.filter(candidate=OuterRef("pk"), done_at__isnull=True)
    Candidate.objects.filter(Exists(returns)).update(
        returned_first_on=Subquery(returns.order_by("returned_on").values("returned_on")[:1]),
        follow_up_due_on=Subquery(pending.order_by("due_on").values("due_on")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0011_candidate_returnee_state"),
        ("protection", "0009_checkin_state_backfill"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
