"""The pathway section on the candidate pages (staff view and the candidate's own page)."""

from django.utils.translation import gettext as _

from jalur.accounts.roles import Role, can
from jalur.candidates.stages import Stage

from .selectors import active_assignment, pathway_eligibility

BEFORE_VERIFICATION = {
    Stage.REGISTERING,
    Stage.REGISTERED,
    Stage.CORRECTION,
    Stage.REJECTED,
    Stage.WITHDRAWN,
}


def candidate_section(candidate, user) -> list[dict]:
    own = user.role == Role.CANDIDATE and candidate.user_id == user.pk
    if not (own or can(user, "pathways.view")):
        return []
    assignment = active_assignment(candidate)
    outcome = (
        pathway_eligibility(
            candidate=candidate, pathway=assignment.pathway, job_type=assignment.job_type
        )
        if assignment
        else None
    )
    return [
        {
            "title": _("Skema penempatan"),
            "template": "pathways/sections/candidate.html",
            "context": {
                "candidate": candidate,
                "assignment": assignment,
                "outcome": outcome,
                "own": own,
                "staff": can(user, "pathways.view"),
                # the office assigns a pathway once the data is verified
                "verified": candidate.stage not in BEFORE_VERIFICATION,
            },
        }
    ]
