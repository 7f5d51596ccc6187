"""Reading the audit trail."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditLog

AUDIT_ORDER = ("-created_at", "-pk")


def audit_search(
    *,
    q: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditLog]:
    rows = AuditLog.objects.select_related("content_type", "actor")
    if q:
        rows = rows.filter(
            Q(action__icontains=q) | Q(object_label__icontains=q) | Q(reason__icontains=q)
        )
    if actor:
        rows = rows.filter(Q(actor_label__icontains=actor) | Q(actor__username__iexact=actor))
    if object_type:
        rows = rows.filter(content_type__model=object_type.lower())
    if object_id:
        rows = rows.filter(object_id=object_id)
    tz = timezone.get_current_timezone()
    if date_from:
        rows = rows.filter(
            created_at__gte=datetime.datetime.combine(date_from, datetime.time.min, tz)
        )
    if date_to:
        rows = rows.filter(
            created_at__lt=datetime.datetime.combine(
                date_to + datetime.timedelta(days=1), datetime.time.min, tz
            )
        )
    return rows.order_by(*AUDIT_ORDER)


def audit_for_object(obj) -> QuerySet[AuditLog]:
    from django.contrib.contenttypes.models import ContentType

    return AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
