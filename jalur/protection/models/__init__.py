"""Protection after departure: arrival, periodic check-ins, grievances with deadlines, return.

One module per concept; each model keeps app label "protection" and its table.
"""

from .grievances import (
    STATUS_AFTER_AGENCY_ANSWER,
    ClosingReason,
    Grievance,
    GrievanceCategory,
    GrievanceEvent,
    GrievanceEvidence,
    GrievanceStatus,
)
from .returns import Reintegration, ReturnReason, ReturnRecord
from .workers import ArrivalConfirmation, CheckIn, FamilyLink, ReporterKind

__all__ = [
    "STATUS_AFTER_AGENCY_ANSWER",
    "ArrivalConfirmation",
    "CheckIn",
    "ClosingReason",
    "FamilyLink",
    "Grievance",
    "GrievanceCategory",
    "GrievanceEvent",
    "GrievanceEvidence",
    "GrievanceStatus",
    "Reintegration",
    "ReporterKind",
    "ReturnReason",
    "ReturnRecord",
]
