"""The vocabulary every stage shares: destination countries and education levels with their ranks.

Pathway rules ("minimal SMP"), job orders and the candidate's registration all compare education
levels by one rank, defined here once.
"""

from django.utils.translation import gettext_lazy

from . import sources
from .registry import rule

# Destination countries of the programme (ISO 3166-1 alpha-2), in the order forms list them.
COUNTRY_NAMES = {
    "KR": gettext_lazy("Korea Selatan"),
    "JP": gettext_lazy("Jepang"),
}
COUNTRY_CHOICES = list(COUNTRY_NAMES.items())


def country_name(code: str) -> str:
    """The country's name in the reader's language; an unknown code is shown as it is."""
    return str(COUNTRY_NAMES.get(code, code))


# Highest completed level of education, lowest first. SMA and SMK share a rank: both complete upper
# secondary school, which is what "minimal SLTA" asks.
EDUCATION_RANK = {"SD": 1, "SMP": 2, "SMA": 3, "SMK": 3, "D3": 4, "D4": 5, "S1": 6}


def _education_table() -> list[tuple[str, ...]]:
    return [("pendidikan", "peringkat"), *((code, str(n)) for code, n in EDUCATION_RANK.items())]


@rule(
    title=gettext_lazy("Peringkat jenjang pendidikan"),
    sources=(sources.EPS_KOREA, sources.IJEPA),
    table=_education_table,
)
def education_rank(level: str | None) -> int:
    """The rank of an education level: SD 1, SMP 2, SMA and SMK 3, D3 4, D4 5, S1 6; 0 when empty.

    A rule "minimal <level>" passes for every level of that rank or higher (EPS Korea asks at least
    SLTP/SMP; IJEPA nurses at least D3).
    """
    return EDUCATION_RANK.get(level or "", 0)


def education_at_least(level: str) -> list[str]:
    """The education codes that meet "minimal `level`" (for filters that run in the database)."""
    need = education_rank(level)
    return [code for code, rank in EDUCATION_RANK.items() if rank >= need]
