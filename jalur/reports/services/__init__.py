"""Keeping the summary tables current.

Three ways in, one definition (facts.py):
- `stats_candidate_sync`: called by the candidates app inside every stage move and every new record
  (the listener registered in apps.py; an import's batch of new records in one call, its batch form
  `stats_candidate_sync.many`), so the funnel, breakdowns and days per stage are exact the moment
  the move or the registration commits.
- `stats_refresh`: a background task every few minutes (enqueued by the dashboard when the figures
  are older than JALUR_REPORTS_REFRESH_MINUTES): candidates changed without a stage move (edited,
  given a pathway or an accepted offer), training per cohort, language scores and the documents
  that expire.
- `stats_rebuild`: everything from scratch (`manage.py rebuild_stats`), e.g. nightly or after a
  restore. On PostgreSQL it holds an advisory lock that stage moves wait for, so no move is lost or
  counted twice while it runs.

Each sync locks the candidate rows first and the advisory lock second, in that order everywhere.

One module per concept; callers import from the module they need:
- `people`: reading candidates in bulk, and the facts each one counts in;
- `sync`: writing a candidate's facts into the counts (`stats_candidate_sync`, `.many`);
- `activity`: training per cohort, language scores, documents that expire;
- `refresh`: `stats_refresh`, `stats_refresh_if_stale` and `stats_rebuild`.
"""
