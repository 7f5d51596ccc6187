"""Protection after departure: arrival, periodic check-ins, grievances with deadlines, return.

One module per concept; each model keeps app label "protection" and its table.
"""

from .checkins import CheckInEscalation, EscalationLevel, FamilyNoticeConsent
from .grievances import (
    STATUS_AFTER_AGENCY_ANSWER,
    ClosingReason,
    Grievance,
    GrievanceCategory,
    GrievanceEvent,
    GrievanceEvidence,
    GrievanceStatus,
)
from .returns import (
    FollowUpChannel,
    IncomeBand,
    Reintegration,
    ReintegrationFollowUp,
    ReintegrationNeed,
    ReturnReason,
    ReturnRecord,
    YesNoMaybe,
)
from .workers import ArrivalConfirmation, CheckIn, FamilyLink, ReporterKind

__all__ = [
    "STATUS_AFTER_AGENCY_ANSWER",
    "ArrivalConfirmation",
    "CheckIn",
    "CheckInEscalation",
    "ClosingReason",
    "EscalationLevel",
    "FamilyLink",
    "FamilyNoticeConsent",
    "FollowUpChannel",
    "Grievance",
    "GrievanceCategory",
    "GrievanceEvent",
    "GrievanceEvidence",
    "GrievanceStatus",
    "IncomeBand",
    "Reintegration",
    "ReintegrationFollowUp",
    "ReintegrationNeed",
    "ReporterKind",
    "ReturnReason",
    "ReturnRecord",
    "YesNoMaybe",
]
