"""Reads for the dashboard, the monthly report and the public statistics, one module per concept;
callers import from the module they need.

Figures about candidates come from the summary tables (models.py), so a page costs the same with a
thousand candidates or a million; the operational lists, which read the records themselves one page
at a time, are in operational.py. Every function takes its filters as arguments and returns plain
data for templates and exports.
- `periods`: months and the `Filters` of a report;
- `labels`: labels of districts and destinations, titles, percentages, the stated definition;
- `programme`: the MoU's target and the progress towards it;
- `candidates`: the funnel, breakdowns, months and days per stage;
- `training`: training per cohort and language scores;
- `grievances`, `expiries`: grievance figures, and what ends soon;
- `dashboard`, `monthly`, `public`: the three pages' figures, built from the modules above.
"""
