"""The names a page prints for the city, its labour office and its programme, in one place.

Jalur runs for one kab/kota, `JALUR_HOME_REGION` (a Kemendagri code). Its name comes from the region
tables ("Kota Serang", "Kabupaten Lebak"); the office and the programme are named by
`JALUR_OFFICE_NAME` and `JALUR_PROGRAMME_NAME` when set, and otherwise derived from the region's name:
"Disnakertrans Kota Serang", "Program Pekerja Migran Kota Serang". No page, PDF or export writes a
city's name itself.

The region's name is read once per process and code (a dict keyed by the code, so a test that
overrides `JALUR_HOME_REGION` gets the other region's name, and `clear_cache` follows a reload).
"""

from django.conf import settings

_names: dict[str, str] = {}

# Kemendagri writes "Kota Administrasi" and "Kabupaten Administrasi" for DKI Jakarta's parts.
_KINDS = (
    ("Kabupaten Administrasi ", "Pemkab"),
    ("Kota Administrasi ", "Pemkot"),
    ("Kabupaten ", "Pemkab"),
    ("Kota ", "Pemkot"),
)


def _tidy(name: str) -> str:
    """Kemendagri's lists come in capitals ("KOTA SERANG") or in title case; pages use the latter."""
    name = " ".join(name.split())
    return name.title() if name.isupper() else name


def home_region_code() -> str:
    return settings.JALUR_HOME_REGION


def _region_name(key: str, model, code: str) -> str:
    """A region's name from its table, cached per process under `key`. Before the region tables
    are loaded (a database being built) the code stands in, uncached, so the name appears once
    `load_regions` has run."""
    name = _names.get(key)
    if name is None:
        row = model.objects.filter(code=code).only("name").first()
        if row is None:
            return code
        name = _names[key] = _tidy(row.name)
    return name


def home_region_name() -> str:
    """The home kab/kota as Kemendagri names it, e.g. "Kota Serang" or "Kabupaten Lebak"."""
    from .models import Regency

    code = home_region_code()
    return _region_name(code, Regency, code)


def province_name() -> str:
    """The home region's province, e.g. "Banten"."""
    from .models import Province

    code = home_region_code().split(".")[0]
    return _region_name(f"province:{code}", Province, code)


def government_name() -> str:
    """The local government in its short form: "Pemkot Serang", "Pemkab Lebak"."""
    name = home_region_name()
    for prefix, short in _KINDS:
        if name.startswith(prefix):
            return f"{short} {name[len(prefix) :]}"
    return f"Pemda {name}"


def office_name() -> str:
    """The labour office running the programme: `JALUR_OFFICE_NAME`, else "Disnakertrans <region>"."""
    configured = (getattr(settings, "JALUR_OFFICE_NAME", "") or "").strip()
    return configured or f"Disnakertrans {home_region_name()}"


def programme_name() -> str:
    """`JALUR_PROGRAMME_NAME`, else "Program Pekerja Migran <region>"."""
    configured = (getattr(settings, "JALUR_PROGRAMME_NAME", "") or "").strip()
    return configured or f"Program Pekerja Migran {home_region_name()}"


def names() -> dict[str, str]:
    """All of them, for a template's context or a text with placeholders."""
    return {
        "region_name": home_region_name(),
        "province_name": province_name(),
        "government_name": government_name(),
        "office_name": office_name(),
        "programme_name": programme_name(),
    }


def clear_cache() -> None:
    _names.clear()
