"""The pathway section on the candidate pages (staff view and the candidate's own page), and the
manager's home-page count of people waiting for a pathway."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.roles import Role, can
from jalur.candidates.stages import Stage

from .selectors import active_assignment, pathway_eligibility
from .suggestions import WAITING_STAGES, assigned_by_rule, decision_due, waiting_for_pathway

# How long the home page reports the pathways the rules assigned by themselves.
RULE_ASSIGNED_DAYS = 7


def home_widgets(user) -> list[dict]:
    """For whoever assigns pathways: people who finished training and wait for one, and what the
    rules assigned by themselves lately (the manager is told, and can change it)."""
    if not can(user, "pathways.assign"):
        return []
    waiting = waiting_for_pathway(user)
    by_rule = assigned_by_rule(user, days=RULE_ASSIGNED_DAYS)
    url = reverse("pathways:waiting")
    return [
        {
            "title": _("Skema penempatan"),
            "stats": [
                {
                    "label": _("Lulus pelatihan, menunggu penetapan skema"),
                    "value": waiting.count(),
                    "url": url,
                },
                {
                    "label": _("Menunggu lewat dari perkiraan"),
                    "value": sum(
                        1
                        for c in waiting.only("stage_changed_at")
                        if decision_due(c) < timezone.localdate()
                    ),
                    "url": url,
                },
                {
                    "label": _("Ditetapkan otomatis oleh aturan (7 hari terakhir)"),
                    "value": by_rule.count(),
                    "url": f"{url}#otomatis",
                },
            ],
            "text": "",
        }
    ]


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
                # trained and waiting: the manager has it on their list, due by this day
                "due": decision_due(candidate)
                if assignment is None and candidate.stage in WAITING_STAGES
                else None,
                "today": timezone.localdate(),
            },
        }
    ]
