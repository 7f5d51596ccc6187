"""The job types a job seeker may name, and where an open legal pathway takes each of them today.

Job types and pathways are the pathways app's data. Pathways comes after candidates in the journey
(it puts verified candidates on a pathway) and imports this app, so this app does not import it:
the pathways app registers its reader here when it loads (`PathwaysConfig.ready`), the way training
registers test results for pathways. The job type model itself is reached through the candidate's
own `preferred_job_types` relation.
"""

import datetime
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from .models import Candidate

RoutesReader = Callable[[datetime.date | None], dict[int, set[str]]]
_reader: list[RoutesReader] = []


def register_routes(reader: RoutesReader) -> None:
    """Called once by the pathways app: `reader(on)` -> {job type id: {country codes}}."""
    _reader[:] = [reader]


def job_types() -> QuerySet:
    """The active job types, in their order (the model of `Candidate.preferred_job_types`)."""
    model = Candidate._meta.get_field("preferred_job_types").related_model
    return model.objects.filter(is_active=True)


def job_type_countries(on: datetime.date | None = None) -> dict[int, set[str]]:
    """Job type id -> the countries an open legal pathway takes it to on `on` (today when left out).
    A job type absent here has no legal route at the moment (e.g. baby sitters)."""
    if not _reader:
        raise ImproperlyConfigured(
            "The pathways app must be installed: it says where job types lead."
        )
    return _reader[0](on)
