"""The breach register (UU PDP Pasal 46): record, update, and warn the DPO when 24 hours are left."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.models import User
from jalur.accounts.roles import CAPABILITIES
from jalur.audit.services import audit_record, diff, snapshot
from jalur.notifications.services import notify
from jalur.rules.privacy import breach_clock

from .models import Breach

FIELDS = [
    "discovered_at",
    "description",
    "data_kinds",
    "people_affected",
    "risk",
    "actions",
    "people_notified_at",
    "authority_notified_at",
    "status",
]


def clock(breach: Breach, *, now=None):
    return breach_clock(
        breach.discovered_at, notified_at=breach.notified_at, now=now or timezone.now()
    )


def breach_save(*, breach: Breach | None, data: dict, actor) -> Breach:
    """Record a breach or update it; audited field by field."""
    now = timezone.now()
    if data.get("discovered_at") and data["discovered_at"] > now:
        raise ValidationError({"discovered_at": _("Waktu diketahui tidak boleh di masa depan.")})
    for name in ("people_notified_at", "authority_notified_at"):
        if data.get(name) and data.get("discovered_at") and data[name] < data["discovered_at"]:
            raise ValidationError({name: _("Pemberitahuan tidak bisa sebelum insiden diketahui.")})
    with transaction.atomic():
        if breach is None:
            breach = Breach(created_by=actor)
            before = {}
        else:
            breach = Breach.objects.select_for_update().get(pk=breach.pk)
            before = snapshot(breach, FIELDS)
        for name in FIELDS:
            if name in data:
                setattr(breach, name, data[name])
        if breach.notified_at and breach.status == Breach.Status.OPEN:
            breach.status = Breach.Status.NOTIFIED
        breach.save()
        audit_record(
            actor=actor,
            action="privacy.breach_save",
            target=breach,
            changes=diff(before, snapshot(breach, FIELDS)),
        )
    return breach


def breach_warnings(*, now=None) -> int:
    """Tell the DPO role (managers, administrators) of each open breach with 24 hours or less left
    before the notice deadline, once. Run hourly (`manage.py breach_clock`)."""
    now = now or timezone.now()
    count = 0
    dpo = User.objects.filter(role__in=CAPABILITIES["privacy.dpo"], is_active=True)
    for breach in Breach.objects.filter(status=Breach.Status.OPEN, warned_at__isnull=True):
        state = clock(breach, now=now)
        if not (state.warn or state.overdue):
            continue
        with transaction.atomic():
            Breach.objects.filter(pk=breach.pk).update(warned_at=now)
            for user in dpo:
                notify(
                    user=user,
                    key="privacy_breach_deadline",
                    context={"breach": breach, "deadline": state.deadline},
                    link=reverse("privacy:breach_detail", args=[breach.pk]),
                )
            audit_record(actor=None, action="privacy.breach_warned", target=breach)
        count += 1
    return count
