"""The programme's target (the MoU) and how far the programme has come towards it."""

import datetime
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.candidates.stages import Stage as S

from .. import facts
from ..models import Tally
from .labels import _pct


def programme_target(on: datetime.date | None = None) -> dict:
    """The target of the MoU in force (its quota), or the configured target when none is recorded."""
    on = on or timezone.localdate()
    if apps.is_installed("jalur.placement"):
        from jalur.placement.models import Agreement, AgreementKind

        mou = (
            Agreement.objects.filter(
                kind=AgreementKind.MOU, quota__isnull=False, starts_on__lte=on, ends_on__gte=on
            )
            .order_by("-starts_on")
            .values("number", "quota")
            .first()
        )
        if mou:
            return {"target": mou["quota"], "source": _("MoU %(n)s") % {"n": mou["number"]}}
    return {"target": settings.JALUR_PROGRAMME_TARGET, "source": _("pengaturan program")}


def programme_totals() -> dict[str, int]:
    """Since the start, everywhere: how many ever reached each stage, and how many are at it now."""
    reached = defaultdict(int)
    now = defaultdict(int)
    for dimension, value, n in (
        Tally.objects.filter(dimension__in=["reached", "stage"])
        .values_list("dimension", "value")
        .annotate(n=Sum("n"))
    ):
        (reached if dimension == "reached" else now)[value] += n
    return {"reached": dict(reached), "now": dict(now)}


def programme_progress() -> dict:
    target = programme_target()
    totals = programme_totals()
    reached = totals["reached"]
    departed = reached.get(S.DEPARTED, 0)
    return {
        **target,
        "departed": departed,
        "pct": _pct(departed, target["target"]),
        "registered": reached.get(S.REGISTERED, 0),
        "verified": reached.get(S.VERIFIED, 0),
        "training_now": totals["now"].get(S.TRAINING, 0),
        "trained": reached.get(S.TRAINED, 0),
        "in_process": sum(
            n for stage, n in totals["now"].items() if facts.STAGE_GROUP[stage] == facts.PROCESS
        ),
        "abroad_now": totals["now"].get(S.DEPARTED, 0),
    }
