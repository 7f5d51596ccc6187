"""Writes for protection after departure. Each action is one transaction with its audit row.

One module per concept: `workers` (arrival, check-ins, the family's code), `grievances`, `returns`.
"""

from .grievances import (
    AlreadySent,
    grievance_add_evidence,
    grievance_agency_response,
    grievance_assign,
    grievance_check_secret,
    grievance_contact,
    grievance_documents_received,
    grievance_documents_request,
    grievance_move,
    grievance_note,
    grievance_open,
    grievance_reporter_message,
    reporter_phone_clean,
)
from .returns import return_record
from .workers import (
    arrival_confirm,
    checkin_record,
    family_checkin,
    family_link_check,
    family_link_issue,
)

__all__ = [
    "AlreadySent",
    "arrival_confirm",
    "checkin_record",
    "family_checkin",
    "family_link_check",
    "family_link_issue",
    "grievance_add_evidence",
    "grievance_agency_response",
    "grievance_assign",
    "grievance_check_secret",
    "grievance_contact",
    "grievance_documents_received",
    "grievance_documents_request",
    "grievance_move",
    "grievance_note",
    "grievance_open",
    "grievance_reporter_message",
    "reporter_phone_clean",
    "return_record",
]
