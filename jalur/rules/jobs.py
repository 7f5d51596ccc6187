"""The vocabulary every stage shares: job types and the zero-cost positions, destination countries,
and education levels with their ranks.

The job types Jalur ships (code, KBJI 2014 codes, Japan SSW field, Korea E-9 sector) are seeded into
the pathways app's `JobType` table from `JOB_TYPES`; managers may add and edit job types there, but a
job type that is one of the ten zero-cost positions of Perban BP2MI 9/2020 stays zero-cost
(`zero_cost_problem`): the programme may be stricter than the law, never looser.

Pathway rules ("minimal SMP"), job orders and the candidate's registration all compare education
levels by one rank, defined here once.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
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


# --- job types and the zero-cost positions -----------------------------------------------------

# The ten positions on which the worker may not be charged any placement cost (Perban BP2MI 9/2020).
ZERO_COST_POSITIONS = (
    "pengurus rumah tangga",
    "pengasuh bayi",
    "pengasuh lansia",
    "juru masak",
    "sopir keluarga",
    "perawat taman",
    "pengasuh anak",
    "petugas kebersihan",
    "petugas ladang/perkebunan",
    "awak kapal perikanan migran",
)


@dataclass(frozen=True)
class JobTypeSpec:
    """One job type Jalur ships: its codes in the classifications the destinations use."""

    code: str
    name: str
    kbji: tuple[str, ...]  # KBJI 2014 (the 4-digit codes equal ISCO-08 unit groups)
    ssw_field: str = ""  # Japan Specified Skilled Worker field
    e9_sector: str = ""  # Korea EPS E-9 sector
    zero_cost_positions: tuple[str, ...] = ()  # which of ZERO_COST_POSITIONS it is, if any

    @property
    def zero_cost(self) -> bool:
        return bool(self.zero_cost_positions)

    @property
    def zero_cost_basis(self) -> str:
        """ "Perban BP2MI 9/2020: pengasuh lansia", or "" for an ordinary position."""
        if not self.zero_cost:
            return ""
        return f"{sources.ZERO_COST.cite()}: {', '.join(self.zero_cost_positions)}"


JOB_TYPES = (
    JobTypeSpec(
        "baby-sitter",
        "Pengasuh bayi/anak (baby sitter)",
        ("5311",),
        zero_cost_positions=("pengasuh bayi", "pengasuh anak"),
    ),
    JobTypeSpec(
        "caregiver",
        "Perawat lansia (caregiver)",
        ("5322", "5321"),
        ssw_field="Kaigo (nursing care)",
        zero_cost_positions=("pengasuh lansia",),
    ),
    JobTypeSpec("nurse", "Perawat (nurse)", ("2221", "3221")),
    JobTypeSpec(
        "plantation",
        "Tenaga perkebunan/pertanian",
        ("9211", "6112"),
        ssw_field="Agriculture",
        e9_sector="PERTANIAN_PETERNAKAN",
        zero_cost_positions=("petugas ladang/perkebunan",),
    ),
    JobTypeSpec(
        "driver",
        "Sopir/pengemudi",
        ("8322", "8332", "8331"),
        ssw_field="Automobile transportation",
        zero_cost_positions=("sopir keluarga",),
    ),
    JobTypeSpec(
        "industrial",
        "Tenaga industri/manufaktur",
        ("8189", "8211", "9329"),
        ssw_field="Industrial product manufacturing",
        e9_sector="MANUFAKTUR",
    ),
    JobTypeSpec(
        "welder",
        "Juru las (welder)",
        ("7212",),
        ssw_field="Shipbuilding and ship machinery",
        e9_sector="MANUFAKTUR",
    ),
    JobTypeSpec(
        "electrician",
        "Teknisi listrik (electrician)",
        ("7411",),
        ssw_field="Construction",
        e9_sector="KONSTRUKSI",
    ),
    JobTypeSpec(
        "painter",
        "Pengecat (painter)",
        ("7131",),
        ssw_field="Shipbuilding and ship machinery",
        e9_sector="MANUFAKTUR",
    ),
    JobTypeSpec(
        "food-manufacturing",
        "Pengolahan makanan",
        ("8160", "7512"),
        ssw_field="Food and beverage manufacturing",
        e9_sector="MANUFAKTUR",
    ),
    JobTypeSpec(
        "ground-handling", "Ground handling bandara", ("9333", "4323"), ssw_field="Aviation"
    ),
)
JOB_TYPES_BY_CODE = {spec.code: spec for spec in JOB_TYPES}


def _zero_cost_table() -> list[tuple[str, ...]]:
    rows = [("jabatan (Perban BP2MI 9/2020)", "jenis pekerjaan Jalur")]
    for position in ZERO_COST_POSITIONS:
        codes = [f"`{s.code}`" for s in JOB_TYPES if position in s.zero_cost_positions]
        rows.append((position, ", ".join(codes) or "—"))
    return rows


@rule(
    title=gettext_lazy("Jabatan bebas biaya penempatan tetap bebas biaya"),
    sources=(sources.ZERO_COST, sources.PROGRAMME),
    table=_zero_cost_table,
)
def zero_cost_problem(*, code: str, name: str, zero_cost: bool) -> str:
    """Empty unless a job type that is one of the ten zero-cost positions is marked as not zero-cost.

    The ten positions of Perban BP2MI 9/2020 are zero-cost by law, so the mark cannot be taken off
    them; any other job type may be marked zero-cost (stricter), with its basis.
    """
    spec = JOB_TYPES_BY_CODE.get(code)
    if zero_cost or spec is None or not spec.zero_cost:
        return ""
    return _(
        'Jenis pekerjaan "%(name)s" termasuk jabatan bebas biaya penempatan (%(basis)s): tandanya '
        "tidak boleh dihapus, karena program boleh lebih ketat dari hukum, tidak pernah lebih longgar."
    ) % {"name": name, "basis": spec.zero_cost_basis}
