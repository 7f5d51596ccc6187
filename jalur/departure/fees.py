"""Which placement costs a worker may be asked to pay (shared/domain/README.md §5).

- UU 18/2017 Pasal 30: no placement costs charged to the worker. Perban BP2MI 02/2020 leaves only
  "personal" costs (passport, SKCK, social security, domestic medical/psychological checks, local
  transport and accommodation) to the worker and/or the employer.
- Perban BP2MI 9/2020: for the ten zero-cost positions even those personal items (and training and
  certification) may not be charged to the worker; local transport and accommodation stay personal.
"""

from django.utils.translation import gettext_lazy as _

from jalur.placement.models import CostItem

PERSONAL = frozenset(
    {
        CostItem.PASSPORT,
        CostItem.SKCK,
        CostItem.SOCIAL_SECURITY,
        CostItem.MEDICAL,
        CostItem.ACCOMMODATION,
    }
)
ZERO_COST_FORBIDDEN = frozenset(
    {
        CostItem.TICKET,
        CostItem.VISA,
        CostItem.LEGALISATION,
        CostItem.TRAINING,
        CostItem.CERTIFICATION,
        CostItem.AGENCY_FEE,
        CostItem.PASSPORT,
        CostItem.SKCK,
        CostItem.SOCIAL_SECURITY,
        CostItem.MEDICAL,
    }
)

BASIS_PLACEMENT = _(
    "UU 18/2017 Pasal 30 dan Perban BP2MI 02/2020: biaya penempatan tidak boleh dibebankan kepada pekerja"
)
BASIS_ZERO_COST = _("Perban BP2MI 9/2020: jabatan ini bebas biaya penempatan")
BASIS_PERSONAL = _(
    "Perban BP2MI 02/2020: biaya personal boleh ditanggung pekerja dan/atau pemberi kerja"
)


def worker_may_pay(item: str, *, zero_cost: bool) -> tuple[bool, str]:
    """(allowed, legal basis) for the worker paying `item` in a position that is or is not zero-cost."""
    if zero_cost and item in ZERO_COST_FORBIDDEN:
        return False, str(BASIS_ZERO_COST)
    if item in PERSONAL:
        return True, str(BASIS_PERSONAL)
    if item == CostItem.OTHER:
        return True, ""
    return False, str(BASIS_PLACEMENT)
