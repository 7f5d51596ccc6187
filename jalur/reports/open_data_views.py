"""The public statistics as CSV and JSON downloads (docs/open-data.md), suppressed as the page is."""

from jalur.accounts.decorators import public
from jalur.core.open_data import data_response

from .open_data import COLUMNS, statistics_records
from .selectors.public import public_statistics
from .services.refresh import stats_refresh_if_stale
from .suppression import THRESHOLD


@public
def public_statistics_data(request, fmt):
    stats_refresh_if_stale()  # as the page does: enqueued, the request itself does no heavy work
    statistics = public_statistics()
    state = statistics["state"]
    return data_response(
        fmt=fmt,
        name="statistik-program",
        on=statistics["on"],
        columns=COLUMNS,
        rows=statistics_records(statistics),
        meta={
            "refreshed_at": state.refreshed_at if state else None,
            "suppression_threshold": THRESHOLD,
        },
    )
