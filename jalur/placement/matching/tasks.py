"""Background work for matching (django-tasks): a big run is computed by the worker."""

from django_tasks import task


@task()
def matching_run_task(run_id: int) -> str:
    from .services import matching_run_compute

    return matching_run_compute(run_id=run_id).status
