"""Background work for candidates (django-tasks): Excel imports run on the "imports" queue."""

from django_tasks import task


@task(queue_name="imports")
def import_candidates_task(job_id: int) -> str:
    from .importing import import_job_run

    return import_job_run(job_id=job_id).status
