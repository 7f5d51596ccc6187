"""Writes for recommendations: one candidate recommended for a job order, and an order's
recommendations filled from the ranking."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record
from jalur.candidates.models import Candidate
from jalur.notifications.services import notify

from ..models import Application, ApplicationEvent, ApplicationOrigin, JobOrder
from ..selection import ranked, score_snapshot
from ..states import APPLICATION_OPEN, OrderStatus
from ._shared import AS, _actor_or_none


def recommendation_create(
    *,
    actor,
    order: JobOrder,
    candidate: Candidate,
    rank: int,
    score: float,
    score_parts: dict,
    origin: str,
    reason: str,
    now,
    reason_values: dict | None = None,
    audit: dict | None = None,
) -> Application:
    """One recommendation of `candidate` to `order`, as the per-order fill and a published
    programme-wide matching both make it: the application, its first event (`reason`, filled in
    with rank, score and `reason_values`), the audit row (plus `audit`) and the candidate's notice."""
    application = Application.objects.create(
        order=order,
        candidate=candidate,
        status=AS.RECOMMENDED,
        origin=origin,
        score=round(score, 1),
        score_parts=score_parts,
        rank=rank,
        recommended_at=now,
        status_changed_at=now,
    )
    ApplicationEvent.objects.create(
        application=application,
        from_status="",
        to_status=AS.RECOMMENDED,
        actor=_actor_or_none(actor),
        reason=reason % {"rank": rank, "score": application.score, **(reason_values or {})},
        created_at=now,
    )
    audit_record(
        actor=actor,
        action="application.recommend",
        target=application,
        changes={
            "status": [None, AS.RECOMMENDED],
            "rank": [None, rank],
            "score": [None, str(application.score)],
            **(audit or {}),
        },
    )
    if candidate.user_id:
        notify(
            user=candidate.user,
            key="placement_recommended",
            context={"order": order},
            link=reverse("placement:my_order", args=[order.pk]),
        )
    return application


def recommendations_fill(
    *, actor, order: JobOrder, on: datetime.date | None = None, now=None
) -> list[Application]:
    """Recommend the best-ranked eligible candidates until the order has three times its positions
    in open applications. People who already had an application for it are not recommended again."""
    on = on or timezone.localdate()
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            JobOrder.objects.select_for_update(of=("self",))
            .select_related("pathway", "job_type")
            .get(pk=order.pk)
        )
        if locked.status != OrderStatus.APPROVED:
            raise ValidationError(
                _("Rekomendasi hanya untuk lowongan yang sudah disetujui dan masih dibuka.")
            )
        held = locked.applications.filter(status__in=[*APPLICATION_OPEN, AS.ACCEPTED]).count()
        need = locked.recommendation_target - held
        if need <= 0:
            return []
        taken = set(locked.applications.values_list("candidate_id", flat=True))
        picked = []
        rank = 0
        for candidate in ranked(locked, on=on, now=now).iterator(chunk_size=200):
            rank += 1
            if candidate.pk in taken:
                continue
            picked.append((rank, candidate))
            if len(picked) >= need:
                break
        reason = _("Peringkat %(rank)s, skor %(score)s")
        created = [
            recommendation_create(
                actor=actor,
                order=locked,
                candidate=candidate,
                rank=rank,
                score=candidate.score,
                score_parts=score_snapshot(candidate),
                origin=ApplicationOrigin.RECOMMENDED,
                reason=reason,
                now=now,
            )
            for rank, candidate in picked
        ]
    return created
