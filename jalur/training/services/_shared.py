"""What the training services share: who acted, when, telling the candidate, who may start a
course, and whether a programme's pathways are open (`jalur.rules.pathways`)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.notifications.services import notify
from jalur.rules import pathways as pathway_rules

from ..models import Programme

# A candidate may start a course once verified, and take a further one while training or trained.
ENROLLABLE_STAGES = frozenset({Stage.VERIFIED, Stage.TRAINING, Stage.TRAINED})


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _now(at: datetime.datetime | None) -> datetime.datetime:
    return at or timezone.now()


def _notify(candidate: Candidate, key: str, context: dict, link: str = "/") -> None:
    if candidate.user_id:
        notify(user=candidate.user, key=key, context=context, link=link)


def _pathway_problem(pathway, on: datetime.date, *, advice: bool = True) -> str:
    """Why the pathway cannot be used on `on` (its stored reason and legal basis), "" when open."""
    return pathway_rules.pathway_open_problem(
        state=pathway.state,
        name=pathway.name,
        reason=pathway.state_reason,
        basis=pathway.legal_basis,
        closes_on=pathway.closes_on,
        on=on,
        advice=advice,
    )


def _check_some_pathway_open(programme: Programme, on: datetime.date, *, code: str, field=None):
    """The programme's pathways open on `on`; refused when none is (a course for a suspended or
    closed pathway prepares no one for anything).

    The refusal keeps each pathway's reason and basis from `jalur.rules.pathways`, but not its
    closing advice to choose another pathway: a cohort and an enrolment have no pathway to choose,
    so it says what training staff can do instead."""
    pathways = list(programme.pathways.all())
    problems = {p: _pathway_problem(p, on, advice=False) for p in pathways}
    open_ones = [p for p, problem in problems.items() if not problem]
    if not open_ones:
        reasons = " ".join(problems.values())
        message = _(
            "Program %(programme)s hanya menyiapkan skema yang sedang tidak dibuka, jadi angkatan "
            "dan pendaftaran ditutup. %(problems)s Pilih program lain, atau minta Disnakertrans "
            "mengubah skema program ini."
        ) % {"programme": programme.name, "problems": reasons}
        raise ValidationError({field: message} if field else message, code=code)
    return open_ones
