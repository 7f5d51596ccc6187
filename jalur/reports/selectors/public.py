"""The public statistics: figures anyone may see, small numbers suppressed."""

import datetime
from collections import defaultdict

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.candidates.stages import Stage as S

from .. import facts
from ..models import RefreshState, Tally
from ..suppression import THRESHOLD, small, suppress
from .candidates import _tallies
from .labels import BREAKDOWN_TITLES, UNKNOWN_LABEL, _labels
from .periods import Filters, add_months, month_name, months_between
from .programme import programme_target

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
