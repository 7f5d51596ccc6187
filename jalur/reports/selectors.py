"""Reads for the dashboard, the monthly report and the public statistics.

Figures about candidates come from the summary tables (models.py), so a page costs the same with a
thousand candidates or a million; the operational lists, which read the records themselves one page
at a time, are in operational.py. Every function takes its filters as arguments and returns plain
data for templates and exports.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.candidates.models import (
    DocumentType,
    Sex,
)
from jalur.candidates.stages import JOURNEY, Stage
from jalur.pathways.models import Country, JobType, Pathway
from jalur.regions.models import Province, Regency
from jalur.regions.selectors import home_districts

from . import charts, facts
from .models import ActivityTally, CandidateStat, CohortFigures, DwellTally, RefreshState, Tally
from .suppression import THRESHOLD, small, suppress

S = Stage
EXPIRY_DAYS = 60
UNKNOWN_LABEL = gettext_lazy("Belum diketahui")
DEFINITION = gettext_lazy(
    "Negara tujuan, skema dan jenis pekerjaan seseorang diambil dari lowongan pada tawaran kerja "
    "yang ia terima; bila belum ada, dari skema penempatan yang ditetapkan untuknya; bila belum ada "
    "juga, dari minatnya sendiri saat mendaftar (negara yang pertama ia sebut, jenis pekerjaan yang "
    "paling atas di daftar jenis pekerjaan). Usia dihitung pada hari mendaftar."
)


# --- months and filters ---------------------------------------------------------------------------
def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after `day`'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def month_points(points: list[tuple[datetime.date, int]]) -> list[tuple[str, int, str]]:
    """Chart points: the month's abbreviation, its count, and the year under January and the first."""
    return [
        (MONTH_ABBR[m.month - 1], n, str(m.year) if i == 0 or m.month == 1 else "")
        for i, (m, n) in enumerate(points)
    ]


def month_name(month: datetime.date) -> str:
    names = [
        _("Januari"),
        _("Februari"),
        _("Maret"),
        _("April"),
        _("Mei"),
        _("Juni"),
        _("Juli"),
        _("Agustus"),
        _("September"),
        _("Oktober"),
        _("November"),
        _("Desember"),
    ]
    return f"{names[month.month - 1]} {month.year}"


@dataclass(frozen=True)
class Filters:
    """Period (whole months, both ends included), destination and job type.

    country: "" every destination, "-" not known yet, else a Country code.
    job_type: "" every job type, "-" not known yet, else a JobType pk (as text).
    """

    start: datetime.date
    end: datetime.date
    country: str = ""
    job_type: str = ""

    def where(self) -> dict:
        where = {}
        if self.country:
            where["country"] = "" if self.country == "-" else self.country
        if self.job_type:
            where["job_type_id"] = 0 if self.job_type == "-" else int(self.job_type)
        return where

    @property
    def last_day(self) -> datetime.date:
        return month_end(self.end)


def _in_period(queryset: QuerySet, filters: Filters, field: str = "month") -> QuerySet:
    return queryset.filter(
        **{f"{field}__gte": filters.start, f"{field}__lte": filters.last_day}, **filters.where()
    )


# --- labels ---------------------------------------------------------------------------------------
def _labels() -> dict[str, dict[str, str]]:
    unknown = str(UNKNOWN_LABEL)
    return {
        "country": {"": unknown} | {code: str(label) for code, label in Country.choices},
        "pathway": {"0": unknown}
        | {str(pk): name for pk, name in Pathway.objects.values_list("pk", "name")},
        "job_type": {"0": unknown}
        | {str(pk): name for pk, name in JobType.objects.values_list("pk", "name")},
        "district": {"": unknown} | _district_labels(),
        "sex": {"": unknown} | {code: str(label) for code, label in Sex.choices},
        "age": {"": unknown} | {band: band for band in facts.AGE_BAND_ORDER},
    }


def _district_labels() -> dict[str, str]:
    """Names of the places `facts.district_counted` counts: the home kecamatan (by name), the other
    kab/kota of the home province, the other provinces."""
    home = facts.home_region()
    names = dict(home_districts().values_list("code", "name"))
    names |= dict(
        Regency.objects.filter(province_id=home[:2]).exclude(code=home).values_list("code", "name")
    )
    for code, name in Province.objects.exclude(code=home[:2]).values_list("code", "name"):
        names[code] = _("Provinsi %(name)s") % {"name": name}
    return names


def destination_labels():
    """A function giving "destination · job type" of a CandidateStat, labels loaded once."""
    labels = _labels()

    def label(stat: CandidateStat) -> str:
        parts = [labels["country"].get(stat.country, stat.country)]
        if stat.job_type_id:
            parts.append(labels["job_type"].get(str(stat.job_type_id), ""))
        return " · ".join(p for p in parts if p)

    return label


BREAKDOWN_TITLES = {
    "country": gettext_lazy("Negara tujuan"),
    "pathway": gettext_lazy("Skema penempatan"),
    "job_type": gettext_lazy("Jenis pekerjaan"),
    "district": gettext_lazy("Kecamatan"),
    "sex": gettext_lazy("Jenis kelamin"),
    "age": gettext_lazy("Kelompok usia saat mendaftar"),
}


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- programme target -----------------------------------------------------------------------------
def programme_target(on: datetime.date | None = None) -> dict:
    """The target of the MoU in force (its quota), or the configured target when none is recorded."""
    on = on or timezone.localdate()
    if apps.is_installed("jalur.placement"):
        from jalur.placement.models import Agreement, AgreementKind

        mou = (
            Agreement.objects.filter(
                kind=AgreementKind.MOU, quota__isnull=False, starts_on__lte=on, ends_on__gte=on
            )
            .order_by("-starts_on")
            .values("number", "quota")
            .first()
        )
        if mou:
            return {"target": mou["quota"], "source": _("MoU %(n)s") % {"n": mou["number"]}}
    return {"target": settings.JALUR_PROGRAMME_TARGET, "source": _("pengaturan program")}


def programme_totals() -> dict[str, int]:
    """Since the start, everywhere: how many ever reached each stage, and how many are at it now."""
    reached = defaultdict(int)
    now = defaultdict(int)
    for dimension, value, n in (
        Tally.objects.filter(dimension__in=["reached", "stage"])
        .values_list("dimension", "value")
        .annotate(n=Sum("n"))
    ):
        (reached if dimension == "reached" else now)[value] += n
    return {"reached": dict(reached), "now": dict(now)}


def programme_progress() -> dict:
    target = programme_target()
    totals = programme_totals()
    reached = totals["reached"]
    departed = reached.get(S.DEPARTED, 0)
    return {
        **target,
        "departed": departed,
        "pct": _pct(departed, target["target"]),
        "registered": reached.get(S.REGISTERED, 0),
        "verified": reached.get(S.VERIFIED, 0),
        "training_now": totals["now"].get(S.TRAINING, 0),
        "trained": reached.get(S.TRAINED, 0),
        "in_process": sum(
            n for stage, n in totals["now"].items() if facts.STAGE_GROUP[stage] == facts.PROCESS
        ),
        "abroad_now": totals["now"].get(S.DEPARTED, 0),
    }


# --- candidates: funnel, breakdowns, months, days per stage --------------------------------------
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


# --- training and scores --------------------------------------------------------------------------
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
    """Per provider and in total, summed in SQL; the most recent cohorts one by one."""
    cohorts = _cohorts(filters)
    sums = {name: Sum(name) for name in SUMMED}
    provider_rows = [
        _rates({"name": row.pop("provider_name")} | {k: v or 0 for k, v in row.items()})
        for row in cohorts.order_by()
        .values("provider_id", "provider_name")
        .annotate(cohorts=Count("pk"), **sums)
        .order_by("provider_name", "provider_id")
    ]
    for row in provider_rows:
        row.pop("provider_id")
    total = cohorts.aggregate(cohorts=Count("pk"), **sums)
    total = _rates({"name": _("Semua lembaga")} | {k: v or 0 for k, v in total.items()})
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


# --- grievances and expiries ----------------------------------------------------------------------
def grievance_figures(filters: Filters) -> dict | None:
    if not apps.is_installed("jalur.protection"):
        return None
    from jalur.protection.models import Grievance, GrievanceCategory, GrievanceStatus

    cases = Grievance.objects.all()
    if filters.country:
        cases = cases.filter(worker_country="" if filters.country == "-" else filters.country)
    if filters.job_type:
        # A scalar sub-query per grievance (a primary-key probe): grievances are few, and a join
        # would make PostgreSQL read everyone's figures to find them.
        job = 0 if filters.job_type == "-" else int(filters.job_type)
        person_job = Subquery(
            CandidateStat.objects.filter(candidate_id=OuterRef("candidate_id")).values(
                "job_type_id"
            )[:1]
        )
        cases = cases.annotate(person_job=Coalesce(person_job, 0)).filter(person_job=job)
    now = timezone.now()
    open_statuses = [s for s in GrievanceStatus.values if s != GrievanceStatus.CLOSED]
    start = timezone.make_aware(datetime.datetime.combine(filters.start, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(filters.last_day + datetime.timedelta(days=1), datetime.time.min)
    )
    in_period = Q(opened_at__gte=start, opened_at__lt=end)
    # One pass over the grievances for every figure.
    figures = {
        "open": Count("pk", filter=Q(status__in=open_statuses)),
        "overdue": Count("pk", filter=Q(status__in=open_statuses, due_at__lt=now)),
        "opened": Count("pk", filter=in_period),
        "closed": Count("pk", filter=Q(closed_at__gte=start, closed_at__lt=end)),
    }
    figures |= {f"status_{s}": Count("pk", filter=Q(status=s)) for s in open_statuses}
    figures |= {
        f"category_{c}": Count("pk", filter=in_period & Q(category=c))
        for c in GrievanceCategory.values
    }
    counts = cases.aggregate(**figures)
    return {key: counts[key] for key in ("open", "overdue", "opened", "closed")} | {
        "by_status": [
            {"label": str(GrievanceStatus(s).label), "n": counts[f"status_{s}"]}
            for s in open_statuses
            if counts[f"status_{s}"]
        ],
        "by_category": [
            {"label": str(GrievanceCategory(c).label), "n": counts[f"category_{c}"]}
            for c in GrievanceCategory.values
            if counts[f"category_{c}"]
        ],
    }


def _item_labels() -> dict[str, str]:
    if not apps.is_installed("jalur.departure"):
        return {}
    from jalur.departure.items import ITEM_TYPES

    return {code: str(t.label) for code, t in ITEM_TYPES.items()}


def expiry_figures(filters: Filters, *, on: datetime.date | None = None) -> dict:
    """Documents still needed, agreements and licences that end within the next 60 days."""
    on = on or timezone.localdate()
    horizon = on + datetime.timedelta(days=EXPIRY_DAYS)
    item_labels = _item_labels()
    doc_labels = dict(DocumentType.objects.values_list("code", "name"))
    documents = []
    for key, n, first in (
        ActivityTally.objects.filter(
            kind="expiry", day__gte=on, day__lte=horizon, **filters.where()
        )
        .values_list("key")
        .annotate(n=Sum("n"), first=Min("day"))
        .order_by("key")
    ):
        source, code = key.split(":", 1)
        label = item_labels.get(code, code) if source == "item" else doc_labels.get(code, code)
        documents.append(
            {
                "key": key,
                "label": label,
                "source": _("Daftar periksa keberangkatan")
                if source == "item"
                else _("Dokumen pencari kerja"),
                "n": n,
                "first": first,
            }
        )
    agreements, agencies, providers = [], [], []
    if apps.is_installed("jalur.placement"):
        from jalur.placement.models import Agency, Agreement

        for agreement in Agreement.objects.filter(ends_on__gte=on, ends_on__lte=horizon).order_by(
            "ends_on"
        ):
            if (
                filters.country not in ("", "-")
                and agreement.countries
                and (filters.country not in agreement.countries)
            ):
                continue
            agreements.append(
                {
                    "label": str(agreement),
                    "title": agreement.title,
                    "ends_on": agreement.ends_on,
                    "days": (agreement.ends_on - on).days,
                }
            )
        agencies = [
            {"label": a.organisation.name, "ends_on": a.licence_valid_until}
            | {"days": (a.licence_valid_until - on).days}
            for a in Agency.objects.filter(
                licence_valid_until__gte=on, licence_valid_until__lte=horizon
            )
            .select_related("organisation")
            .order_by("licence_valid_until")
        ]
    if apps.is_installed("jalur.training"):
        from jalur.training.models import Provider

        providers = [
            {"label": p.organisation.name, "ends_on": p.licence_valid_until}
            | {"days": (p.licence_valid_until - on).days}
            for p in Provider.objects.filter(
                is_active=True, licence_valid_until__gte=on, licence_valid_until__lte=horizon
            )
            .select_related("organisation")
            .order_by("licence_valid_until")
        ]
    return {
        "on": on,
        "horizon": horizon,
        "documents": documents,
        "documents_total": sum(d["n"] for d in documents),
        "agreements": agreements,
        "agencies": agencies,
        "providers": providers,
    }


# --- the dashboard --------------------------------------------------------------------------------
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


# --- monthly report -------------------------------------------------------------------------------
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


# --- public statistics ----------------------------------------------------------------------------
PUBLIC_GROUPS = [
    (gettext_lazy("Mendaftar dan diverifikasi"), [S.REGISTERING, S.REGISTERED, S.CORRECTION]),
    (gettext_lazy("Terverifikasi, menunggu pelatihan"), [S.VERIFIED]),
    (gettext_lazy("Pelatihan"), [S.TRAINING, S.TRAINED]),
    (gettext_lazy("Seleksi dan persiapan keberangkatan"), [S.SELECTION, S.PRE_DEPARTURE, S.READY]),
    (gettext_lazy("Bekerja di luar negeri"), [S.DEPARTED]),
    (gettext_lazy("Sudah pulang"), [S.RETURNED]),
    (gettext_lazy("Berhenti atau ditolak"), [S.REJECTED, S.WITHDRAWN]),
]
PUBLIC_BREAKDOWNS = ("country", "job_type", "district", "sex", "age")


def public_statistics(*, on: datetime.date | None = None) -> dict:
    """Whole-programme figures for everyone: one-dimensional tables, small cells suppressed."""
    on = on or timezone.localdate()
    labels = _labels()
    stage_counts: dict[str, int] = defaultdict(int)
    breakdown: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for dimension, value, n in (
        Tally.objects.filter(dimension__in=["stage", *PUBLIC_BREAKDOWNS])
        .values_list("dimension", "value")
        .annotate(n=Sum("n"))
    ):
        if dimension == "stage":
            stage_counts[value] += n
        else:
            breakdown[dimension][value] += n
    tables = [
        {
            "title": _("Tahap saat ini"),
            "table": suppress(
                [
                    (str(label), sum(stage_counts[s] for s in stages))
                    for label, stages in PUBLIC_GROUPS
                ]
            ),
        }
    ]
    for dimension in PUBLIC_BREAKDOWNS:
        names = labels[dimension]
        values = breakdown[dimension]
        if dimension == "age":
            order = [b for b in facts.AGE_BAND_ORDER if b in values]
        elif dimension == "district":
            # Every kecamatan of the city, also those with nobody yet; people living elsewhere
            # (or not yet known) are one row.
            home = facts.home_region() + "."
            order = [code for code in names if code.startswith(home)]
        else:
            order = sorted(
                (v for v in values if v not in ("", "0")), key=lambda v: str(names.get(v, v))
            )
        rows = [(str(names.get(v, v)), values.get(v, 0)) for v in order]
        if dimension == "district":
            # A kecamatan of another kab/kota and no address yet are two different things.
            outside = sum(n for v, n in values.items() if v and v not in order)
            unknown = values.get("", 0)
            if outside:
                rows.append((str(_("Di luar kota")), outside))
            if unknown:
                rows.append((str(_("Alamat belum diisi")), unknown))
        else:
            rest = sum(n for v, n in values.items() if v not in order)
            if rest:
                rows.append((str(UNKNOWN_LABEL), rest))
        tables.append({"title": str(BREAKDOWN_TITLES[dimension]), "table": suppress(rows)})
    end = on.replace(day=1)
    last_year = Filters(start=add_months(end, -11), end=end)
    months = _tallies(last_year)[1]
    departures = [
        (month_name(m), months.get((S.DEPARTED, m), 0))
        for m in months_between(last_year.start, last_year.end)
    ]
    tables.append(
        {"title": _("Keberangkatan per bulan, 12 bulan terakhir"), "table": suppress(departures)}
    )
    target = programme_target(on)
    total = sum(stage_counts.values())
    # every departure so far (a returnee who went again twice), also of people now in a next cycle
    departed = (
        Tally.objects.filter(dimension="first", value=S.DEPARTED).aggregate(n=Sum("n"))["n"] or 0
    )
    return {
        "on": on,
        "target": target["target"],
        "tables": tables,
        "total": total if total >= THRESHOLD else small(),
        "departed": departed if departed >= THRESHOLD else small(),
        "state": RefreshState.objects.order_by("pk").first(),
    }
