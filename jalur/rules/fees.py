"""Who may pay each placement cost: the one rule of money every stage calls.

The programme's rule (stricter than the law, never looser):
- the worker never pays the agency fee (imbalan jasa), tickets, the work visa, legalisation of the
  contract, this programme's training or certification, nor social security (UU 18/2017 Pasal 30;
  Perban BP2MI 9/2020; Permenaker 4/2023);
- on the ten zero-cost positions (Perban BP2MI 9/2020) the worker pays nothing at all;
- on other positions the worker may pay only personal documents (passport, SKCK) and the domestic
  medical and psychological checks (Perban BP2MI 02/2020);
- a worker-paid item the list does not name ("Lainnya") is flagged for the labour office to decide,
  with a reason.

A city may make this stricter with the setting `JALUR_WORKER_MAY_NOT_PAY` (item codes the worker may
not pay there either); no setting can loosen it.
"""

import enum
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import sources
from .registry import rule
from .sources import Source


class CostItem(enum.StrEnum):
    TICKET = "ticket"
    VISA = "visa"
    LEGALISATION = "legalisation"
    TRAINING = "training"
    CERTIFICATION = "certification"
    AGENCY_FEE = "agency_fee"
    PASSPORT = "passport"
    SKCK = "skck"
    SOCIAL_SECURITY = "social_security"
    MEDICAL = "medical"
    ACCOMMODATION = "accommodation"
    OTHER = "other"


class Payer(enum.StrEnum):
    CITY_BUDGET = "city_budget"
    EMPLOYER = "employer"
    AGENCY = "agency"
    WORKER = "worker"


class Verdict(enum.StrEnum):
    ALLOWED = "allowed"  # the worker may pay it
    FORBIDDEN = "forbidden"  # the worker may not pay it: refuse, or flag a violation if it happened
    DECIDE = "decide"  # not named by the rules: the labour office decides, with a reason


A, F, D = Verdict.ALLOWED, Verdict.FORBIDDEN, Verdict.DECIDE


@dataclass(frozen=True)
class CostRule:
    item: CostItem
    label: str
    ordinary: Verdict  # the worker paying it on a position that is not zero-cost
    zero_cost: Verdict  # ... on one of the ten zero-cost positions
    sources: tuple[Source, ...]


_BAN = (sources.PLACEMENT_COST_BAN, sources.ZERO_COST, sources.PROGRAMME)
_PERSONAL = (sources.PERSONAL_COSTS, sources.ZERO_COST)

# The data of the rule: one row per cost item, with its label and legal sources.
COST_RULES: dict[CostItem, CostRule] = {
    r.item: r
    for r in (
        CostRule(CostItem.TICKET, gettext_lazy("Tiket berangkat dan pulang"), F, F, _BAN),
        CostRule(CostItem.VISA, gettext_lazy("Visa kerja"), F, F, _BAN),
        CostRule(CostItem.LEGALISATION, gettext_lazy("Legalisasi perjanjian kerja"), F, F, _BAN),
        CostRule(CostItem.TRAINING, gettext_lazy("Pelatihan kerja"), F, F, _BAN),
        CostRule(CostItem.CERTIFICATION, gettext_lazy("Sertifikat kompetensi"), F, F, _BAN),
        CostRule(CostItem.AGENCY_FEE, gettext_lazy("Jasa perusahaan (P3MI)"), F, F, _BAN),
        CostRule(CostItem.PASSPORT, gettext_lazy("Paspor"), A, F, _PERSONAL),
        CostRule(CostItem.SKCK, gettext_lazy("SKCK"), A, F, _PERSONAL),
        CostRule(
            CostItem.SOCIAL_SECURITY,
            gettext_lazy("Jaminan sosial (BPJS Ketenagakerjaan)"),
            F,
            F,
            (sources.SOCIAL_SECURITY, sources.ZERO_COST, sources.PROGRAMME),
        ),
        CostRule(
            CostItem.MEDICAL, gettext_lazy("Pemeriksaan kesehatan dan psikologi"), A, F, _PERSONAL
        ),
        CostRule(
            CostItem.ACCOMMODATION,
            gettext_lazy("Akomodasi dan transportasi lokal"),
            F,
            F,
            (sources.PLACEMENT_COST_BAN, sources.PROGRAMME),
        ),
        CostRule(CostItem.OTHER, gettext_lazy("Lainnya"), D, F, (sources.PROGRAMME,)),
    )
}

COST_ITEM_CHOICES = [(r.item.value, r.label) for r in COST_RULES.values()]
PAYER_CHOICES = [
    (Payer.CITY_BUDGET.value, gettext_lazy("APBD Kota")),
    (Payer.EMPLOYER.value, gettext_lazy("Pemberi kerja")),
    (Payer.AGENCY.value, gettext_lazy("P3MI")),
    (Payer.WORKER.value, gettext_lazy("Pekerja")),
]


@dataclass(frozen=True)
class Ruling:
    """What the rules say of one payer paying one item, and why."""

    verdict: Verdict
    sources: tuple[Source, ...]
    message: str  # in plain Indonesian, what it means and what to do; "" when allowed

    @property
    def allowed(self) -> bool:
        return self.verdict == Verdict.ALLOWED

    @property
    def basis(self) -> str:
        return "; ".join(s.cite() for s in self.sources)


def _city_forbids() -> frozenset[str]:
    return frozenset(getattr(settings, "JALUR_WORKER_MAY_NOT_PAY", ()) or ())


def _fee_table() -> list[tuple[str, ...]]:
    word = {A: "boleh", F: "tidak boleh", D: "diputuskan Disnakertrans"}
    rows = [("biaya", "pekerja membayar, jabatan biasa", "jabatan bebas biaya", "sumber")]
    for r in COST_RULES.values():
        cite = "; ".join(s.cite() for s in r.sources)
        rows.append((f"{r.label} (`{r.item}`)", word[r.ordinary], word[r.zero_cost], cite))
    return rows


@rule(
    title=gettext_lazy("Siapa boleh membayar biaya penempatan"),
    sources=(
        sources.PLACEMENT_COST_BAN,
        sources.ZERO_COST,
        sources.PERSONAL_COSTS,
        sources.SOCIAL_SECURITY,
        sources.PROGRAMME,
    ),
    table=_fee_table,
)
def worker_may_pay(item: str, *, zero_cost: bool) -> Ruling:
    """Whether the worker may pay `item` on a position that is, or is not, zero-cost.

    Unknown item codes are treated as "Lainnya". A city's `JALUR_WORKER_MAY_NOT_PAY` turns an allowed
    or undecided item into a forbidden one; nothing turns a forbidden item into an allowed one.
    """
    try:
        cost = COST_RULES[CostItem(item)]
    except ValueError:
        cost = COST_RULES[CostItem.OTHER]
    verdict = cost.zero_cost if zero_cost else cost.ordinary
    label = str(cost.label)
    if verdict != F and cost.item.value in _city_forbids():
        return Ruling(
            F,
            (sources.PROGRAMME,),
            _('Program kota ini tidak membolehkan pekerja membayar "%(item)s".') % {"item": label},
        )
    if verdict == A:
        return Ruling(A, cost.sources, "")
    if verdict == D:
        return Ruling(
            D,
            cost.sources,
            _(
                'Biaya "%(item)s" yang dibayar pekerja tidak ada dalam daftar aturan: Disnakertrans '
                "harus memutuskan boleh atau tidak, dengan alasan."
            )
            % {"item": label},
        )
    if zero_cost:
        message = _(
            "Jabatan ini termasuk jabatan bebas biaya penempatan (%(basis)s): pekerja tidak boleh "
            'membayar "%(item)s". Ubah pembayarnya menjadi pemberi kerja, P3MI atau APBD.'
        )
        cited = (sources.ZERO_COST, *[s for s in cost.sources if s != sources.ZERO_COST])
    else:
        message = _(
            'Pekerja tidak boleh membayar "%(item)s" (%(basis)s). Pekerja hanya boleh membayar '
            "paspor, SKCK, serta pemeriksaan kesehatan dan psikologi di dalam negeri. Ubah "
            "pembayarnya menjadi pemberi kerja, P3MI atau APBD."
        )
        cited = tuple(s for s in cost.sources if s != sources.ZERO_COST)
    basis = "; ".join(s.cite() for s in cited)
    return Ruling(F, tuple(cited), message % {"item": label, "basis": basis})


def payer_may_pay(item: str, payer: str, *, zero_cost: bool) -> Ruling:
    """The ruling for any payer: only the worker is ever restricted."""
    if payer != Payer.WORKER:
        return Ruling(A, (), "")
    return worker_may_pay(item, zero_cost=zero_cost)


# The programme's training and certification are its own costs (the city budget's, or an employer's
# or P3MI's), whatever line of a cohort's budget they sit on: each training cost item maps to the
# placement cost item whose rule applies to it.
TRAINING_COST_ITEMS: dict[str, CostItem] = {
    "instructor": CostItem.TRAINING,
    "materials": CostItem.TRAINING,
    "venue": CostItem.TRAINING,
    "test_fee": CostItem.CERTIFICATION,
    "certification": CostItem.CERTIFICATION,
    "meals": CostItem.TRAINING,
    "transport": CostItem.TRAINING,
    "other": CostItem.TRAINING,
}


def training_cost_item(training_item: str) -> CostItem:
    """The placement cost item whose rule governs a line of a training cohort's budget."""
    return TRAINING_COST_ITEMS.get(training_item, CostItem.TRAINING)
