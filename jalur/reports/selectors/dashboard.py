"""The dashboard's figures, and the home page's."""

from jalur.candidates.stages import Stage as S

from ..models import RefreshState
from .candidates import _breakdowns, _dwell, _funnel, _tallies, month_rows, per_month
from .expiries import expiry_figures
from .grievances import grievance_figures
from .labels import DEFINITION, _labels
from .periods import Filters
from .programme import programme_progress
from .training import score_figures, training_figures


def dashboard(filters: Filters) -> dict:
    cells, months = _tallies(filters)
    labels = _labels()
    state = RefreshState.objects.order_by("pk").first()
    registrations = per_month(months, S.REGISTERED, filters)
    departures = per_month(months, S.DEPARTED, filters)
    return {
        "filters": filters,
        "progress": programme_progress(),
        "funnel": _funnel(cells, months),
        "breakdowns": _breakdowns(cells, labels),
        "registrations": registrations,
        "departures": departures,
        "months": month_rows(registrations, departures),
        "dwell": _dwell(filters),
        "training": training_figures(filters),
        "scores": score_figures(filters),
        "grievances": grievance_figures(filters),
        "expiry": expiry_figures(filters),
        "state": state,
        "definition": DEFINITION,
    }


def home_figures() -> dict:
    return programme_progress()
