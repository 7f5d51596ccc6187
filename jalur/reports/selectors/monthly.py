"""The monthly report: a month's figures beside the months before it."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.candidates.stages import Stage
from jalur.candidates.stages import Stage as S

from .candidates import _breakdowns, _dwell, _funnel, _tallies, per_month
from .expiries import expiry_figures
from .grievances import grievance_figures
from .labels import DEFINITION, _labels, _pct
from .periods import Filters, add_months, month_end, month_name
from .programme import programme_target
from .training import score_figures, training_figures

KEY_STAGES = [S.REGISTERED, S.VERIFIED, S.TRAINING, S.TRAINED, S.PRE_DEPARTURE, S.DEPARTED]


def monthly_report(month: datetime.date) -> dict:
    """The figures of one month for the mayor: what happened in the month, totals at its end, and
    the state of things on the day the report is made."""
    month = month.replace(day=1)
    in_month = Filters(start=month, end=month)
    year = Filters(start=add_months(month, -11), end=month)
    since_start = Filters(start=datetime.date(2000, 1, 1), end=month)
    months_in = _tallies(in_month)[1]
    cells_to_date, months_to_date = _tallies(since_start)
    months_year = _tallies(year)[1]
    key = []
    for stage in KEY_STAGES:
        key.append(
            {
                "stage": stage,
                "label": str(Stage(stage).label),
                "month": sum(n for (v, _m), n in months_in.items() if v == stage),
                "to_date": sum(n for (v, _m), n in months_to_date.items() if v == stage),
            }
        )
    target = programme_target(month_end(month))
    departed_to_date = next(r["to_date"] for r in key if r["stage"] == S.DEPARTED)
    provisional = month >= timezone.localdate().replace(day=1)
    return {
        "month": month,
        "month_name": month_name(month),
        # the month still running: its figures are the ones so far and will change
        "provisional": provisional,
        "title": (
            _("%(month)s (sementara, bulan berjalan)") % {"month": month_name(month)}
            if provisional
            else month_name(month)
        ),
        "generated_at": timezone.localtime(),
        "target": target,
        "departed_to_date": departed_to_date,
        "target_pct": _pct(departed_to_date, target["target"]),
        "key": key,
        "funnel": _funnel(cells_to_date, months_to_date),
        "breakdowns": _breakdowns(cells_to_date, _labels()),
        "registrations": per_month(months_year, S.REGISTERED, year),
        "departures": per_month(months_year, S.DEPARTED, year),
        "dwell_month": _dwell(in_month),
        "dwell_year": _dwell(year),
        "training": training_figures(year, cohort_rows=40),
        "scores": score_figures(year),
        "grievances": grievance_figures(in_month),
        "expiry": expiry_figures(Filters(start=month, end=month)),
        "definition": DEFINITION,
    }
