"""Labels of the figures: districts, destinations, the breakdowns' titles, percentages, and the
definition every page states."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.candidates.models import Sex
from jalur.pathways.models import Country, JobType, Pathway
from jalur.regions.models import Province, Regency
from jalur.regions.selectors import home_districts

from .. import facts
from ..models import CandidateStat

UNKNOWN_LABEL = gettext_lazy("Belum diketahui")
DEFINITION = gettext_lazy(
    "Negara tujuan, skema dan jenis pekerjaan seseorang diambil dari lowongan pada tawaran kerja "
    "yang ia terima; bila belum ada, dari skema penempatan yang ditetapkan untuknya; bila belum ada "
    "juga, dari minatnya sendiri saat mendaftar (negara yang pertama ia sebut, jenis pekerjaan yang "
    "paling atas di daftar jenis pekerjaan). Usia dihitung pada hari mendaftar."
)


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
