"""Writes for pre-departure and departure. Each action is one transaction with its audit row.

One module per concept, every public name importable from here:
- `cases`: opening a case, marking it ready, ending it, the daily recheck, and every move of a
  case's status (`states.py`);
- `checklist`: the items and the office's check of them, the one-per-person numbers they hold,
  and the review of a signed contract that differs from what the worker accepted;
- `custody`: who holds the worker's passport;
- `fees`: the fee ledger, the labour office's fee decisions and the no-fee statements;
- `groups`: group departures;
- `_shared`: the helpers they share.
"""

from ._shared import EXTENSIONS
from .cases import (
    case_end,
    case_mark_ready,
    case_open,
    cases_recheck,
)
from .checklist import (
    contract_differences,
    contract_review_decide,
    contract_terms,
    item_submit,
    item_use_registration_document,
    item_verify,
    signed_terms,
)
from .custody import (
    passport_handover,
    passport_return,
)
from .fees import (
    fee_decide,
    fee_record,
    fee_violation_follow_up,
    no_fee_record,
)
from .groups import (
    group_create,
    group_depart,
    group_set_members,
)

__all__ = [
    "EXTENSIONS",
    "case_end",
    "case_mark_ready",
    "case_open",
    "cases_recheck",
    "contract_differences",
    "contract_review_decide",
    "contract_terms",
    "fee_decide",
    "fee_record",
    "fee_violation_follow_up",
    "group_create",
    "group_depart",
    "group_set_members",
    "item_submit",
    "item_use_registration_document",
    "item_verify",
    "no_fee_record",
    "passport_handover",
    "passport_return",
    "signed_terms",
]
