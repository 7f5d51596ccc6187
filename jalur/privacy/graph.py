"""Which tables hold data about a candidate, found from the models themselves.

Every model with a foreign key to Candidate ("direct"), and every model with a foreign key to one of
those ("indirect"), is part of a candidate's personal data. Export and erasure both walk this graph,
so a new model that stores data about a person is covered (or fails the policy test) automatically.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models

from jalur.candidates.models import Candidate

# Relations that point at a candidate without holding data about them (or that are the candidate).
IGNORED = {"candidates.Candidate"}


@dataclass(frozen=True)
class Link:
    model: type[models.Model]
    path: str  # lookup from the model to the candidate, e.g. "enrolment__candidate"

    @property
    def label(self) -> str:
        return self.model._meta.label


@cache
def candidate_links() -> tuple[Link, ...]:
    direct: list[Link] = []
    for model in apps.get_models():
        if not model.__module__.startswith("jalur.") or model._meta.label in IGNORED:
            continue
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.related_model is Candidate
            ):
                direct.append(Link(model, field.name))
    links = list(direct)
    direct_models = {link.model: link for link in direct}
    for model in apps.get_models():
        if (
            not model.__module__.startswith("jalur.")
            or model in direct_models
            or model._meta.label in IGNORED
        ):
            continue
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.related_model in direct_models
            ):
                parent = direct_models[field.related_model]
                links.append(Link(model, f"{field.name}__{parent.path}"))
                break
    return tuple(links)


def rows_for(candidate: Candidate, link: Link):
    return link.model.objects.filter(**{link.path: candidate}).distinct()
