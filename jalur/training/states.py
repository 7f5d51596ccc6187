"""An enrolment's statuses and the allowed moves between them: the whole state machine on one screen.

An enrolment is created waiting (the cohort or the programme quota is full) or enrolled. Every later
move goes through `jalur.audit.transitions.status_move` with this table, which refuses a move the
table does not allow and writes the audit row in the same transaction.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrolmentStatus(models.TextChoices):
    WAITING = "waiting", _("Daftar tunggu")
    ENROLLED = "enrolled", _("Peserta")
    COMPLETED = "completed", _("Lulus")
    FAILED = "failed", _("Tidak lulus")
    WITHDRAWN = "withdrawn", _("Keluar")
    # Completed once, but the certificate was revoked: the pass no longer counts, so it neither
    # blocks a new enrolment in the programme nor makes the person trained.
    REVOKED = "revoked", _("Sertifikat dicabut")


S = EnrolmentStatus

# The statuses an enrolment is created in.
INITIAL = frozenset({S.WAITING, S.ENROLLED})

TRANSITIONS: dict[str, frozenset[str]] = {
    # a seat frees up (promotion), or the person leaves the list or the cohort closes first
    S.WAITING: frozenset({S.ENROLLED, S.WITHDRAWN}),
    # the course ends one way or the other, or the trainee leaves
    S.ENROLLED: frozenset({S.COMPLETED, S.FAILED, S.WITHDRAWN}),
    # the certificate is revoked: the pass no longer counts
    S.COMPLETED: frozenset({S.REVOKED}),
    S.FAILED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.REVOKED: frozenset(),
}

# Holding a seat or waiting for one: at most one such enrolment per person and programme.
OPEN_ENROLMENT = (S.WAITING, S.ENROLLED)
