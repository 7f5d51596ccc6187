"""Writes for protection after departure. Each action is one transaction with its audit row.

One module per concept: `workers` (arrival, the family's code), `checkins` (the monthly check-in,
its cases and the escalation of a missed one), `grievances`, `returns`.
"""

from .checkins import (
    checkin_answers_record,
    checkin_escalate,
    checkin_escalation_answer,
    checkin_escalations_run,
    checkin_record,
    family_may_be_told,
    family_notice_consent_set,
)
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
from .returns import (
    certificate_carry_over,
    cycle_restart,
    follow_up_record,
    follow_ups_remind,
    return_record,
)
from .workers import (
    arrival_confirm,
    family_checkin,
    family_link_check,
    family_link_issue,
)

__all__ = [
    "AlreadySent",
    "arrival_confirm",
    "checkin_answers_record",
    "checkin_escalate",
    "checkin_escalation_answer",
    "checkin_escalations_run",
    "checkin_record",
    "family_checkin",
    "family_link_check",
    "family_link_issue",
    "family_may_be_told",
    "family_notice_consent_set",
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
    "certificate_carry_over",
    "cycle_restart",
    "follow_up_record",
    "follow_ups_remind",
]
