"""What ends soon: documents still needed, agreements and licences that end within the next days."""

import datetime

from django.apps import apps
from django.db.models import Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.candidates.models import DocumentType

from ..models import ActivityTally
from .periods import Filters

EXPIRY_DAYS = 60


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
