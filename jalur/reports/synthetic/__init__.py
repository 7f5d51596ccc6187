"""Synthetic data at national scale for the benchmarks (`manage.py generate_synthetic N`).

Every person walks the programme the way people do (journey.py). Around them it creates what those
stages leave behind in the other apps: pathway assignments, cohorts with sessions, enrolments,
attendance and official language results (training.py), job orders with accepted offers, departure
cases with their checklist, and grievances (placement.py).

Each batch is drawn with numpy and written column by column (columns.py: binary COPY on PostgreSQL,
about 20 rows per person), bypassing the services on purpose (no audit rows or notifications for
people who do not exist), so it is for benchmark and demonstration databases only. Synthetic
people are recognisable: their NIK starts with 98 and their name with "Sintetis". Run
`rebuild_stats` afterwards (the command does) so the summary tables count them.
"""

from .generator import NIK_PREFIX, Generator

__all__ = ["NIK_PREFIX", "Generator"]
