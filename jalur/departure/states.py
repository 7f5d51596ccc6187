"""A departure case's statuses and the allowed moves between them: the state machine on one screen.

Every move goes through `jalur.audit.transitions.status_move` (check against `TRANSITIONS`, save,
audit row), from `departure.services`:

    open ──(every item done and valid: case_mark_ready)──▶ ready ──(group_depart)──▶ departed
      ▲                                                      │
      └──────(an item changed, or the daily re-check)────────┘
    open, ready ──(unfit, withdrawn: case_end)──▶ ended
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Melengkapi dokumen")
    READY = "ready", _("Siap berangkat")
    DEPARTED = "departed", _("Sudah berangkat")
    ENDED = "ended", _("Dihentikan")


C = CaseStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    C.OPEN: frozenset({C.READY, C.ENDED}),
    C.READY: frozenset({C.OPEN, C.DEPARTED, C.ENDED}),
    C.DEPARTED: frozenset(),
    C.ENDED: frozenset(),
}

# A case that has left, or stopped: its checklist can no longer change.
FINISHED = frozenset(status for status, moves in TRANSITIONS.items() if not moves)


def case_can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())
