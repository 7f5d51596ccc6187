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
    "training.Attendance": ("keep", ()),
    "training.Assessment": ("scrub", ("notes",)),
    # A certificate stays verifiable under its holder's name: it is the person's own credential.
    "training.Certificate": ("keep", ()),
    # placement
    "placement.Application": (
        "scrub",
        ("interview_notes", "offer_terms", "status_reason", "interview_place"),
    ),
    "placement.ApplicationEvent": ("scrub", ("reason",)),
    # departure
    "departure.DepartureCase": ("scrub", ("ended_reason",)),
    "departure.ChecklistItem": ("scrub", ("data", "note")),
    "departure.ContractReview": ("scrub", ("differences", "decision_note")),
    "departure.PassportCustody": ("scrub", ("holder_name", "purpose")),
    "departure.FeeEntry": ("scrub", ("description", "violation_note", "violation_followed_up")),
    "departure.NoFeeStatement": ("keep", ()),
    # privacy itself
    "privacy.Anonymisation": ("keep", ()),
    # protection
    "protection.ArrivalConfirmation": ("scrub", ("address_abroad", "note")),
    "protection.CheckIn": ("scrub", ("note", "reporter_name")),
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
        ),
    ),
    "protection.GrievanceEvent": ("scrub", ("text", "actor_label")),
    "protection.GrievanceEvidence": ("delete", ()),
    "protection.ReturnRecord": (
        "scrub",
        ("reason_note", "handover_to", "handover_witness", "reintegration_note"),
    ),
}
