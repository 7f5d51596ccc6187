"""The grievance workflow (Perban BP2MI 23/2025 and 6/2024) on one screen: states, moves, deadlines.

Only the 7-day commitment deadline and the 30/60-day closing rules come from the regulations as read;
the other deadlines are the office's own service levels and can be changed in settings
(JALUR_GRIEVANCE_DAYS) without touching code.
"""

import datetime

from django.conf import settings

from .models import GrievanceStatus as G

TRANSITIONS: dict[str, frozenset[str]] = {
    G.RECEIVED: frozenset({G.ASSIGNED, G.CLOSED}),
    G.ASSIGNED: frozenset({G.CLARIFICATION_1, G.MEDIATION, G.REFERRED, G.RESOLVED, G.CLOSED}),
    G.CLARIFICATION_1: frozenset(
        {G.CLARIFICATION_2, G.COMMITMENT, G.MEDIATION, G.RESOLVED, G.CLOSED}
    ),
    G.CLARIFICATION_2: frozenset({G.COMMITMENT, G.MEDIATION, G.REFERRED, G.RESOLVED, G.CLOSED}),
    G.COMMITMENT: frozenset({G.RESOLVED, G.MEDIATION, G.REFERRED}),
    G.MEDIATION: frozenset({G.RESOLVED, G.REFERRED, G.CLOSED}),
    G.REFERRED: frozenset({G.CLOSED}),
    G.RESOLVED: frozenset({G.CLOSED, G.ASSIGNED}),
    G.CLOSED: frozenset(),
}

# Days allowed in each state before the case is overdue (None: no deadline).
DEFAULT_DAYS: dict[str, int | None] = {
    G.RECEIVED: 2,  # assign an officer
    G.ASSIGNED: 3,  # ask the P3MI for its first clarification, or act
    G.CLARIFICATION_1: 7,
    G.CLARIFICATION_2: 7,
    G.COMMITMENT: 7,  # Perban 23/2025: the P3MI fulfils its commitment within 7 days
    G.MEDIATION: 14,
    G.REFERRED: 30,
    G.RESOLVED: 7,  # confirm with the reporter, then close
    G.CLOSED: None,
}

# Perban 6/2024: a case may be closed after 30 days of incomplete documents or 60 days without contact.
INCOMPLETE_CLOSE_DAYS = 30
NO_CONTACT_CLOSE_DAYS = 60

# States in which the next move is the P3MI's.
AGENCY_TURN = frozenset({G.CLARIFICATION_1, G.CLARIFICATION_2, G.COMMITMENT})


def days_for(status: str) -> int | None:
    overrides = getattr(settings, "JALUR_GRIEVANCE_DAYS", {}) or {}
    return overrides.get(status, DEFAULT_DAYS[status])


def deadline_for(status: str, start: datetime.datetime) -> datetime.datetime | None:
    days = days_for(status)
    return start + datetime.timedelta(days=days) if days is not None else None


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())
