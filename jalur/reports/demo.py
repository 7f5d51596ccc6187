"""Demo data for reports (seed_demo): nothing of its own, only the summary tables counted from what
the other apps' demos created. Safe to run again: a rebuild replaces the counts, it adds no records."""

from .services.refresh import stats_rebuild


def seed(ctx: dict) -> None:
    ctx["reports_counted"] = stats_rebuild()
