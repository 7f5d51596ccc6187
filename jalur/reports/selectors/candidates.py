"""Figures about candidates from the summary tables: the funnel, the breakdowns, the months, and
the days spent at each stage."""

import math
from collections import defaultdict

from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jalur.candidates.stages import JOURNEY, Stage

from .. import charts, facts
from ..models import DwellTally, Tally
from .labels import BREAKDOWN_TITLES, _pct
from .periods import Filters, _in_period, month_name, month_points, months_between


def _tallies(filters: Filters) -> tuple[dict, dict]:
    """(cells, months): {(dimension, value, grp): n} by registration month in the period, and
    {(stage, month): n} of first arrivals at a stage during the period."""
    cells: dict = defaultdict(int)
    for dimension, value, grp, n in (
        _in_period(Tally.objects.exclude(dimension="first"), filters)
        .values_list("dimension", "value", "grp")
        .annotate(n=Sum("n"))
    ):
        cells[(dimension, value, grp)] += n
    months: dict = defaultdict(int)
    for value, month, n in (
        _in_period(Tally.objects.filter(dimension="first"), filters)
        .values_list("value", "month")
        .annotate(n=Sum("n"))
    ):
        months[(value, month)] += n
    return cells, months


def _funnel(cells: dict, months: dict) -> dict:
    rows = []
    for stage in Stage.values:
        rows.append(
            {
                "stage": stage,
                "label": str(Stage(stage).label),
                "now": cells.get(("stage", stage, ""), 0),
                "reached": cells.get(("reached", stage, ""), 0),
                "arrived": sum(n for (value, _m), n in months.items() if value == stage),
                "journey": stage in JOURNEY,
            }
        )
    total = sum(r["now"] for r in rows)
    for row in rows:
        row["pct_now"] = _pct(row["now"], total)
    journey = [r for r in rows if r["journey"]]
    chart = charts.hbars(
        [
            {
                "label": r["label"],
                "value": r["reached"],
                "parts": {"now": r["now"]},
            }
            for r in journey
        ],
        parts=["now"],
    )
    return {"rows": rows, "total": total, "chart": chart}


def _breakdowns(cells: dict, labels: dict) -> list[dict]:
    tables = []
    for dimension in facts.BREAKDOWNS:
        counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(facts.GROUPS, 0))
        for (dim, value, grp), n in cells.items():
            if dim == dimension and grp in facts.GROUPS:
                counts[value][grp] += n
        names = labels[dimension]
        rows = [
            {
                "value": value,
                "label": names.get(value, value),
                "total": sum(groups.values()),
                **groups,
            }
            for value, groups in counts.items()
            if sum(groups.values())
        ]
        if dimension == "age":
            order = {band: i for i, band in enumerate(facts.AGE_BAND_ORDER)}
            rows.sort(key=lambda r: order.get(r["value"], 99))
        elif dimension == "sex":
            rows.sort(key=lambda r: r["value"] or "~")
        else:
            rows.sort(key=lambda r: (not r["value"] or r["value"] == "0", -r["total"], r["label"]))
        total = sum(r["total"] for r in rows)
        for row in rows:
            row["pct"] = _pct(row["total"], total)
        tables.append(
            {
                "key": dimension,
                "title": str(BREAKDOWN_TITLES[dimension]),
                "rows": rows,
                "shown": _top_rows(rows, total),
                "total": total,
                "departed": sum(r[facts.DEPARTED] for r in rows),
                "process": sum(r[facts.PROCESS] for r in rows),
                "stopped": sum(r[facts.STOPPED] for r in rows),
                "chart": charts.hbars(
                    [
                        {
                            "label": r["label"],
                            "value": r["total"],
                            "parts": {g: r[g] for g in facts.GROUPS},
                        }
                        for r in rows[:15]
                    ],
                    parts=list(facts.GROUPS),
                ),
                "more": max(len(rows) - 15, 0),
            }
        )
    return tables


# The page's breakdown tables show this many rows, then the rest summed (the exports show all).
TABLE_ROWS = 20


def _top_rows(rows: list[dict], total: int) -> list[dict]:
    """The largest TABLE_ROWS rows (sorted so already), then one row summing the rest; the row of
    people not known yet stays last on its own."""
    known = [r for r in rows if r["value"] not in ("", "0")]
    if len(known) <= TABLE_ROWS + 1:
        return rows
    rest = known[TABLE_ROWS:]
    summed = {g: sum(r[g] for r in rest) for g in facts.GROUPS}
    other = {
        "value": None,
        "label": _("Lainnya (%(n)s baris)") % {"n": number_format(len(rest), force_grouping=True)},
        "total": sum(summed.values()),
        **summed,
    }
    other["pct"] = _pct(other["total"], total)
    return known[:TABLE_ROWS] + [other] + [r for r in rows if r["value"] in ("", "0")]


def per_month(months: dict, stage: str, filters: Filters) -> dict:
    points = [
        (month, months.get((stage, month), 0))
        for month in months_between(filters.start, filters.end)
    ]
    return {
        "rows": [{"month": m, "label": month_name(m), "n": n} for m, n in points],
        "total": sum(n for _, n in points),
        "chart": charts.columns(month_points(points)),
    }


def month_rows(registrations: dict, departures: dict) -> list[dict]:
    """One row per month with both counts, for the table beside the two monthly charts."""
    registered = {r["month"]: r["n"] for r in registrations["rows"]}
    return [
        {"label": r["label"], "registered": registered.get(r["month"], 0), "departed": r["n"]}
        for r in departures["rows"]
    ]


def percentile_nearest_rank(histogram: dict[int, int], fraction: float) -> int | None:
    """The value below or at which `fraction` of the observations lie (nearest-rank method)."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = math.ceil(fraction * total)
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)


def _dwell(filters: Filters) -> list[dict]:
    histograms: dict[str, dict[int, int]] = defaultdict(dict)
    seconds: dict[str, int] = defaultdict(int)
    for stage, days, n, secs in (
        _in_period(DwellTally.objects.all(), filters)
        .values_list("stage", "days")
        .annotate(n=Sum("n"), secs=Sum("seconds"))
    ):
        if n:
            histograms[stage][days] = histograms[stage].get(days, 0) + n
            seconds[stage] += secs
    rows = []
    for stage in Stage.values:
        histogram = histograms.get(stage)
        if not histogram:
            continue
        n = sum(histogram.values())
        p90 = percentile_nearest_rank(histogram, 0.9)
        rows.append(
            {
                "stage": stage,
                "label": str(Stage(stage).label),
                "n": n,
                "avg": round(seconds[stage] / n / 86400, 1),
                "p90": p90,
                "p90_capped": p90 is not None and p90 >= facts.DWELL_DAYS_CAP,
            }
        )
    chart = charts.hbars(
        [
            {
                "label": r["label"],
                "value": r["p90"] or 0,
                "text": f"{number_format(r['avg'], 1)} / {r['p90']}",
            }
            for r in rows
        ],
        value_room=80,
    )
    return {"rows": rows, "chart": chart}
