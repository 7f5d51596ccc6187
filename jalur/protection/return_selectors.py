"""Reads after the return: the office's list of returnees with follow-ups due or overdue, one
returnee's follow-ups, and what of an earlier cycle a returnee carries into the next."""

import datetime

from django.db.models import Q, QuerySet

from jalur.candidates.access import candidates_for
from jalur.candidates.models import (
    FOLLOW_UP_NEXT,
    FOLLOW_UP_PAUSED_STAGES,
    Candidate,
    DocumentStatus,
)
from jalur.candidates.selectors import document_rows
from jalur.candidates.stages import Stage
from jalur.rules import reintegration as rules

from .models import ReintegrationFollowUp

# While the person is abroad again, the monthly check-in follows them instead.
NOT_FOLLOWED_UP = tuple(FOLLOW_UP_PAUSED_STAGES)


def pending_follow_ups() -> QuerySet[ReintegrationFollowUp]:
    return ReintegrationFollowUp.objects.filter(done_at__isnull=True).exclude(
        candidate__stage__in=NOT_FOLLOWED_UP
    )


# The earliest follow-up not done first (so the overdue, then the due, then the coming ones), the
# latest first return next: the `candidate_returnees` index's order.
RETURNEE_ORDER = ("next_due", "-returned_first_on", "pk")


def returnees_for(user, *, today: datetime.date, only_overdue: bool = False) -> QuerySet[Candidate]:
    """People with a return record that `user` may see, the longest overdue follow-up first.

    Read from the person's own row (`returned_first_on`, `follow_up_due_on`, kept by
    services.returnee_state), so a page is a range of the `candidate_returnees` index."""
    rows = (
        candidates_for(user)
        .filter(returned_first_on__isnull=False)
        .annotate(next_due=FOLLOW_UP_NEXT)
    )
    if only_overdue:
        rows = rows.filter(next_due__lte=rules.overdue_since(today))
    return rows.order_by(*RETURNEE_ORDER)


def returnee_rows(rows, *, today: datetime.date) -> list[Candidate]:
    """One page of `returnees_for` with each person's next follow-up (due or coming)."""
    rows = list(rows)
    pending = {}
    for follow_up in pending_follow_ups().filter(candidate__in=rows).order_by("due_on", "pk"):
        pending.setdefault(follow_up.candidate_id, follow_up)
    for row in rows:
        row.next_follow_up = pending.get(row.pk)
        row.has_due = bool(row.next_follow_up and row.next_follow_up.due_on <= today)
        row.follow_up_overdue = bool(
            row.next_follow_up and rules.follow_up_overdue(row.next_follow_up.due_on, today)
        )
    return rows


def follow_up_due(candidate: Candidate, today: datetime.date) -> ReintegrationFollowUp | None:
    """The follow-up to answer now: the earliest not done whose day has come."""
    return (
        pending_follow_ups()
        .filter(candidate=candidate, due_on__lte=today)
        .order_by("due_on", "pk")
        .first()
    )


def follow_up_next(candidate: Candidate, today: datetime.date) -> ReintegrationFollowUp | None:
    return (
        pending_follow_ups()
        .filter(candidate=candidate, due_on__gt=today)
        .order_by("due_on", "pk")
        .first()
    )


def follow_ups_of(candidate: Candidate) -> QuerySet[ReintegrationFollowUp]:
    return candidate.reintegration_follow_ups.select_related("done_by", "return_record").order_by(
        "return_record__returned_on", "due_on"
    )


def carried_over(candidate: Candidate, *, today: datetime.date) -> dict:
    """What a returnee brings into the next cycle: documents accepted and still valid, and those to
    upload again (expired, or never accepted), with the training certificates that still hold."""
    from jalur.training.models import Certificate, CertificateStatus

    kept, again = [], []
    for row in document_rows(candidate, today=today):
        document = row["document"]
        if document is not None and row["status"] == DocumentStatus.ACCEPTED:
            kept.append(row)
        elif row["type"].required or document is not None:
            again.append(row)
    certificates = list(
        Certificate.objects.filter(enrolment__candidate=candidate).order_by("-issued_on", "-pk")
    )
    return {
        "documents_kept": kept,
        "documents_again": again,
        "certificates_valid": [c for c in certificates if c.status == CertificateStatus.VALID],
        "certificates_revoked": [c for c in certificates if c.status != CertificateStatus.VALID],
    }


def returnee_visible(user) -> QuerySet[Candidate]:
    """Those whose return page `user` may open: anyone with a return, or abroad now."""
    return (
        candidates_for(user)
        .filter(Q(returns__isnull=False) | Q(stage__in=[Stage.DEPARTED, Stage.RETURNED]))
        .distinct()
    )
