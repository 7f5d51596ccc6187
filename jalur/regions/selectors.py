"""Region look-ups: the home region, NIK prefixes, and forgiving name matching for imports."""

import difflib
import re
from functools import lru_cache

from django.conf import settings

from .models import District, HistoricalCode, Province, Regency, Village


def home_regency() -> Regency:
    return Regency.objects.get(code=settings.JALUR_HOME_REGION)


def home_districts():
    return District.objects.filter(regency_id=settings.JALUR_HOME_REGION).order_by("name")


def home_villages():
    return Village.objects.filter(district__regency_id=settings.JALUR_HOME_REGION).select_related(
        "district"
    )


def nik_prefix_known(prefix6: str) -> bool:
    """Whether the first six NIK digits name a current or historical kecamatan."""
    return all(nik_region_parts_known(prefix6))


def nik_region_parts_known(prefix6: str) -> tuple[bool, bool, bool]:
    """(province known, kab/kota known, kecamatan known) for the first six NIK digits.

    Under a regency listed in JALUR_LEGACY_REGENCIES (default 36.04, Kabupaten Serang, which Kota
    Serang was split from in 2007) any kecamatan number is accepted: NIKs issued before a split keep
    kecamatan codes that the current list no longer has, and the old codes are not published.
    """
    prov, reg = prefix6[0:2], f"{prefix6[0:2]}.{prefix6[2:4]}"
    dist = f"{reg}.{prefix6[4:6]}"
    codes = _known_codes()
    legacy = reg in settings.JALUR_LEGACY_REGENCIES and prefix6[4:6] != "00"
    return prov in codes, reg in codes, dist in codes or legacy


@lru_cache(maxsize=1)
def _known_codes() -> frozenset[str]:
    codes = set(Province.objects.values_list("code", flat=True))
    codes |= set(Regency.objects.values_list("code", flat=True))
    codes |= set(District.objects.values_list("code", flat=True))
    historical = set(HistoricalCode.objects.values_list("code", flat=True))
    codes |= historical
    codes |= {c[:2] for c in historical}  # old Papua province codes 91/92
    return frozenset(codes)


def clear_caches() -> None:
    from .naming import clear_cache

    _known_codes.cache_clear()
    _village_index.cache_clear()
    clear_cache()


def _norm(text: str) -> str:
    text = re.sub(r"^(kel(urahan)?|desa|kec(amatan)?)[\.\s]+", "", text.strip(), flags=re.I)
    return re.sub(r"[^a-z0-9]", "", text.casefold())


@lru_cache(maxsize=1)
def _village_index() -> tuple[dict, dict]:
    districts = {}
    villages: dict[str, dict[str, str]] = {}
    for d in home_districts():
        districts[_norm(d.name)] = d.code
    for v in home_villages():
        names = [v.name, *v.aliases]
        for name in names:
            villages.setdefault(v.district_id, {})[_norm(name)] = v.code
            villages.setdefault("*", {}).setdefault(_norm(name), v.code)
    return districts, villages


def match_district(name: str) -> str | None:
    """The code of the home region's kecamatan named `name`, forgiving case and small misspellings."""
    districts, _ = _village_index()
    key = _norm(name or "")
    if not key:
        return None
    if key in districts:
        return districts[key]
    close = difflib.get_close_matches(key, districts.keys(), n=1, cutoff=0.85)
    return districts[close[0]] if close else None


def village_districts(name: str) -> list[str]:
    """The home region's kecamatan codes that have a kelurahan called `name` (exactly, forgiving
    case and punctuation): more than one means the name alone does not say where someone lives."""
    _, villages = _village_index()
    key = _norm(name or "")
    return sorted(code for code, pool in villages.items() if code != "*" and key in pool)


def match_village(name: str, district_code: str | None = None) -> str | None:
    """The code of the home region's kelurahan named `name` (inside `district_code` if given)."""
    _, villages = _village_index()
    key = _norm(name or "")
    if not key:
        return None
    pool = villages.get(district_code or "*", {})
    if key in pool:
        return pool[key]
    close = difflib.get_close_matches(key, pool.keys(), n=1, cutoff=0.85)
    return pool[close[0]] if close else None
