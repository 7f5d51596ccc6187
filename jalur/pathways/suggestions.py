"""People who finished training and wait for a pathway, the pathway the rules suggest for each
(`jalur.rules.pathways.pathway_suggestion`), and when the manager is expected to decide.

Reads only; the writes (the manager's confirmation, the rules' own assignment) are in services.py.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from jalur.candidates.access import candidates_for
from jalur.candidates.stages import Stage
from jalur.rules.pathways import PathwayOption, PathwaySuggestion, pathway_suggestion

from .models import JobType, Pathway, PathwayAssignment
from .results import results_for
from .selectors import candidate_job_types, pathway_eligibility

# Stages in which someone without a pathway is waiting for the manager: training is finished.
WAITING_STAGES = frozenset({Stage.TRAINED})
# The rule that suggests (and, with one legal option, assigns); its code is in the reason it writes.
RULE_CODE = "pathways.pathway_suggestion"
# The programme's target: a pathway is set within this many days of finishing training.
DECISION_DAYS = 5


@dataclass(frozen=True)
class Suggested:
    candidate: object
    suggestion: PathwaySuggestion
    job_type: JobType | None  # the job type the person chose that the suggested pathway covers
    options: list[Pathway]  # every open pathway whose entry rules the person meets
    due: datetime.date

    @property
    def pathway(self) -> Pathway | None:
        return self.suggestion.option.ref if self.suggestion.option else None


WAITING_ORDER = ("stage_changed_at", "pk")


def waiting_for_pathway(user) -> QuerySet:
    """Candidates the user sees who finished training and have no pathway, longest waiting first.

    Read from the person's own row (`Candidate.has_pathway`, kept by assignment_state.py), so a
    page is a range of the `candidate_waiting_pathway` index."""
    return (
        candidates_for(user)
        .filter(stage__in=WAITING_STAGES, has_pathway=False)
        .order_by(*WAITING_ORDER)
    )


def decision_due(candidate) -> datetime.date:
    """The day by which the manager is expected to set the pathway."""
    since = timezone.localtime(candidate.stage_changed_at).date()
    return since + datetime.timedelta(days=DECISION_DAYS)


def suggest(candidates, *, on: datetime.date | None = None) -> list[Suggested]:
    """The suggestion for each candidate, in a fixed number of queries for a page of them."""
    on = on or timezone.localdate()
    candidates = list(candidates)
    pathways = list(Pathway.objects.prefetch_related("job_types").order_by("sort_order", "pk"))
    ids = [c.pk for c in candidates]
    results = results_for(ids)
    chosen = candidate_job_types(ids)
    job_types = {jt.pk: jt for p in pathways for jt in p.job_types.all()}
    # read once a page: each `pathway.job_types` is a new manager (50 people x every pathway)
    covers = {p.pk: frozenset(jt.pk for jt in p.job_types.all()) for p in pathways}
    rows = []
    for candidate in candidates:
        mine = chosen[candidate.pk]
        options = []
        for order, pathway in enumerate(pathways):
            outcome = pathway_eligibility(
                candidate=candidate,
                pathway=pathway,
                on=on,
                results=results.get(candidate.pk, []),
                job_type_ids=mine,
            )
            covered = covers[pathway.pk]
            options.append(
                PathwayOption(
                    ref=pathway,
                    name=pathway.name,
                    open=pathway.is_open(on),
                    can_start=outcome.can_start,
                    eligible=outcome.eligible,
                    country_chosen=pathway.country in (candidate.preferred_countries or []),
                    job_type_chosen=bool(covered & mine),
                    to_achieve=tuple(r.message for r in outcome.to_achieve),
                    order=order,
                )
            )
        suggestion = pathway_suggestion(options)
        job_type = None
        if suggestion.option is not None:
            covered = sorted(covers[suggestion.option.ref.pk] & mine)
            job_type = job_types[covered[0]] if len(covered) == 1 else None
        rows.append(
            Suggested(
                candidate=candidate,
                suggestion=suggestion,
                job_type=job_type,
                options=[o.ref for o in options if o.open and o.can_start],
                due=decision_due(candidate),
            )
        )
    return rows


def assigned_by_rule(user, *, days: int = 7) -> QuerySet[PathwayAssignment]:
    """Active assignments the rules made by themselves lately, for the manager to review."""
    since = timezone.now() - datetime.timedelta(days=days)
    return (
        PathwayAssignment.objects.filter(
            is_active=True,
            assigned_by__isnull=True,
            assigned_at__gte=since,
            candidate__in=candidates_for(user).values("pk"),
            reason__contains=RULE_CODE,
        )
        .select_related("candidate", "pathway", "job_type")
        .order_by("-assigned_at", "-pk")
    )
