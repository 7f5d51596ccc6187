"""Background work for the programme export (django-tasks), on the "imports" queue with the
Excel imports: both are long, rare jobs of the office."""

from django_tasks import task


@task(queue_name="imports")
def export_programme_task(job_id: int) -> str:
    from .services import export_job_run

    return export_job_run(job_id=job_id).status
