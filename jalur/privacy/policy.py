"""What the retention rule does to each table that holds data about a candidate.

- "delete": the rows go (and their files).
- "scrub": the rows stay for anonymous statistics; the listed fields are emptied and files deleted.
- "keep": nothing personal is left in the row once the candidate row itself is anonymised.

The policy test fails when a model that refers to a candidate has no entry here.
"""

POLICY: dict[str, tuple[str, tuple[str, ...]]] = {
    # candidates
    "candidates.StageHistory": ("scrub", ("reason",)),
    "candidates.ConsentRecord": ("keep", ()),
    "candidates.CandidateDocument": ("delete", ()),
    "candidates.VerificationDecision": ("scrub", ("reason", "items")),
    "candidates.DuplicateFlag": ("delete", ()),
    # pathways and training
    "pathways.PathwayAssignment": ("scrub", ("reason", "end_reason")),
    "training.Enrolment": ("scrub", ("end_reason",)),
    "training.EnrolmentProposal": ("scrub", ("decision_reason",)),
    "training.Attendance": ("keep", ()),
    "training.Assessment": ("scrub", ("notes",)),
    # counts and scores derived from the two rows above, which stay: nothing personal in them
    "training.SelectionFacts": ("keep", ()),
    "training.SkillFacts": ("keep", ()),
    # A certificate stays verifiable under its holder's name: it is the person's own credential.
    "training.Certificate": ("keep", ()),
    # placement
    "placement.Application": (
        "scrub",
        ("interview_notes", "offer_terms", "status_reason", "interview_place"),
    ),
    "placement.ApplicationEvent": ("scrub", ("reason",)),
    # a proposal of the programme-wide matching: its score stays for the fairness figures
    "placement.MatchingProposal": ("scrub", ("reason",)),
    # departure
    "departure.DepartureCase": ("scrub", ("ended_reason",)),
    "departure.ChecklistItem": ("scrub", ("data", "note")),
    "departure.ContractReview": ("scrub", ("differences", "decision_note")),
    "departure.PassportCustody": ("scrub", ("holder_name", "purpose")),
    "departure.FeeEntry": ("scrub", ("description", "violation_note", "violation_followed_up")),
    "departure.NoFeeStatement": ("keep", ()),
    "departure.IdentityNumber": ("delete", ()),
    # a SISKOP2MI reconciliation's row about the person (also deleted when its period is over)
    "departure.ReconciliationRow": ("delete", ()),
    # messages about the person (to them, or to the office about them) and their copies to send
    "notifications.Notification": ("delete", ()),
    "notifications.OutboxMessage": ("delete", ()),
    # what the person sent to the city's number (their words, their number)
    "notifications.InboundMessage": ("delete", ()),
    # urgent cases abroad: kept for the count of cases, without the words
    "crisis.UrgentCase": ("scrub", ("words", "closing_note")),
    "crisis.UrgentStep": ("scrub", ("note",)),
    # privacy itself
    "privacy.Anonymisation": ("keep", ()),
    # the person's requests: the new values they asked for and their evidence are personal
    "privacy.RightsRequest": ("scrub", ("changes", "note", "decision_reason")),
    "privacy.ConsentAnswer": ("keep", ()),
    # protection
    "protection.ArrivalConfirmation": ("scrub", ("address_abroad", "note")),
    "protection.CheckIn": ("scrub", ("note", "reporter_name")),
    "protection.CheckInEscalation": ("scrub", ("agency_answer",)),
    "protection.FamilyNoticeConsent": ("keep", ()),
    "protection.FamilyLink": ("delete", ()),
    "protection.Grievance": (
        "scrub",
        (
            "reporter_name",
            "reporter_phone",
            "reporter_relation",
            "worker_name",
            "description",
            "outcome",
            "documents_requested",
        ),
    ),
    "protection.GrievanceEvent": ("scrub", ("text", "actor_label")),
    "protection.GrievanceEvidence": ("delete", ()),
    "protection.ReturnRecord": (
        "scrub",
        ("reason_note", "handover_to", "handover_witness", "reintegration_note"),
    ),
    "protection.ReintegrationFollowUp": (
        "scrub",
        ("work_where", "business_what", "go_again_where", "note"),
    ),
}


# What the person's own download ("Data pribadi saya") leaves out: the office's internal notes,
# messages sent to staff, and other people's contact details. {table: (rows kept, given the
# candidate), {table: (fields left out, unless the row's attributes, dotted paths, match)}.
def export_rows(label: str, candidate):
    from django.db.models import Q

    return {
        "protection.GrievanceEvent": Q(public=True),
        "notifications.Notification": Q(user_id=candidate.user_id),
        "notifications.OutboxMessage": Q(notification__user_id=candidate.user_id),
    }.get(label, Q())


EXPORT_HIDDEN_FIELDS: dict[str, tuple[tuple[str, ...], dict]] = {
    # A family member's or a friend's name and phone are theirs, not the worker's.
    "protection.Grievance": (
        ("reporter_name", "reporter_phone", "reporter_relation"),
        {"reporter_kind": "worker"},
    ),
    "protection.CheckIn": (("reporter_name",), {"reporter_kind": "worker"}),
    # The reporter's own events carry their name as the actor.
    "protection.GrievanceEvent": (("actor_label",), {"grievance.reporter_kind": "worker"}),
}
