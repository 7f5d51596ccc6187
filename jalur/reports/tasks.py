"""Background work for reports (django-tasks): the periodic refresh of the summary tables."""

from django_tasks import task


@task()
def stats_refresh_task() -> dict:
    from .services.refresh import stats_refresh

    return stats_refresh()
