"""Training figures per cohort, and the language scores."""

from collections import defaultdict

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.formats import number_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import charts
from ..models import ActivityTally, CohortFigures
from .labels import _pct
from .periods import Filters, _in_period


def _cohorts(filters: Filters) -> QuerySet[CohortFigures]:
    """Cohorts that started in the period and prepare for the chosen destination and job type
    (a programme without job types prepares for all of them)."""
    cohorts = CohortFigures.objects.filter(
        start_date__gte=filters.start, start_date__lte=filters.last_day
    )
    if filters.country == "-" or filters.job_type == "-":
        return cohorts.none()  # a cohort always prepares for a named destination
    if filters.country:
        cohorts = cohorts.filter(countries__contains=f",{filters.country},")
    if filters.job_type:
        cohorts = cohorts.filter(
            Q(job_type_ids="") | Q(job_type_ids__contains=f",{int(filters.job_type)},")
        )
    return cohorts


def _rates(row: dict) -> dict:
    ended = row["completed"] + row["failed"]
    return row | {
        "attendance_pct": _pct(row["attended"], row["marks"]),
        "pass_pct": _pct(row["completed"], ended),
    }


SUMMED = ("enrolled", "waiting", "completed", "failed", "withdrawn", "attended", "marks")


def training_figures(filters: Filters, *, cohort_rows: int = 15) -> dict:
    """Per provider summed in SQL, the total summed from those rows (one pass over the period's
    cohorts, not two); the most recent cohorts one by one."""
    cohorts = _cohorts(filters)
    counted = ("cohorts", *SUMMED)
    provider_rows = [
        _rates({"name": row["provider_name"]} | {k: row[k] or 0 for k in counted})
        for row in cohorts.order_by()
        .values("provider_id", "provider_name")
        .annotate(cohorts=Count("pk"), **{name: Sum(name) for name in SUMMED})
        .order_by("provider_name", "provider_id")
    ]
    total = _rates(
        {"name": _("Semua lembaga")} | {k: sum(row[k] for row in provider_rows) for k in counted}
    )
    recent = cohorts.order_by("-start_date", "-cohort_id").values(
        "cohort_id",
        "programme_name",
        "cohort_name",
        "provider_name",
        "start_date",
        "final",
        *SUMMED,
    )[:cohort_rows]
    return {
        "providers": provider_rows,
        "total": total,
        "cohorts": [
            _rates(
                {
                    "id": c["cohort_id"],
                    "name": f"{c['programme_name']} · {c['cohort_name']}",
                    "provider": c["provider_name"],
                    "start_date": c["start_date"],
                    "final": c["final"],
                }
                | {name: c[name] for name in SUMMED}
            )
            for c in recent
        ],
        "more_cohorts": max(total["cohorts"] - cohort_rows, 0),
        "chart": charts.hbars(
            [
                {
                    "label": r["name"],
                    "value": round(r["pass_pct"] or 0),
                    "text": "–" if r["pass_pct"] is None else f"{number_format(r['pass_pct'], 1)}%",
                }
                for r in provider_rows[:15]
            ]
        ),
    }


SCORE_SCALES = {
    "eps_topik": {
        "title": "EPS-TOPIK (0–200)",
        "buckets": [
            (str(low), f"{low}–{low + 19 if low < 180 else 200}", str(low))
            for low in range(0, 200, 20)
        ],
    },
    "jft_basic": {
        "title": "JFT-Basic (10–250)",
        "buckets": [
            ("*", "< 145", "<145"),
            ("A1", "A1 (145–174)", "A1"),
            ("A2.1", "A2.1 (175–199)", "A2.1"),
            ("A2", "A2 (≥ 200)", "A2"),
        ],
    },
    "jlpt": {
        "title": "JLPT",
        "buckets": [
            (
                f"{level}:{passed}",
                format_lazy(
                    "{} {}",
                    level,
                    gettext_lazy("lulus") if passed == "1" else gettext_lazy("tidak lulus"),
                ),
                f"{level}{'+' if passed == '1' else '-'}",
            )
            for level in ("N5", "N4", "N3", "N2", "N1")
            for passed in ("1", "0")
        ],
    },
}


def score_figures(filters: Filters) -> list[dict]:
    counts: dict[str, int] = defaultdict(int)
    for key, n in (
        _in_period(ActivityTally.objects.filter(kind="score"), filters, "day")
        .values_list("key")
        .annotate(n=Sum("n"))
    ):
        counts[key] += n
    result = []
    for test, scale in SCORE_SCALES.items():
        rows = [
            {"label": str(label), "short": short, "n": counts.get(f"{test}:{bucket}", 0)}
            for bucket, label, short in scale["buckets"]
        ]
        total = sum(r["n"] for r in rows)
        if not total:
            continue
        result.append(
            {
                "test": test,
                "title": scale["title"],
                "rows": rows,
                "total": total,
                "chart": charts.columns([(r["short"], r["n"]) for r in rows]),
            }
        )
    return result
