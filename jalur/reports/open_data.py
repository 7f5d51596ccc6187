"""The public statistics as open data records: every cell of every table of the public page, with
the page's small-cell suppression (`suppression.suppress`): a hidden cell carries no number, only
what the page shows in its place ("<5", or "×" for a cell hidden so a small one cannot be worked
out from the total)."""

from django.utils.translation import gettext as _

from .selectors.public import PUBLIC_BREAKDOWNS

COLUMNS = ["table", "title", "category", "count", "shown", "suppressed"]
# The public page's tables in their order (`selectors.public.public_statistics`), by a stable name.
TABLES = ("stage", *PUBLIC_BREAKDOWNS, "departures_by_month")
TOTAL = "total"  # the category of each table's total row


def statistics_records(statistics: dict) -> list[dict]:
    """One record per cell and one per table total of `statistics` (what
    `selectors.public.public_statistics` returns), then the page's headline figures ("summary")."""
    tables = statistics["tables"]
    if len(tables) != len(TABLES):
        raise RuntimeError("the public statistics' tables changed: name them in TABLES")
    records = []
    for key, item in zip(TABLES, tables, strict=True):
        table = item["table"]
        for cell in table.cells:
            records.append(
                _record(key, item["title"], cell.label, cell.n, cell.shown, cell.suppressed)
            )
        records.append(
            _record(
                key, item["title"], TOTAL, table.total, table.total_shown, table.total_suppressed
            )
        )
    summary = _("Ringkasan")
    for category, value in (
        ("registered", statistics["total"]),
        ("departed", statistics["departed"]),
    ):
        hidden = not isinstance(value, int)
        records.append(_record("summary", summary, category, value, str(value), hidden))
    target = statistics["target"]
    records.append(_record("summary", summary, "target", target, str(target), False))
    return records


def _record(table, title, category, n, shown, suppressed) -> dict:
    return {
        "table": table,
        "title": str(title),
        "category": str(category),
        "count": None if suppressed else n,
        "shown": shown,
        "suppressed": suppressed,
    }
